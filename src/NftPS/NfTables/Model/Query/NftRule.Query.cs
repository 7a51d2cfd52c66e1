using System.Net;

namespace NftPS.NfTables.Model;

/// <summary>The rule as users query it: typed properties named like New-NftRule's parameters, taken from the
/// delinearized rule (matches) and its kernel expressions (statements) the first time one is read.</summary>
public sealed partial class NftRule
{
    private NftRuleFacts? _facts;

    /// <summary>Computes the facts from the rule and the snapshot it was read in; set by the reader. Kept as a
    /// delegate because the model sits below the language layer that knows how to read expressions.</summary>
    internal Func<NftRule, NftRuleFacts>? FactsSource { get; set; }

    /// <summary>Everything below, computed once. A rule nobody asked about costs nothing.</summary>
    public NftRuleFacts Facts
    {
        get
        {
            if (_facts is { } f) return f;
            var source = FactsSource;
            // Another thread may have just computed the facts and dropped the source: take its result.
            if (source is null) return _facts ?? NftRuleFacts.Empty;
            f = source(this);
            _facts = f;
            FactsSource = null;
            return f;
        }
        internal set => _facts = value;
    }

    public string[] Protocol => Facts.Matches.Protocol;
    public object[] SourceAddress => Facts.Matches.SourceAddress;
    public object[] DestinationAddress => Facts.Matches.DestinationAddress;
    public object[] SourcePort => Facts.Matches.SourcePort;
    public object[] DestinationPort => Facts.Matches.DestinationPort;
    public string[] InputInterface => Facts.Matches.InputInterface;
    public string[] OutputInterface => Facts.Matches.OutputInterface;
    public string[] ConnectionState => Facts.Matches.ConnectionState;
    public uint[] User => Facts.Matches.User;
    /// <summary>The values the rule excludes (`tcp dport != 22` gives Not.DestinationPort = 22).</summary>
    public NftMatchValues Not => Facts.Not;
    public NftRuleAction Action => Facts.Action;
    public string? Target => Facts.Target;
    public string? LogPrefix => Facts.LogPrefix;
    public string? LogLevel => Facts.LogLevel;
    public NftLimit? Limit => Facts.Limit;
    public string[] Sets => Facts.Sets;

    /// <summary>True when the rule matches on <paramref name="field"/> (a property name such as DestinationPort or
    /// SourceAddress, or nft's dport/saddr/iifname...) and a packet whose field has <paramref name="value"/> passes
    /// those matches: inside a required value (an address inside a matched prefix, a port inside a range or set)
    /// and not inside an excluded one. A rule that does not test the field at all gives false.</summary>
    public bool Matches(string field, object value) => NftRuleQuery.Passes(this, field, value);
}
