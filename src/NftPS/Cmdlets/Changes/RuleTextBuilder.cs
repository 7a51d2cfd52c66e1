using System.Text;
using NftPS.Language.DataTypes;
using NftPS.Language.Evaluate;
using NftPS.NfTables;

namespace NftPS.Cmdlets.Changes;

/// <summary>What a rule does when it matches.</summary>
public enum NftRuleAction { None, Accept, Drop, Reject, Jump, Goto, Return, Continue }

/// <summary>The common matches of a rule as parameters, turned into rule text in the order nft lists them
/// (interfaces, user, protocol and ports, ct state, addresses, then limit, counter, log and the verdict), so
/// a rule built from parameters lists exactly like the same rule written by hand.</summary>
internal sealed class RuleTextBuilder
{
    public NftFamily Family { get; init; }
    public string? Protocol { get; init; }
    public string[]? SourceAddress { get; init; }
    public string[]? DestinationAddress { get; init; }
    public string[]? SourcePort { get; init; }
    public string[]? DestinationPort { get; init; }
    public string[]? InputInterface { get; init; }
    public string[]? OutputInterface { get; init; }
    public string[]? ConnectionState { get; init; }
    public string? User { get; init; }
    public bool Counter { get; init; }
    public bool Log { get; init; }
    public string? LogPrefix { get; init; }
    public string? LogLevel { get; init; }
    public string? Limit { get; init; }
    public NftRuleAction Action { get; init; }
    public string? Target { get; init; }
    /// <summary>Looks up a named set (for `@name` addresses in inet tables: ip or ip6 follows its key type).</summary>
    public Func<string, SetDescriptor?> FindSet { get; init; } = _ => null;

    public string Build()
    {
        var parts = new List<string>();
        if (InputInterface is { Length: > 0 }) parts.Add("iifname " + Values(InputInterface, Quoted));
        if (OutputInterface is { Length: > 0 }) parts.Add("oifname " + Values(OutputInterface, Quoted));
        if (!string.IsNullOrEmpty(User))
            parts.Add("meta skuid " + (uint.TryParse(User, out _) ? User : Quoted(User)));

        bool ports = SourcePort is { Length: > 0 } || DestinationPort is { Length: > 0 };
        if (ports)
        {
            string proto = (Protocol ?? throw new ArgumentException("-SourcePort and -DestinationPort need -Protocol (tcp, udp, sctp, dccp or udplite).")).ToLowerInvariant();
            if (proto is not ("tcp" or "udp" or "sctp" or "dccp" or "udplite"))
                throw new ArgumentException($"Ports need a protocol with ports (tcp, udp, sctp, dccp, udplite), not '{Protocol}'.");
            if (SourcePort is { Length: > 0 }) parts.Add($"{proto} sport {Values(SourcePort, Plain)}");
            if (DestinationPort is { Length: > 0 }) parts.Add($"{proto} dport {Values(DestinationPort, Plain)}");
        }
        else if (!string.IsNullOrEmpty(Protocol))
        {
            string proto = Protocol.ToLowerInvariant();
            parts.Add(Family switch
            {
                NftFamily.Ip => "ip protocol " + proto,
                NftFamily.Ip6 => "ip6 nexthdr " + proto,
                _ => "meta l4proto " + proto,
            });
        }

        if (ConnectionState is { Length: > 0 })
            parts.Add("ct state " + string.Join(",", ConnectionState.Select(s => s.ToLowerInvariant())));
        if (SourceAddress is { Length: > 0 }) parts.Add($"{AddressFamily(SourceAddress)} saddr {Values(SourceAddress, Plain)}");
        if (DestinationAddress is { Length: > 0 }) parts.Add($"{AddressFamily(DestinationAddress)} daddr {Values(DestinationAddress, Plain)}");

        if (!string.IsNullOrEmpty(Limit))
            parts.Add(Limit.TrimStart().StartsWith("limit ", StringComparison.Ordinal) ? Limit.Trim()
                : "limit rate " + Limit.Trim());
        if (Counter) parts.Add("counter");
        if (Log || LogPrefix is not null || LogLevel is not null)
        {
            var log = new StringBuilder("log");
            if (LogPrefix is not null) log.Append(" prefix ").Append(Quoted(LogPrefix));
            if (LogLevel is not null) log.Append(" level ").Append(LogLevel.ToLowerInvariant());
            parts.Add(log.ToString());
        }

        switch (Action)
        {
            case NftRuleAction.None:
                if (!string.IsNullOrEmpty(Target)) throw new ArgumentException("-Target goes with -Action Jump or Goto.");
                break;
            case NftRuleAction.Jump or NftRuleAction.Goto:
                if (string.IsNullOrEmpty(Target)) throw new ArgumentException($"-Action {Action} needs -Target, the chain to {Action.ToString().ToLowerInvariant()} to.");
                parts.Add($"{Action.ToString().ToLowerInvariant()} {LanguageAdapter.Name(Target)}");
                break;
            default:
                if (!string.IsNullOrEmpty(Target)) throw new ArgumentException("-Target goes with -Action Jump or Goto.");
                parts.Add(Action.ToString().ToLowerInvariant());
                break;
        }
        if (parts.Count == 0)
            throw new ArgumentException("The rule is empty: give -Rule text, or matches such as -Protocol/-DestinationPort and an -Action.");
        return string.Join(" ", parts);
    }

    private string AddressFamily(string[] values)
    {
        if (Family == NftFamily.Ip) return "ip";
        if (Family == NftFamily.Ip6) return "ip6";
        bool? v6 = null;
        foreach (string v in values)
        {
            bool isV6;
            if (v.StartsWith('@'))
            {
                var set = FindSet(v[1..]) ?? throw new ArgumentException($"Set '{v[1..]}' was not found in the table.");
                isV6 = set.KeyTypes.Count > 0 && set.KeyTypes[0] == DataTypeRegistry.Ipv6Addr;
            }
            else isV6 = v.Contains(':');
            if (v6 is { } seen && seen != isV6)
                throw new ArgumentException("IPv4 and IPv6 addresses cannot be matched in one rule: make one rule for each.");
            v6 = isV6;
        }
        return v6 == true ? "ip6" : "ip";
    }

    private static string Values(string[] values, Func<string, string> format)
    {
        var items = values.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToArray();
        if (items.Length == 1) return items[0].StartsWith('@') ? items[0] : format(items[0]);
        if (items.Any(i => i.StartsWith('@'))) throw new ArgumentException("A set reference (@name) cannot be combined with other values.");
        return "{ " + string.Join(", ", items.Select(format)) + " }";
    }

    private static string Plain(string s) => s.Trim();
    private static string Quoted(string s) => LanguageAdapter.Quote(s);
}
