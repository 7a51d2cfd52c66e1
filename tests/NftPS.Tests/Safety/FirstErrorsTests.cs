using System.Management.Automation;
using NftPS.Cmdlets;
using NftPS.Netlink;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Safety;

/// <summary>Issue 11 defect 8: the errors users hit first say what is wrong, not the kernel's bare errno.</summary>
public class FirstErrorsTests : IClassFixture<ScriptFixture>
{
    private readonly ScriptFixture _fx;

    public FirstErrorsTests(ScriptFixture fx) => _fx = fx;

    private const string Egress = "table inet egress {\n\tset v4 {\n\t\ttype ipv4_addr\n\t}\n\n\tchain c {\n\t}\n\n\tchain out {\n\t\ttype filter hook output priority filter; policy accept;\n\t}\n}\n";

    private PowerShellHost Fresh()
    {
        var host = _fx.Require();
        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad(Egress).EnsureSuccess("nft -f");
        return host;
    }

    [KernelTheory]
    [InlineData("New-NftRule -NetworkNamespace $ns -Table egress -Chain c -Rule 'accept'")]
    [InlineData("New-NftChain -NetworkNamespace $ns -Table egress -Name d")]
    [InlineData("Set-NftChain -NetworkNamespace $ns -Table egress -Name out -Policy drop")]
    public void AForgottenFamilyNamesTheTableThatExists(string script)
    {
        var host = Fresh();
        string before = _fx.Namespace.NftListRuleset();
        var r = host.Run(script);
        var error = Assert.Single(r.Errors);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        string message = error.ErrorDetails?.Message ?? error.Exception.Message;
        Assert.Contains("Table 'ip egress' does not exist; table 'inet egress' does (give -Family inet)", message);
        Assert.Equal(before, _fx.Namespace.NftListRuleset());
    }

    [KernelFact]
    public void SettingThePolicyOfAMissingChainSaysItIsMissing()
    {
        var host = Fresh();
        var r = host.Run("Set-NftChain -NetworkNamespace $ns -Family inet -Table egress -Name nochain -Policy drop");
        var error = Assert.Single(r.Errors);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.StartsWith("Chain 'nochain' does not exist in table 'inet egress'.", error.ErrorDetails?.Message);
        var regular = Assert.Single(host.Run("Set-NftChain -NetworkNamespace $ns -Family inet -Table egress -Name c -Policy drop").Errors);
        Assert.Contains("only base chains (with a hook) have a policy", regular.ErrorDetails?.Message);
    }

    [KernelTheory]
    [InlineData("Add-NftSetElement -NetworkNamespace $ns -Family inet -Table egress -Set v4 -Element '::1'", "'::1' is an IPv6 address, but an IPv4 address (ipv4_addr) is expected")]
    [InlineData("New-NftRule -NetworkNamespace $ns -Family inet -Table egress -Chain c -Rule 'ip saddr ::1 accept'", "'::1' is an IPv6 address, but an IPv4 address (ipv4_addr) is expected")]
    [InlineData("New-NftRule -NetworkNamespace $ns -Family inet -Table egress -Chain c -Rule 'ip6 saddr 10.0.0.1 accept'", "'10.0.0.1' is an IPv4 address, but an IPv6 address (ipv6_addr) is expected")]
    public void AnAddressOfTheOtherFamilySaysTheTypeMismatch(string script, string expected)
    {
        var host = Fresh();
        string before = _fx.Namespace.NftListRuleset();
        var error = Assert.Single(host.Run(script).Errors);
        Assert.Contains(expected, error.Exception.Message);
        Assert.DoesNotContain("resolve hostname", error.Exception.Message);
        Assert.Equal(before, _fx.Namespace.NftListRuleset());
    }

    [Fact]
    public void EnteringANamespaceNamesCapSysAdmin()
    {
        var ex = new NetlinkException(Errors.EPERM, "setns /run/netns/x");
        Assert.Contains("CAP_SYS_ADMIN", ex.Message);
        Assert.DoesNotContain("CAP_NET_ADMIN", ex.Message);
        var record = NftErrors.FromException(ex, "x");
        Assert.Contains("CAP_SYS_ADMIN", record.ErrorDetails.RecommendedAction);
        Assert.DoesNotContain("CAP_NET_ADMIN", record.ErrorDetails.Message ?? "");
        // Talking to nf_tables is what needs CAP_NET_ADMIN.
        Assert.Contains("CAP_NET_ADMIN", new NetlinkException(Errors.EPERM, "add table").Message);
    }

    [KernelFact]
    public void EnteringANamespaceWithoutCapSysAdminIsRefusedWithTheHint()
    {
        _fx.Require();
        // The child keeps CAP_NET_ADMIN but cannot enter another namespace.
        var r = RunnerProcess.Run($"Get-NftTable -NetworkNamespace {_fx.Namespace.Name}", "sys_admin");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("[PermissionDenied] NftPermissionDenied", r.StdErr);
        Assert.Contains("CAP_SYS_ADMIN", r.StdErr);
        Assert.DoesNotContain("CAP_NET_ADMIN", r.StdErr + r.StdOut);
    }
}
