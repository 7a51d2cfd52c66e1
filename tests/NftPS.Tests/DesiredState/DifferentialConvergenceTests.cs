using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using NftPS.NfTables;
using NftPS.NfTables.Backend;
using NftPS.Tests.Conformance;
using NftPS.Tests.Infrastructure;
using Xunit.Abstractions;

namespace NftPS.Tests.DesiredState;

/// <summary>Issue 14's differential acceptance: pairs (from-state, to-state) made with a fixed seed from the nft dumps,
/// the scenarios and the conformance vectors (random subsets of rules, reorderings, one statement edited, elements
/// added/removed, policies flipped, tables added/left out/emptied, one policy to another) converge, through
/// DesiredRuleset.FromText + RulesetComparer.Compare + one commit, to what nft lists for the to-state, with no more
/// operations than differing objects (<see cref="DifferentialObjectCount"/>), and a second comparison finds nothing.
/// The report (per category) is written to TestResults/differential.md with every failing pair in full.</summary>
public sealed class DifferentialConvergenceTests(PrivateNetworkNamespace ns, ITestOutputHelper output)
    : IClassFixture<PrivateNetworkNamespace>
{
    private const int MinimumPairs = 300;

    [SharedFact]
    public void PairsAreReproducibleAndCoverEveryCategory()
    {
        var bases = DifferentialBases.FromDumpsAndScenarios();
        var first = DifferentialPairs.Build(bases);
        var second = DifferentialPairs.Build(DifferentialBases.FromDumpsAndScenarios());
        Assert.Equal(first.Select(p => p.From + p.To), second.Select(p => p.From + p.To));
        Assert.True(first.Count >= MinimumPairs, $"only {first.Count} pairs from {bases.Count} bases");
        foreach (var (category, quota) in DifferentialPairs.Quota)
            Assert.True(first.Count(p => p.Category == category) >= quota / 2, $"category {category}: {first.Count(p => p.Category == category)} pairs");
        foreach (var p in first)
        {
            // Every text is one ListingRuleset render: it parses back to itself.
            Assert.Equal(p.To, ListingRuleset.Parse(p.To).Render());
            Assert.Equal(p.From, ListingRuleset.Parse(p.From).Render());
        }
    }

    [Fact]
    public void ObjectCountPairsReplacementsAndCountsMovesTwice()
    {
        Assert.Equal(0, DifferentialObjectCount.CompareRules(new[] { "a", "b" }, new[] { "a", "b" }));
        Assert.Equal(1, DifferentialObjectCount.CompareRules(new[] { "a", "b", "c" }, new[] { "a", "x", "c" }));
        Assert.Equal(2, DifferentialObjectCount.CompareRules(new[] { "a", "b", "c" }, new[] { "b", "c", "a" }));
        Assert.Equal(1, DifferentialObjectCount.CompareRules(new[] { "a", "b" }, new[] { "a", "b", "a" }));
        Assert.Equal(3, DifferentialObjectCount.CompareElements(new[] { "1 : a", "2 : b", "3 : c" }, new[] { "1 : a", "2 : x", "4 : d" }) );
    }

    [KernelFact]
    public void PairsConvergeToWhatNftListsForTheToState()
    {
        ns.Require();
        TestEnvironment.RequireShared();
        var clock = Stopwatch.StartNew();
        var bases = DifferentialBases.FromDumpsAndScenarios();
        bases.AddRange(DifferentialBases.FromVectors(ns, rulesPerFile: 10, maxFiles: 45, new Random(DifferentialPairs.Seed)));
        var pairs = DifferentialPairs.Build(bases);
        var prepared = clock.Elapsed;

        List<PairOutcome> outcomes;
        using (var connection = NfTablesConnection.Open(ns.Name))
        {
            var runner = new DifferentialRunner(ns);
            outcomes = runner.RunAll(pairs, connection);
            output.WriteLine(string.Join(", ", runner.Timings.Select(kv => $"{kv.Key} {kv.Value.TotalSeconds:0.0} s")));
        }

        string report = Report(outcomes, bases.Count, prepared, clock.Elapsed);
        output.WriteLine(report);
        string path = ConformanceCorpus.ReportPath("differential.md");
        File.WriteAllText(path, report + Failures(outcomes, int.MaxValue) + Refused(outcomes));

        int valid = outcomes.Count(o => o.Verdict != PairVerdict.Invalid);
        int failed = outcomes.Count(o => o.Verdict == PairVerdict.Failed);
        Assert.True(valid >= MinimumPairs, $"only {valid} valid pairs (nft refused the others):\n{report}");
        Assert.True(failed == 0, $"{failed} of {valid} pairs do not converge (all in {path}):\n{report}\n{Failures(outcomes, 8)}");
    }

    private static string Report(IReadOnlyList<PairOutcome> outcomes, int bases, TimeSpan prepared, TimeSpan total)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"# Differential convergence (seed {DifferentialPairs.Seed}, {bases} bases, {outcomes.Count} pairs)");
        sb.AppendLine();
        sb.AppendLine("| category | pairs | nft refused | passed | failed | pass rate | ops / bound |");
        sb.AppendLine("|---|--:|--:|--:|--:|--:|--:|");
        foreach (var g in outcomes.GroupBy(o => o.Pair.Category).Append(outcomes.GroupBy(_ => "all").First()))
        {
            int invalid = g.Count(o => o.Verdict == PairVerdict.Invalid), passed = g.Count(o => o.Verdict == PairVerdict.Passed);
            int valid = g.Count() - invalid;
            var measured = g.Where(o => o.Operations >= 0 && o.Verdict != PairVerdict.Invalid).ToList();
            sb.AppendLine($"| {g.Key} | {g.Count()} | {invalid} | {passed} | {valid - passed} | " +
                $"{(valid == 0 ? "—" : $"{100.0 * passed / valid:0.0}%")} | {measured.Sum(o => o.Operations)} / {measured.Sum(o => o.Bound)} |");
        }
        sb.AppendLine();
        sb.AppendLine($"Prepared in {prepared.TotalSeconds:0.0} s, total {total.TotalSeconds:0.0} s; library time (read, compare, commit) " +
            $"{outcomes.Sum(o => o.Engine.TotalMilliseconds) / 1000:0.0} s.");
        foreach (var reason in outcomes.Where(o => o.Verdict == PairVerdict.Invalid).GroupBy(o => o.Message).OrderByDescending(g => g.Count()).Take(5))
            sb.AppendLine($"- refused by nft ({reason.Count()}): {reason.Key}");
        foreach (var reason in outcomes.Where(o => o.Verdict == PairVerdict.Failed)
                     .GroupBy(o => Regex.Replace(o.Message.Split('\n')[0], @"__ds\d+", "")).OrderByDescending(g => g.Count()).Take(10))
            sb.AppendLine($"- failed ({reason.Count()}): {reason.Key}");
        return sb.ToString();
    }

    private static string Refused(IEnumerable<PairOutcome> outcomes)
    {
        var sb = new StringBuilder();
        foreach (var o in outcomes.Where(o => o.Verdict == PairVerdict.Invalid))
            sb.AppendLine().AppendLine("## NOT COUNTED: " + o.Message).AppendLine(o.Pair.Show());
        return sb.ToString();
    }

    private static string Failures(IEnumerable<PairOutcome> outcomes, int max)
    {
        var sb = new StringBuilder();
        foreach (var o in outcomes.Where(o => o.Verdict == PairVerdict.Failed).Take(max))
            sb.AppendLine().AppendLine("## FAILED " + o.Message).AppendLine(o.Pair.Show());
        return sb.ToString();
    }
}
