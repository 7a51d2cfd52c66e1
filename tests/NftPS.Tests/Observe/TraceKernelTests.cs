using NftPS.NfTables;
using NftPS.NfTables.Trace;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Observe;

/// <summary>Trace events for real: a loopback packet marked `meta nftrace set 1` through a base chain, a jump and a
/// return, heard by <see cref="NftTraceListener"/> as ordered steps.</summary>
public class TraceKernelTests : IClassFixture<PrivateNetworkNamespace>
{
    private readonly PrivateNetworkNamespace _ns;

    public TraceKernelTests(PrivateNetworkNamespace ns) => _ns = ns;

    [KernelFact]
    public void APacketThroughAJumpAndAReturnYieldsItsStepsInOrder()
    {
        _ns.Require();
        ProcessRunner.Run("ip", ["netns", "exec", _ns.Name, "ip", "link", "set", "lo", "up"]).EnsureSuccess("lo up");
        _ns.NftLoad("""
            flush ruleset
            table ip t {
                chain sub {
                    tcp dport 7 counter
                }
                chain out {
                    type filter hook output priority 0; policy accept;
                    tcp dport 7 meta nftrace set 1
                    tcp dport 7 jump sub
                    tcp dport 7 reject with tcp reset
                }
            }
            """).EnsureSuccess("load");
        string listing = _ns.Nft("-a", "list", "ruleset").EnsureSuccess("list").StdOut;
        ulong Handle(string text) => ulong.Parse(System.Text.RegularExpressions.Regex.Match(listing,
            System.Text.RegularExpressions.Regex.Escape(text) + ".* # handle (\\d+)").Groups[1].Value);

        using var listener = NftTraceListener.Open(_ns.Name);
        ProcessRunner.Run("ip", ["netns", "exec", _ns.Name, "timeout", "3", "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/7"]);
        var steps = new List<NftTraceStep>();
        var deadline = DateTime.UtcNow.AddSeconds(3);
        while (DateTime.UtcNow < deadline && steps.Count < 5)
            steps.AddRange(listener.Receive(TimeSpan.FromMilliseconds(200), CancellationToken.None));
        // The SYN's trace as kernel 6.18 reports it: the rule that set nftrace, the jump, the counter rule in sub, and
        // sub's end (a rule step without a handle, verdict continue: back to the caller), and the reject (verdict drop).
        var syn = steps.Where(s => s.TraceId == steps[0].TraceId).ToList();
        Assert.True(syn.Count >= 5, string.Join("\n", steps));
        Assert.Collection(syn.Take(5),
            s => Assert.Equal((NftTraceStepKind.Rule, "out", (ulong?)Handle("meta nftrace set 1"), "continue"), (s.Kind, s.Chain, s.Handle, s.Verdict)),
            s => Assert.Equal((NftTraceStepKind.Rule, "out", (ulong?)Handle("jump sub"), "jump", "sub"), (s.Kind, s.Chain, s.Handle, s.Verdict, s.VerdictChain)),
            s => Assert.Equal((NftTraceStepKind.Rule, "sub", (ulong?)Handle("tcp dport 7 counter"), "continue"), (s.Kind, s.Chain, s.Handle, s.Verdict)),
            s => Assert.Equal(("sub", (ulong?)null, "continue"), (s.Chain, s.Handle, s.Verdict)),
            s => Assert.Equal(("out", (ulong?)Handle("reject with tcp reset"), "drop"), (s.Chain, s.Handle, s.Verdict)));
        Assert.NotEqual(0u, syn[0].TraceId);
        Assert.All(syn, s => Assert.Equal((NftFamily.Ip, "t"), (s.Family, s.Table)));
    }
}
