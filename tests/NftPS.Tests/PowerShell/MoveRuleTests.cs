using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.PowerShell;

/// <summary>Issue 12 item 6: Move-NftRule puts a rule before or after another, or first or last, as one batch (insert
/// the same rule at its new place, delete the old handle): its comment, counter values and quota usage come along,
/// and a refused move leaves the chain as it was.</summary>
public class MoveRuleTests : IClassFixture<TwoNamespacesFixture>
{
    private readonly TwoNamespacesFixture _fx;

    public MoveRuleTests(TwoNamespacesFixture fx) => _fx = fx;

    private const string Chain = """
        table inet t {
        	set allowed {
        		type ipv4_addr
        		elements = { 10.0.0.1 }
        	}

        	chain c {
        		tcp dport 22 counter packets 3 bytes 120 accept comment "ssh"
        		tcp dport { 80, 443 } accept
        		ip saddr @allowed quota 10 mbytes used 1 mbytes drop
        		udp dport 53 accept
        	}
        }

        """;

    private const string Ssh = "tcp dport 22 counter packets 3 bytes 120 accept comment \"ssh\"";
    private const string Web = "tcp dport { 80, 443 } accept";
    private const string Quota = "ip saddr @allowed quota 10 mbytes used 1 mbytes drop";
    private const string Dns = "udp dport 53 accept";

    // $r holds the chain's rules in order as read before the move.
    private const string Read = "$r = @(Get-NftRule -NetworkNamespace $A -Family inet -Table t -Chain c)\n";

    private string[] Rules() => _fx.A.NftListRuleset().Split('\n')
        .SkipWhile(l => !l.Contains("chain c {")).Skip(1).TakeWhile(l => l.Trim() != "}").Select(l => l.Trim()).ToArray();

    [KernelTheory]
    [InlineData("$r[0] | Move-NftRule -After $r[2]", new[] { Web, Quota, Ssh, Dns })]
    [InlineData("$r[0] | Move-NftRule -After $r[2].Handle", new[] { Web, Quota, Ssh, Dns })]
    [InlineData("$r[3] | Move-NftRule -Before $r[1]", new[] { Ssh, Dns, Web, Quota })]
    [InlineData("$r[2] | Move-NftRule -Position First", new[] { Quota, Ssh, Web, Dns })]
    [InlineData("$r[0] | Move-NftRule -Position Last", new[] { Web, Quota, Dns, Ssh })]
    [InlineData("Move-NftRule -NetworkNamespace $A -Family inet -Table t -Chain c -Handle $r[1].Handle -Position Last", new[] { Ssh, Quota, Dns, Web })]
    [InlineData("$r[0] | Copy-Deserialized | Move-NftRule -Before ($r[3] | Copy-Deserialized)", new[] { Web, Quota, Ssh, Dns })]
    [InlineData("Invoke-NftTransaction -NetworkNamespace $A { $r[0] | Move-NftRule -Position Last; $r[3] | Move-NftRule -Position First }", new[] { Dns, Web, Quota, Ssh })]
    public void TheRuleMovesWithItsCommentCountersAndQuotaUsage(string script, string[] expected)
    {
        var host = _fx.Fresh(Chain);
        var r = host.Run(CopyPipelineTests.RoundTrip + "\n" + Read + script);
        Assert.False(r.HadErrors || r.Terminating is not null, r.Describe());
        Assert.Equal(expected, Rules());
    }

    [KernelFact]
    public void PassThruGivesTheMovedRuleWithItsNewHandle()
    {
        var host = _fx.Fresh(Chain);
        var r = host.Run(Read + "$m = $r[0] | Move-NftRule -Position Last -PassThru; \"$($m.Position) $($m.Comment) $($m.Counter) $($m.Handle -ne $r[0].Handle)\"");
        Assert.False(r.HadErrors || r.Terminating is not null, r.Describe());
        Assert.Equal("3 ssh 3 True", Assert.Single(r.Output).ToString());
    }

    [KernelTheory]
    [InlineData("$r[0] | Move-NftRule -Position Last -WhatIf", null)]
    [InlineData("$r[0] | Move-NftRule -Before $r[0]", "NftRuleMoveToItself")]
    [InlineData("$r[0] | Move-NftRule -Before 999999", "NftRuleNotFound")]
    [InlineData("Move-NftRule -NetworkNamespace $A -Family inet -Table t -Chain c -Handle 999999 -Position First", "NftRuleNotFound")]
    [InlineData("$r[0] | Move-NftRule -Before $r[1] -After $r[2]", "NftRulePlacementConflict")]
    [InlineData("$r[0] | Move-NftRule", "NftRulePlacementConflict")]
    [InlineData("$r[0] | Move-NftRule -NetworkNamespace $B -Position Last", "NftObjectFromOtherNamespace")]
    // Inside one transaction the rule is deleted first: the kernel refuses the move's delete of the old handle, so the
    // move's insertion (same batch) and the earlier removal are not applied either.
    [InlineData("Invoke-NftTransaction -NetworkNamespace $A { $r[0] | Remove-NftRule; $r[0] | Move-NftRule -After $r[2] }", "")]
    public void ARefusedMoveLeavesTheChainAsItWas(string script, string? errorId)
    {
        var host = _fx.Fresh(Chain);
        string before = _fx.A.NftListRuleset("-a");
        var r = host.Run(CopyPipelineTests.RoundTrip + "\n" + Read + script);
        Assert.Equal(before, _fx.A.NftListRuleset("-a"));
        if (errorId is null) { Assert.False(r.HadErrors, r.Describe()); return; }
        Assert.True(r.HadErrors || r.Terminating is not null, r.Describe());
        if (errorId.Length > 0)
            Assert.Contains(r.Errors.Select(e => e.FullyQualifiedErrorId).Append(r.Terminating?.FullyQualifiedErrorId ?? ""),
                id => id.StartsWith(errorId, StringComparison.Ordinal));
    }

    [KernelFact]
    public void WhatIfShowsTheInsertionAndTheDeletionAsOneChange()
    {
        _fx.Fresh(Chain);
        var r = RunnerProcess.RunInside(_fx.A.Name,
            "$r = @(Get-NftRule -Family inet -Table t -Chain c); $r[0] | Move-NftRule -After $r[1] -WhatIf");
        string output = r.StdOut + r.StdErr;
        Assert.Contains("add rule inet t c position", output);
        Assert.Contains("tcp dport 22 counter packets 3 bytes 120 accept comment \"ssh\"", output);
        Assert.Contains("delete rule inet t c handle", output);
    }
}
