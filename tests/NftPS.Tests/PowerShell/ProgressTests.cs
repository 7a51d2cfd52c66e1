using System.Management.Automation;
using NftPS.Cmdlets;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.PowerShell;

/// <summary>Write-Progress on long work: element streams, listings and commits report progress once they run longer
/// than ProgressReporter.ShowAfter (about a second for users; zero here, so small runs show their records), and
/// the bar is completed at the end. Short work shows nothing.</summary>
[Collection(ProgressTimingCollection.Name)]
public class ProgressTests : IClassFixture<ScriptFixture>
{
    private readonly ScriptFixture _fx;

    public ProgressTests(ScriptFixture fx) => _fx = fx;

    private static T WithImmediateProgress<T>(Func<T> run)
    {
        var saved = ProgressReporter.ShowAfter;
        ProgressReporter.ShowAfter = TimeSpan.Zero;
        try { return run(); }
        finally { ProgressReporter.ShowAfter = saved; }
    }

    [KernelFact]
    public void ElementStreamsAndListingsReportProgressAndComplete()
    {
        var host = _fx.Require();
        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad("table ip t { set s { type ipv4_addr; }; }").EnsureSuccess("nft -f");

        var add = WithImmediateProgress(() => host.Run("1..300 | ForEach-Object { \"10.1.$([math]::Floor($_ / 250)).$($_ % 250)\" } | Add-NftSetElement -NetworkNamespace $ns -Table t -Set s"));
        Assert.False(add.HadErrors, add.Describe());
        Assert.Contains(add.Progress, p => p.Activity == "Add-NftSetElement" && p.StatusDescription.Contains("elements for set ip t s"));
        Assert.Contains(add.Progress, p => p.StatusDescription.StartsWith("Committing", StringComparison.Ordinal));
        Assert.Equal(ProgressRecordType.Completed, add.Progress[^1].RecordType);

        var list = WithImmediateProgress(() => host.Run("Get-NftSetElement -NetworkNamespace $ns -Table t -Set s"));
        Assert.False(list.HadErrors, list.Describe());
        Assert.Equal(300, list.Output.Count);
        var shown = list.Progress.Where(p => p.RecordType == ProgressRecordType.Processing).ToList();
        Assert.NotEmpty(shown);
        Assert.All(shown, p => Assert.InRange(p.PercentComplete, 0, 100));
        Assert.Equal(ProgressRecordType.Completed, list.Progress[^1].RecordType);
    }

    [KernelFact]
    public void ShortWorkShowsNoProgress()
    {
        var host = _fx.Require();
        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad("table ip t { set s { type ipv4_addr; }; }").EnsureSuccess("nft -f");
        var r = host.Run("Add-NftSetElement -NetworkNamespace $ns -Table t -Set s -Element 10.0.0.1; Get-NftSetElement -NetworkNamespace $ns -Table t -Set s");
        Assert.False(r.HadErrors, r.Describe());
        Assert.Empty(r.Progress);
    }
}

/// <summary>ProgressReporter.ShowAfter is process-wide: the tests that change it do not run beside the one that
/// checks its default.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProgressTimingCollection
{
    public const string Name = "Progress timing";
}
