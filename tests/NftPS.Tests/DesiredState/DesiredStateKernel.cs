using System.Text.RegularExpressions;
using NftPS.DesiredState;
using NftPS.NfTables.Backend;
using NftPS.NfTables.Reading;
using NftPS.NfTables.Transactions;
using NftPS.Tests.Conformance;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.DesiredState;

/// <summary>Comparing and applying through the backend, as Set-NftRuleset does: read the managed tables, compare,
/// commit the operations at the generation read.</summary>
internal static class DesiredStateKernel
{
    public static RulesetComparison Compare(INftBackend backend, DesiredRuleset desired, DesiredStateOptions? options = null) =>
        RulesetComparer.Compare(backend.ReadSnapshot(RulesetQuery.Everything with { DescribeRules = false }), desired, options ?? new DesiredStateOptions());

    public static void Apply(INftBackend backend, RulesetComparison comparison)
    {
        if (comparison.Operations.Count == 0) return;
        var tx = new NftTransaction(comparison.Generation);
        foreach (var op in comparison.Operations) tx.Batch.Add(op);
        backend.Commit(tx);
    }

    /// <summary>Compares and applies; returns the comparison applied.</summary>
    public static RulesetComparison Converge(INftBackend backend, DesiredRuleset desired, DesiredStateOptions? options = null)
    {
        var c = Compare(backend, desired, options);
        Apply(backend, c);
        return c;
    }

    public static string Scenario(string name) => File.ReadAllText(Path.Combine(ConformanceCorpus.ScenarioRoot, name));

    public static IEnumerable<string> ScenarioNames() =>
        Directory.GetFiles(ConformanceCorpus.ScenarioRoot, "*.nft").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    /// <summary>A listing with counter values zeroed (what "counters aside" compares).</summary>
    public static string CountersAside(string listing) =>
        Regex.Replace(listing, @"packets \d+ bytes \d+", "packets 0 bytes 0");
}
