using System.Diagnostics;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text.RegularExpressions;
using NftPS.NfTables.Trace;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Observe;

/// <summary>Trace-NftPacket in a hosted runspace, in a private namespace: loopback SYNs through a base chain, a jump and
/// a return, or into a drop policy, come out as one object each whose path is checked against the ruleset's handles;
/// the temporary table is gone after -Count, -Timeout and a stop.</summary>
public class TraceNftPacketCmdletTests : IClassFixture<ScriptFixture>
{
    private readonly ScriptFixture _fx;

    public TraceNftPacketCmdletTests(ScriptFixture fx) => _fx = fx;

    private (PowerShellHost Host, Func<string, ulong> Handle) Ready()
    {
        var host = _fx.Require();
        ProcessRunner.Run("ip", ["netns", "exec", _fx.Namespace.Name, "ip", "link", "set", "lo", "up"]).EnsureSuccess("lo up");
        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad("""
            table inet filter {
                chain web {
                    tcp dport 8080 counter
                }
                chain input {
                    type filter hook input priority 0; policy drop;
                    tcp dport 8080 jump web
                    tcp dport 8080 accept
                    tcp dport 8083 reject with tcp reset
                    tcp flags rst accept
                }
            }
            """).EnsureSuccess("nft -f");
        string listing = _fx.Namespace.Nft("-a", "list", "ruleset").EnsureSuccess("list").StdOut;
        return (host, text => ulong.Parse(Regex.Match(listing, Regex.Escape(text) + ".* # handle (\\d+)").Groups[1].Value));
    }

    private void ConnectLater(int port, TimeSpan delay) => Task.Run(() =>
    {
        Thread.Sleep(delay);
        ProcessRunner.Run("ip", ["netns", "exec", _fx.Namespace.Name, "timeout", "1", "bash", "-c", $"exec 3<>/dev/tcp/127.0.0.1/{port}"]);
    });

    private void AssertNoTraceTable() => Assert.DoesNotContain("nftps_trace_", _fx.Namespace.NftListRuleset());

    [KernelFact]
    public void ASynThroughAJumpAndAReturnIsOneObjectWithItsPath()
    {
        var (host, handle) = Ready();
        ConnectLater(8080, TimeSpan.FromSeconds(1));
        var r = host.Run("Trace-NftPacket -NetworkNamespace $ns -Protocol tcp -DestinationPort 8080 -Count 1 -Timeout 20");
        Assert.False(r.HadErrors, r.Describe());
        var trace = Assert.Single(r.Objects<NftPacketTrace>());
        Assert.Equal(("tcp", "127.0.0.1", "127.0.0.1", (ushort?)8080), (trace.Protocol, trace.SourceAddress?.ToString(), trace.DestinationAddress?.ToString(), trace.DestinationPort));
        Assert.Equal("lo", trace.InputInterface);
        Assert.Collection(trace.Steps,
            s => Assert.Equal(("input", (ulong?)handle("tcp dport 8080 jump web"), "jump", "web", "tcp dport 8080 jump web"), (s.Chain, s.Handle, s.Verdict, s.VerdictChain, s.Rule)),
            s => Assert.Equal(("web", (ulong?)handle("tcp dport 8080 counter"), "continue"), (s.Chain, s.Handle, s.Verdict)),
            // Kernel 6.18 reports the end of a jumped-to chain as a rule step without a handle (back to the caller).
            s => Assert.Equal(("web", (ulong?)null, "continue"), (s.Chain, s.Handle, s.Verdict)),
            s => Assert.Equal(("input", (ulong?)handle("tcp dport 8080 accept"), "accept", "tcp dport 8080 accept"), (s.Chain, s.Handle, s.Verdict, s.Rule)));
        Assert.All(trace.Steps, s => Assert.Equal("filter", s.Table));
        Assert.Equal(("accept", (string?)null), (trace.Verdict, trace.Policy));
        Assert.Equal(new[] { "filter input", "filter web", "filter input" }, trace.Chains);
        AssertNoTraceTable();

        // The format view shows the path in the order the steps came (wrapped in its column: compared without blanks).
        host.SetVariable("t", trace);
        string shown = host.RunText("$t");
        string path = $"input #{handle("tcp dport 8080 jump web")} jump web > web #{handle("tcp dport 8080 counter")} continue > web end > " +
            $"input #{handle("tcp dport 8080 accept")} accept";
        Assert.True(Regex.Replace(shown, @"\s+", "").Contains(path.Replace(" ", "")), shown);
        Assert.Contains("127.0.0.1:8080", shown);
    }

