using NftPS.NfTables;
using NftPS.NfTables.Model;
using NftPS.NfTables.Operations;

namespace NftPS.DesiredState;

/// <summary>The result of comparing a host's ruleset with a desired state: the differences, and the operations that
/// remove all of them in one batch, valid against the generation the host was read at.</summary>
internal sealed class RulesetComparison
{
    public required IReadOnlyList<NftDifference> Differences { get; init; }
    /// <summary>Every operation to send, in batch order (deletes before creates where the kernel needs it).</summary>
    public required IReadOnlyList<NftOperation> Operations { get; init; }
    /// <summary>The generation the host's ruleset was read at: commit with it so a concurrent change is a conflict.</summary>
    public uint Generation { get; init; }
    /// <summary>The tables the desired state manages (family, name); nothing else is read or touched.</summary>
    public required IReadOnlyList<(NftFamily Family, string Table)> ManagedTables { get; init; }
    public bool InDesiredState => Differences.Count == 0;
}
