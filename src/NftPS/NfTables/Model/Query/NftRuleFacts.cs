namespace NftPS.NfTables.Model;

/// <summary>What a rule matches and does, as typed values (the rule's query properties take them from here).
/// Made once per rule, on first use: listing rules does not pay for it, querying them does.</summary>
public sealed class NftRuleFacts
{
    public static readonly NftRuleFacts Empty = new();

    public NftMatchValues Matches { get; init; } = NftMatchValues.Empty;
    public NftMatchValues Not { get; init; } = NftMatchValues.Empty;
    public NftRuleAction Action { get; init; }
    /// <summary>The chain of a jump or goto.</summary>
    public string? Target { get; init; }
    public string? LogPrefix { get; init; }
    /// <summary>The syslog level as New-NftRule -LogLevel names it (emerg … debug, audit); null for nflog.</summary>
    public string? LogLevel { get; init; }
    public NftLimit? Limit { get; init; }
    /// <summary>Named sets and maps the rule looks up, updates or maps through.</summary>
    public string[] Sets { get; init; } = Array.Empty<string>();
}