    [KernelFact]
    public void ASynIntoADropPolicyEndsWithThePolicyAndTheTableIsGoneAfterTheTimeout()
    {
        var (host, _) = Ready();
        ConnectLater(8082, TimeSpan.FromSeconds(1));
        var clock = Stopwatch.StartNew();
        var r = host.Run("Trace-NftPacket -NetworkNamespace $ns -Protocol tcp -DestinationPort 8082 -Timeout 2.5");
        Assert.False(r.HadErrors, r.Describe());
        Assert.InRange(clock.Elapsed.TotalSeconds, 2.4, 10);
        var traces = r.Objects<NftPacketTrace>().ToList();
        Assert.NotEmpty(traces); // the SYN, and its retransmission if it came in time
        // The end of the base chain comes as a rule step without a handle, then the policy.
        Assert.Collection(traces[0].Steps,
            s => Assert.Equal((NftTraceStepKind.Rule, "input", (ulong?)null, "continue"), (s.Kind, s.Chain, s.Handle, s.Verdict)),
            s => Assert.Equal((NftTraceStepKind.Policy, "input", "drop"), (s.Kind, s.Chain, s.Policy)));
        Assert.Equal(("drop", "drop"), (traces[0].Verdict, traces[0].Policy));
        AssertNoTraceTable();
    }

    [KernelFact]
    public void ARejectRuleIsTheLastStepWithVerdictDrop()
    {
        // The reject rule's step does arrive (nft monitor trace shows it too): reject is a drop after sending the reset.
        var (host, handle) = Ready();
        ConnectLater(8083, TimeSpan.FromSeconds(1));
        var r = host.Run("Trace-NftPacket -NetworkNamespace $ns -Protocol tcp -DestinationPort 8083 -Count 1 -Timeout 20");
        Assert.False(r.HadErrors, r.Describe());
        var trace = Assert.Single(r.Objects<NftPacketTrace>());
        var last = trace.Steps[^1];
        Assert.Equal(("input", (ulong?)handle("tcp dport 8083 reject with tcp reset"), "drop", "tcp dport 8083 reject with tcp reset"),
            (last.Chain, last.Handle, last.Verdict, last.Rule));
        Assert.Equal(("drop", (string?)null), (trace.Verdict, trace.Policy));
        AssertNoTraceTable();
    }

    [KernelFact]
    public void StoppingTheCommandRemovesTheTable()
    {
        Ready();
        var iss = InitialSessionState.CreateDefault2();
        iss.ImportPSModule(new[] { PowerShellHost.ModuleManifest });
        using var runspace = RunspaceFactory.CreateRunspace(iss);
        runspace.Open();
        using var ps = System.Management.Automation.PowerShell.Create(runspace);
        ps.AddCommand("Trace-NftPacket").AddParameter("NetworkNamespace", _fx.Namespace.Name).AddParameter("Protocol", "udp");
        var running = ps.BeginInvoke();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!_fx.Namespace.NftListRuleset().Contains("nftps_trace_") && DateTime.UtcNow < deadline) Thread.Sleep(50);
        Assert.Contains("meta l4proto udp meta nftrace set 1", _fx.Namespace.NftListRuleset());
        var clock = Stopwatch.StartNew();
        ps.Stop();
        Assert.True(running.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(5)));
        Assert.InRange(clock.Elapsed.TotalSeconds, 0, 2);
        AssertNoTraceTable();
    }

    [KernelFact]
    public void AValueThatIsNotAPortIsRefusedAndNoTableIsMade()
    {
        var (host, _) = Ready();
        var r = host.Run("Trace-NftPacket -NetworkNamespace $ns -Protocol tcp -DestinationPort '80; meta nftrace set 1' -Timeout 1");
        Assert.True(r.HadErrors);
        Assert.Empty(r.Objects<NftPacketTrace>());
        AssertNoTraceTable();
    }
}
