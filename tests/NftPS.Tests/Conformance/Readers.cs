namespace NftPS.Tests.Conformance;

/// <summary>nft listing options that change rule text. Upstream compares `.t` vectors with <see cref="Upstream"/>
/// (`-s -p`, TZ=UTC-2); NftPS readers say which style their text corresponds to. <see cref="TimeZone"/> is the TZ
/// nft lists with (meta time/hour/day print in local time); null means the test process's own, which is what an
/// in-process NftPS printer uses.</summary>
public readonly record struct ListingStyle(bool Stateless, bool NumericProtocol, string? TimeZone = null)
{
    /// <summary>`TZ=UTC-2 nft -s -p`: what the `.t` files' expected forms are written against.</summary>
    public static ListingStyle Upstream => new(true, true, NftRunner.UpstreamTimeZone);
    /// <summary>Plain `nft list` in the process's time zone: counters with their values, protocols by name.</summary>
    public static ListingStyle Plain => new(false, false);
    /// <summary>`nft -s` in the process's time zone: counters as plain `counter`, protocols by name.</summary>
    public static ListingStyle StatelessOnly => new(true, false);

    public IEnumerable<string> NftOptions()
    {
        if (Stateless) yield return "-s";
        if (NumericProtocol) yield return "-p";
    }

    public override string ToString() =>
        (TimeZone is null ? "" : $"TZ={TimeZone} ") + (NftOptions().Any() ? "nft " + string.Join(' ', NftOptions()) : "nft");
}

/// <summary>Where a rule is: the same key nft's listing and an NftPS reader use.</summary>
public readonly record struct RuleLocation(string Family, string Table, string Chain, ulong Handle)
{
    public override string ToString() => $"{Family} {Table} {Chain} handle {Handle}";
}

/// <summary>The NftPS side of the rule read-back comparison: reads every rule of a namespace with NftPS and returns
/// its text per rule, as nft would list it in <see cref="Style"/> (handle suffix not included; comments included).
/// Implementations live in <see cref="NftPsReaders"/>; other branches plug theirs in there.</summary>
public interface IRuleTextReader
{
    /// <summary>Short name for reports, e.g. "NftPS RulesetReader+RuleTextPrinter".</summary>
    string Name { get; }

    /// <summary>The nft listing options the returned text is comparable with.</summary>
    ListingStyle Style { get; }

    /// <summary>Null when the reader can run; otherwise why not (reported as "not available", never as a pass).</summary>
    string? UnavailableReason { get; }

    /// <summary>All rules in the namespace, keyed by location. A missing key counts as an error for that rule;
    /// an exception counts as an error for every rule in the namespace.</summary>
    IReadOnlyDictionary<RuleLocation, string> ReadRuleTexts(string networkNamespace);
}

/// <summary>The NftPS side of whole-ruleset comparisons (scenarios, dumps): the text `nft list ruleset` would print.</summary>
public interface IRulesetTextReader
{
    string Name { get; }
    ListingStyle Style { get; }
    string? UnavailableReason { get; }
    string ReadRulesetText(string networkNamespace);
}

/// <summary>A reader that is not there yet: every use reports it as not available.</summary>
public sealed class UnavailableReader(string name, string reason) : IRuleTextReader, IRulesetTextReader
{
    public string Name => name;
    public ListingStyle Style => ListingStyle.Plain;
    public string? UnavailableReason => reason;
    public IReadOnlyDictionary<RuleLocation, string> ReadRuleTexts(string networkNamespace) => throw new NotSupportedException(reason);
    public string ReadRulesetText(string networkNamespace) => throw new NotSupportedException(reason);
}

/// <summary>nft itself behind the reader interfaces: a control that checks the harness plumbing (it must agree
/// with the recorded listing 100%), and a template for NftPS readers.</summary>
public sealed class NftOracleReader(ListingStyle style) : IRuleTextReader, IRulesetTextReader
{
    public string Name => "nft oracle (" + style + ")";
    public ListingStyle Style => style;
    public string? UnavailableReason => null;

    public IReadOnlyDictionary<RuleLocation, string> ReadRuleTexts(string networkNamespace)
    {
        var r = NftRunner.Nft(networkNamespace, style.NftOptions().Prepend("-a").Concat(new[] { "list", "ruleset" }), timeZone: style.TimeZone);
        r.EnsureSuccess("nft -a list ruleset");
        return Vectors.NftListing.Parse(r.StdOut).Rules
            .ToDictionary(x => new RuleLocation(x.Family, x.Table, x.Chain, x.Handle), x => x.Text);
    }

    public string ReadRulesetText(string networkNamespace) =>
        NftRunner.Nft(networkNamespace, style.NftOptions().Concat(new[] { "list", "ruleset" }), timeZone: style.TimeZone).EnsureSuccess("nft list ruleset").StdOut;
}
