using NftPS.NfTables;
using NftPS.NfTables.Operations;

namespace NftPS.DesiredState;

/// <summary>What a difference changes.</summary>
public enum NftDifferenceChange
{
    /// <summary>In the desired state only: created.</summary>
    Add,
    /// <summary>On the host only, in a managed table: deleted (unless purge is off).</summary>
    Remove,
    /// <summary>A rule that differs: replaced in place (its handle and position kept).</summary>
    Replace,
    /// <summary>A rule that is in both but in another place in its chain: deleted and added at its new position.</summary>
    Move,
    /// <summary>Changed in place: a chain's policy, a table's flags or comment, a set's elements.</summary>
    Update,
    /// <summary>A change the kernel cannot make in place (a chain's hook, a set's key type): deleted and created again,
    /// with what depends on it (the chain's rules, the rules that reference the set); <see cref="NftDifference.Reason"/> says so.</summary>
    Recreate,
}

/// <summary>The kind of object a difference is about.</summary>
public enum NftDifferenceObject { Table, Chain, Rule, Set, Map, Element, Object, Flowtable }

/// <summary>One difference between a host's ruleset and a desired state, with the operations that remove it.</summary>
public sealed class NftDifference
{
    public NftDifferenceChange Change { get; init; }
    public NftDifferenceObject ObjectKind { get; init; }
    public NftFamily Family { get; init; }
    public string Table { get; init; } = "";
    /// <summary>The chain of a rule difference (or the chain itself), else null.</summary>
    public string? Chain { get; init; }
    /// <summary>The name of the chain, set, map, named object or flowtable; null for tables and rules.</summary>
    public string? Name { get; init; }
    /// <summary>A rule's 0-based index in its chain in the desired state (Add/Replace/Move) or on the host (Remove).</summary>
    public int? Position { get; init; }
    /// <summary>The handle of the object on the host (Remove/Replace/Move/Update), else null.</summary>
    public ulong? Handle { get; init; }
    /// <summary>The object as the host has it, as nft text (null for Add).</summary>
    public string? Before { get; init; }
    /// <summary>The object as the desired state has it, as nft text (null for Remove).</summary>
    public string? After { get; init; }
    /// <summary>Why a change is what it is when that is not obvious ("hook changed: chain recreated with its 4 rules").</summary>
    public string? Reason { get; init; }
    /// <summary>The nft commands sent for this difference (what -WhatIf shows): implied operations (a rule's anonymous
    /// set) are written by the command that implies them, as in the transaction text.</summary>
    public IReadOnlyList<string> Commands => Operations.Where(o => !o.IsImplied).Select(o => o.ToCommandText()).ToArray();
    /// <summary>The operations sent for this difference, in batch order.</summary>
    internal IReadOnlyList<NftOperation> Operations { get; init; } = Array.Empty<NftOperation>();
    /// <summary>The host (and network namespace) compared against.</summary>
    public string? NetworkNamespace { get; init; }

    public override string ToString() =>
        $"{Change} {ObjectKind.ToString().ToLowerInvariant()} {Family.ToKeyword()} {Table}{(Chain is null ? "" : " " + Chain)}{(Name is null || Name == Chain ? "" : " " + Name)}";
}
