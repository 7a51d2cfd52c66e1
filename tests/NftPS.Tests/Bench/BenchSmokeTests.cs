using NftPS.Bench;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Bench;

/// <summary>The benchmark harness still runs: quick mode, one small workload, in this process. No timing is asserted —
/// targets are the harness's to print, never a unit test's to enforce.</summary>
public class BenchSmokeTests
{
    [KernelFact]
    public void QuickModeProducesAResultRow()
    {
        var rows = new BenchRunner(new BenchOptions
        {
            Quick = true, Runs = 1, Warmups = 0, Workloads = new[] { "W4-del-rule" }, WholeProcess = false, Log = TextWriter.Null,
        }).Run();

        var row = Assert.Single(rows);
        Assert.Equal("W4-del-rule", row.Workload);
        Assert.NotNull(row.Nft);
        Assert.NotNull(row.InSession);
        Assert.Contains("| W4-del-rule |", Report.Table(rows));
    }
}
