using NftPS.NfTables;
using NftPS.NfTables.Events;
using NftPS.NfTables.Model;
using NftPS.NfTables.Operations;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Observe;

/// <summary>Get-NftEvent in a hosted runspace while nft (in the same private namespace) changes the ruleset.</summary>
public class GetNftEventCmdletTests : IClassFixture<ScriptFixture>
{
    private readonly ScriptFixture _fx;

    public GetNftEventCmdletTests(ScriptFixture fx) => _fx = fx;

    /// <summary>Runs the nft commands after the cmdlet has started listening. Each test waits for the returned task
    /// before it ends: a command still pending would otherwise land in the next test's namespace reading (seen in CI:
    /// "add table ip three", left over from the test that returns at the first commit, was the next test's first event).</summary>
    private Task NftLater(params string[] commands) => Task.Run(() =>
    {
        Thread.Sleep(1500);
        foreach (string c in commands) _fx.Namespace.NftLoad(c + "\n").EnsureSuccess(c);
    });

    [KernelFact]
    public void ATableAndARuleAddedWithNftAreEventsNamingNftPairedWithTheirGeneration()
    {
        var host = _fx.Require();
        _fx.Namespace.Flush();
        var later = NftLater("add table inet ev", "add chain inet ev c\nadd rule inet ev c tcp dport 22 counter accept");
        var r = host.Run("Get-NftEvent -NetworkNamespace $ns -Count 3 -Timeout 30");
        later.Wait();
        Assert.False(r.HadErrors, r.Describe());
        var events = r.Objects<NftRulesetChange>().ToList();
        Assert.Equal(3, events.Count);
        Assert.All(events, e => Assert.Equal("nft", e.ProcessName));
        Assert.All(events, e => Assert.True(e.ProcessId > 0));
        Assert.All(events, e => Assert.Equal(NftVerb.Add, e.Action));
        Assert.Equal((NftObjectKind.Table, "ev"), (events[0].Kind, events[0].Name));
        Assert.Equal((NftObjectKind.Chain, "c"), (events[1].Kind, events[1].Chain));
        Assert.Equal(NftObjectKind.Rule, events[2].Kind);
        Assert.Equal("tcp dport 22 counter packets 0 bytes 0 accept", events[2].Text);
        Assert.Equal(((NftRule)events[2].Object!).Handle, events[2].Handle);
        // Two commits: the chain and rule share one generation, one past the table's.
        Assert.Equal(events[1].Generation, events[2].Generation);
        Assert.Equal(events[0].Generation + 1, events[1].Generation);
        Assert.NotEqual(events[0].ProcessId, events[1].ProcessId);
        Assert.Equal(_fx.Namespace.Name, events[2].NetworkNamespace);
    }

    [KernelFact]
    public void WithoutWaitOnlyTheNextCommitIsReturned()
    {
        var host = _fx.Require();
        _fx.Namespace.Flush();
        var later = NftLater("add table ip one\nadd table ip two", "add table ip three");
        var r = host.Run("Get-NftEvent -NetworkNamespace $ns -Timeout 30");
        later.Wait();
        Assert.False(r.HadErrors, r.Describe());
        Assert.Equal(["one", "two"], r.Objects<NftRulesetChange>().Select(e => e.Name!).ToArray());
    }

    [KernelFact]
    public void DeletionsAreEventsToo()
    {
        var host = _fx.Require();
        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad("add table ip gone\n").EnsureSuccess("add table");
        var later = NftLater("delete table ip gone");
        var r = host.Run("Get-NftEvent -NetworkNamespace $ns -Wait -Count 1 -Timeout 30");
        later.Wait();
        var e = Assert.Single(r.Objects<NftRulesetChange>());
        Assert.Equal((NftVerb.Delete, NftObjectKind.Table, NftFamily.Ip, "gone"), (e.Action, e.Kind, e.Family, e.Name));
    }

    [KernelFact]
    public void AQuietRulesetEndsAtTheTimeoutWithoutError()
    {
        var host = _fx.Require();
        var r = host.Run("Get-NftEvent -NetworkNamespace $ns -Wait -Timeout 0.3");
        Assert.False(r.HadErrors, r.Describe());
        Assert.Empty(r.Output);
    }
}
