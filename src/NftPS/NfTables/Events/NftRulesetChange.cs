using NftPS.NfTables.Model;
using NftPS.NfTables.Operations;

namespace NftPS.NfTables.Events;

/// <summary>One object a commit added or deleted, with the commit it belongs to: the generation the ruleset reached
/// and the process that committed (the kernel's NEWGEN names it). Elements are reported by their set only.</summary>
public sealed class NftRulesetChange
{
    /// <summary>When the commit was heard (the kernel does not stamp events).</summary>
    public DateTimeOffset Time { get; init; }
    /// <summary>Add or Delete.</summary>
    public NftVerb Action { get; init; }
    public NftObjectKind Kind { get; init; }
    public NftFamily Family { get; init; }
    public string? Table { get; init; }
    /// <summary>The chain, for chains and rules.</summary>
    public string? Chain { get; init; }
    /// <summary>The name of the table, chain, set, map, named object or flowtable; for elements, their set.</summary>
    public string? Name { get; init; }
    /// <summary>The kernel handle of the object (0 for elements).</summary>
    public ulong Handle { get; init; }
    /// <summary>For rules, the rule as nft lists it (null when it could not be printed on its own).</summary>
    public string? Text { get; set; }
    /// <summary>The decoded object (an NftTable, NftChain, NftRule, NftSet, ...); null for elements.</summary>
    public NftObjectBase? Object { get; init; }
    /// <summary>The generation the commit brought the ruleset to.</summary>
    public uint Generation { get; init; }
    /// <summary>The process that committed, as the kernel reports it (nft, a daemon, this PowerShell).</summary>
    public uint? ProcessId { get; init; }
    public string? ProcessName { get; init; }
    public string? NetworkNamespace { get; init; }

    public override string ToString() =>
        $"{Generation} {ProcessName} {Action.ToString().ToLowerInvariant()} {Kind.ToString().ToLowerInvariant()} {Family.ToKeyword()} {Table} {Chain ?? Name}".TrimEnd();
}
