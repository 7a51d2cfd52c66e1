using NftPS.NfTables;
using NftPS.NfTables.Model;

namespace NftPS.DesiredState;

/// <summary>The model-level diff: no PowerShell, no I/O. The cmdlets, the native command, the DSC resource and the
/// Ansible module all call this.</summary>
internal static class RulesetComparer
{
    /// <summary>Compares <paramref name="live"/> (a snapshot holding at least the managed tables, read with elements)
    /// with <paramref name="desired"/>.</summary>
    public static RulesetComparison Compare(NftRuleset live, DesiredRuleset desired, DesiredStateOptions options) =>
        new ComparisonBuilder(live, desired, options).Build();

    /// <summary>The query that reads everything the comparison needs from the host: the managed tables only.</summary>
    public static IReadOnlyList<(NftFamily Family, string Table)> ManagedTables(DesiredRuleset desired) =>
        desired.Tables.Select(t => (t.Family, t.Name)).Concat(desired.AbsentTables).ToArray();
}
