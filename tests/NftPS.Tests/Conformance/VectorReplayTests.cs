using NftPS.Tests.Conformance.Vectors;
using NftPS.Tests.Infrastructure;
using Xunit.Abstractions;

namespace NftPS.Tests.Conformance;

/// <summary>Checks the harness itself against what was measured with nft 1.0.6 (nft-1.0.6-lines.tsv): if the replay
/// accepts or lists differently from that record, the harness (not NftPS) is wrong.</summary>
public class VectorReplayTests(ITestOutputHelper output)
{
    [KernelFact]
    public void ReplayReproducesTheRecordedNft106Status()
    {
        TestEnvironment.RequireShared();
        var run = ConformanceReplay.Run;
        var status = StatusTables.ByLine(ConformanceCorpus.LineStatuses());
        var mismatches = new List<string>();
        int lines = 0;
        foreach (var g in run.Units.GroupBy(u => (u.File.Name, u.Vector.Line)))
        {
            lines++;
            var units = g.ToList();
            if (!status.TryGetValue(g.Key, out var row))
            {
                mismatches.Add($"{g.Key.Name}:{g.Key.Line}: not in nft-1.0.6-lines.tsv");
                continue;
            }
            int accepted = units.Count(u => u.Accepted && u.Handle is not null);
            int identical = units.Count(u => u.ListedAsExpected);
            if (units.Count != row.Units || accepted != row.AcceptedUnits || identical != row.ListedIdenticalUnits)
            {
                var ex = units.FirstOrDefault(u => !u.ListedAsExpected);
                mismatches.Add($"{g.Key.Name}:{g.Key.Line} `{units[0].Vector.Rule}`: units/accepted/identical "
                    + $"{units.Count}/{accepted}/{identical}, recorded {row.Units}/{row.AcceptedUnits}/{row.ListedIdenticalUnits}"
                    + (ex is null ? "" : $"; {ex.Family} {ex.Table} {ex.Chain}: {ex.Error ?? ex.Listings.GetValueOrDefault(ListingStyle.Upstream)}"));
            }
        }
        output.WriteLine($"{run.Files.Count} files, {lines} ok lines, {run.Units.Count()} units, {run.Units.Count(u => u.Accepted)} accepted, "
            + $"{run.Duration.TotalSeconds:0.0}s, {run.Workers} namespaces, {run.Files.Sum(f => f.NftInvocations)} nft invocations, "
            + $"{run.Files.Count(f => f.UsedPerLineFallback)} files needed the line-by-line fallback");
        foreach (var f in run.Files.Where(f => f.HarnessErrors.Count > 0))
            foreach (var e in f.HarnessErrors) output.WriteLine($"harness: {f.File.Name}: {e}");
        foreach (string m in mismatches) output.WriteLine(m);
        Assert.Equal(1769, lines);
        Assert.Empty(mismatches);
    }

    [KernelFact]
    public void OkDirectivesAreAllAccepted()
    {
        TestEnvironment.RequireShared();
        var errors = ConformanceReplay.Run.Files.SelectMany(f => f.DirectiveErrors).ToList();
        foreach (string e in errors) output.WriteLine(e);
        Assert.Empty(errors);
    }

    [KernelFact]
    public void OracleReaderAgreesWithTheRecordedListingEverywhere()
    {
        TestEnvironment.RequireShared();
        var report = new ReadConformanceReport(ConformanceReplay.Run, ConformanceReplay.Oracle);
        Assert.True(report.AcceptedCount > 1500, $"only {report.AcceptedCount} lines accepted");
        var bad = report.Lines.Where(l => l.Outcome is LineOutcome.Differs or LineOutcome.Error).ToList();
        foreach (var l in bad.Take(20)) output.WriteLine($"{l.File.Name}:{l.Vector.Line} {l.Outcome} {l.Example}");
        Assert.Empty(bad);
    }

    [KernelFact]
    public void WholeCorpusReplaysWithinBudget()
    {
        TestEnvironment.RequireShared();
        var run = ConformanceReplay.Run;
        output.WriteLine($"{run.Duration.TotalSeconds:0.0}s for {run.Files.Count} files with {run.Workers} namespaces");
        foreach (var f in run.Files.OrderByDescending(f => f.Duration).Take(8))
            output.WriteLine($"  {f.File.Name}: {f.Duration.TotalSeconds:0.00}s, {f.LoadRounds} rounds, {f.NftInvocations} nft calls");
        Assert.True(run.Duration < TimeSpan.FromMinutes(4), $"replay took {run.Duration}");
    }
}

/// <summary>The byte normalisation checked on the real corpus: nft 1.0.6's `--debug=netlink` expressions
/// (libnftnl 1.2.4 format) against the new-format `.payload` records, per unit, reproduces the recorded counts.</summary>
public class PayloadReplayTests(ITestOutputHelper output)
{
    public static bool ExpressionsMatch(ReplayUnit unit, PayloadLookup lookup) =>
        unit.NetlinkDebug is { } got && lookup.Find(unit.Vector.Rule, unit.Family) is { } want
        && PayloadNormalizer.ExpressionsEquivalent(got.Expressions, want.Expressions);

    [KernelFact]
    public void NetlinkExpressionsMatchThePayloadFilesAsRecorded()
    {
        TestEnvironment.RequireShared();
        var run = ConformanceReplay.Run;
        var status = StatusTables.ByLine(ConformanceCorpus.LineStatuses());
        var lookups = run.Files.ToDictionary(f => f.File.Name, f => PayloadLookup.ForVectorFile(f.File.Path));
        int matched = 0, accepted = 0, elementsMatched = 0, withElements = 0;
        var mismatches = new List<string>();
        foreach (var g in run.Units.GroupBy(u => (u.File.Name, u.Vector.Line)))
        {
            var lookup = lookups[g.Key.Name];
            int lineMatched = 0;
            foreach (var u in g.Where(u => u.Accepted))
            {
                accepted++;
                if (ExpressionsMatch(u, lookup)) { matched++; lineMatched++; }
                var want = lookup.Find(u.Vector.Rule, u.Family);
                if (want is not null && want.Elements.Any() && u.NetlinkDebug is { } got)
                {
                    withElements++;
                    if (PayloadNormalizer.ElementsEquivalent(got.Elements, want.Elements)) elementsMatched++;
                }
            }
            if (status.TryGetValue(g.Key, out var row) && row.PayloadMatchUnits != lineMatched)
            {
                var ex = g.FirstOrDefault(u => u.Accepted && !ExpressionsMatch(u, lookup));
                var want = ex is null ? null : lookup.Find(ex.Vector.Rule, ex.Family);
                mismatches.Add($"{g.Key.Name}:{g.Key.Line} matched {lineMatched}, recorded {row.PayloadMatchUnits}: {ex?.Vector.Rule}\n"
                    + $"    got:  {string.Join(" ", ex?.NetlinkDebug?.Expressions ?? Array.Empty<string>())}\n"
                    + $"    want: {string.Join(" ", want?.Expressions ?? Array.Empty<string>())}");
            }
        }
        output.WriteLine($"expressions: {matched}/{accepted} accepted units match their payload record; "
            + $"anonymous set elements: {elementsMatched}/{withElements}");
        foreach (string m in mismatches) output.WriteLine(m);
        Assert.Equal(5001, matched);
        Assert.Empty(mismatches);
    }
}
