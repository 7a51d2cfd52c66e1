using System.Management.Automation;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Safety;

/// <summary>Issue 11 defect 7: what nft 1.0.6 refuses, NftPS refuses, before anything reaches the kernel — checked
/// against nft in the same namespace each time.</summary>
public class NftRefusesTests : IClassFixture<ScriptFixture>
{
    private readonly ScriptFixture _fx;

    public NftRefusesTests(ScriptFixture fx) => _fx = fx;

    [KernelTheory]
    // IFNAMSIZ is 16 with the NUL: nft says "String exceeds maximum length of 16", also with a trailing '*'.
    [InlineData("add rule ip sentinel keep iifname \"0123456789abcdef\" accept", "New-NftRule -NetworkNamespace $ns -Table sentinel -Chain keep -Rule 'iifname \"0123456789abcdef\" accept'", "maximum length of 16")]
    [InlineData("add rule ip sentinel keep oifname \"0123456789abcde*\" accept", "New-NftRule -NetworkNamespace $ns -Table sentinel -Chain keep -Rule 'oifname \"0123456789abcde*\" accept'", "maximum length of 16")]
    [InlineData("add rule ip sentinel keep iifname { \"0123456789abcdef\" } accept", "New-NftRule -NetworkNamespace $ns -Table sentinel -Chain keep -Rule 'iifname { \"0123456789abcdef\" } accept'", "maximum length of 16")]
    [InlineData("add chain netdev nd c { type filter hook ingress device \"0123456789abcdef\" priority 0; }", "New-NftChain -NetworkNamespace $ns -Family netdev -Table nd -Name c -Hook ingress -Priority 0 -Device '0123456789abcdef'", "at most 15")]
    // nft: "Missing `device' in this chain definition".
    [InlineData("add table inet i; add chain inet i c { type filter hook ingress priority 0; }", "New-NftTable -NetworkNamespace $ns -Family inet -Name i; New-NftChain -NetworkNamespace $ns -Family inet -Table i -Name c -Hook ingress -Priority 0", "Missing `device'")]
    [InlineData("add chain netdev nd c { type filter hook ingress priority 0; }", "New-NftChain -NetworkNamespace $ns -Family netdev -Table nd -Name c -Hook ingress -Priority 0", "Missing `device'")]
    [InlineData("add chain netdev nd c { type filter hook egress priority 0; }", "New-NftChain -NetworkNamespace $ns -Family netdev -Table nd -Name c -Hook egress -Priority 0", "Missing `device'")]
    // nft: "comment too long, 128 characters maximum allowed".
    [InlineData("add table ip c129 { comment \"" + C129 + "\"; }", "New-NftTable -NetworkNamespace $ns -Name c129 -Comment ('a' * 129)", "at most 128")]
    [InlineData("add rule ip sentinel keep counter comment \"" + C129 + "\"", "New-NftRule -NetworkNamespace $ns -Table sentinel -Chain keep -Rule 'counter' -Comment ('a' * 129)", "128")]
    [InlineData("add set ip sentinel s { type ipv4_addr; comment \"" + C129 + "\"; }", "New-NftSet -NetworkNamespace $ns -Table sentinel -Name s -Type ipv4_addr -Comment ('a' * 129)", "at most 128")]
    [InlineData("add counter ip sentinel o { comment \"" + C129 + "\"; }", "New-NftObject -NetworkNamespace $ns -Table sentinel -Name o -Type counter -Comment ('a' * 129)", "at most 128")]
    [InlineData("add chain ip sentinel c { comment \"" + C129 + "\"; }", "New-NftChain -NetworkNamespace $ns -Table sentinel -Name c -Comment ('a' * 129)", "at most 128")]
    public void RefusedAsNftRefuses(string nftCommand, string script, string mentions)
    {
        var host = _fx.Require();
        var ns = _fx.Namespace;
        SafetyHarness.Reset(ns);
        string before = ns.NftListRuleset();
        Assert.NotEqual(0, ns.NftLoad(nftCommand + "\n").ExitCode);
        Assert.Equal(before, ns.NftListRuleset());
        var r = SafetyHarness.RunGuarded(host, ns, script + "");
        Assert.Null(r.Terminating);
        // The inet case creates its table first; only the chain must be refused.
        if (script.StartsWith("New-NftTable -NetworkNamespace $ns -Family inet", StringComparison.Ordinal))
        {
            ns.Nft("delete", "table", "inet", "i").EnsureSuccess("nft delete table");
        }
        var e = SafetyHarness.AssertRefused(r, before, ns);
        Assert.Contains(mentions, e.ErrorDetails?.Message ?? e.Exception.Message);
    }

    private const string C129 = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    [KernelFact]
    public void FifteenCharacterInterfaceNamesAreKept()
    {
        var host = _fx.Require();
        var ns = _fx.Namespace;
        SafetyHarness.Reset(ns);
        var r = SafetyHarness.RunGuarded(host, ns, """
            New-NftRule -NetworkNamespace $ns -Table sentinel -Chain keep -Rule 'iifname "0123456789abcde" accept'
            New-NftRule -NetworkNamespace $ns -Table sentinel -Chain keep -Rule 'iifname "0123456789abcd*" accept'
            New-NftChain -NetworkNamespace $ns -Family netdev -Table nd -Name c -Hook ingress -Priority 0 -Device lo
            """);
        Assert.False(r.HadErrors, r.Describe());
        string listing = ns.NftListRuleset();
        Assert.Contains("iifname \"0123456789abcde\" accept", listing);
        Assert.Contains("iifname \"0123456789abcd*\" accept", listing);
    }

    /// <summary>The same limits hold for nft files, with the command's position named.</summary>
    [KernelFact]
    public void NftFileWithAnOverlongCommentIsRefusedAtItsLine()
    {
        var host = _fx.Require();
        var ns = _fx.Namespace;
        SafetyHarness.Reset(ns);
        string before = ns.NftListRuleset();
        string file = Path.Combine(Path.GetTempPath(), "nftps-refuse-" + Guid.NewGuid().ToString("N")[..8] + ".nft");
        File.WriteAllText(file, "add table ip ok\nadd table ip c129 { comment \"" + C129 + "\"; }\n");
        try
        {
            Assert.NotEqual(0, ns.Nft("-f", file).ExitCode);
            host.SetVariable("file", file);
            var r = SafetyHarness.RunGuarded(host, ns, "Import-NftRuleset -NetworkNamespace $ns -Path $file");
            var e = SafetyHarness.AssertRefused(r, before, ns);
            Assert.Contains(":2:", e.Exception.Message);
            Assert.Contains("at most 128", e.Exception.Message);
        }
        finally { File.Delete(file); }
    }
}
