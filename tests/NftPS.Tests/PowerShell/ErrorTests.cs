using System.Management.Automation;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.PowerShell;

/// <summary>Failures reach the user as PowerShell errors with a stable id, the right category and the name
/// of what was missing — never a stack trace.</summary>
public class ErrorTests : IClassFixture<ScriptFixture>
{
    private readonly ScriptFixture _fx;

    public ErrorTests(ScriptFixture fx) => _fx = fx;

    private PowerShellHost Load()
    {
        var host = _fx.Require();
        _fx.Namespace.NftLoad(SampleRuleset.Text).EnsureSuccess("nft -f sample");
        return host;
    }

    private static ErrorRecord SingleError(PowerShellResult r, ErrorCategory category, string idPrefix, string mentions)
    {
        Assert.Null(r.Terminating);
        var error = Assert.Single(r.Errors);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.StartsWith(idPrefix + ",", error.FullyQualifiedErrorId);
        Assert.Contains(mentions, error.ErrorDetails?.Message ?? error.Exception.Message);
        return error;
    }

    [KernelFact]
    public void MissingNamespaceIsObjectNotFoundNamingIt()
    {
        var host = _fx.Require();
        var r = host.Run("Get-NftTable -NetworkNamespace nftps-no-such-ns");
        var error = SingleError(r, ErrorCategory.ObjectNotFound, "NetworkNamespaceNotFound", "nftps-no-such-ns");
        Assert.Equal("nftps-no-such-ns", error.TargetObject);
        string text = host.RunText("Get-NftChain -NetworkNamespace nftps-no-such-ns");
        Assert.Contains("nftps-no-such-ns", text);
        Assert.DoesNotContain("   at ", text);
    }

    [KernelFact]
    public void MissingTableAndChainAreObjectNotFoundNamingThem()
    {
        var host = Load();
        SingleError(host.Run("Get-NftChain -NetworkNamespace $ns -Table nosuchtable"), ErrorCategory.ObjectNotFound, "NftTableNotFound", "nosuchtable");
        SingleError(host.Run("Get-NftTable -NetworkNamespace $ns -Name nosuchtable"), ErrorCategory.ObjectNotFound, "NftTableNotFound", "nosuchtable");
        SingleError(host.Run("Get-NftRule -NetworkNamespace $ns -Table filter -Chain nosuchchain"), ErrorCategory.ObjectNotFound, "NftChainNotFound", "nosuchchain");
        SingleError(host.Run("Get-NftSetElement -NetworkNamespace $ns -Table filter -Set nosuchset"), ErrorCategory.ObjectNotFound, "NftSetNotFound", "nosuchset");
        // A family narrows the search: the table exists, but not as ip.
        SingleError(host.Run("Get-NftChain -NetworkNamespace $ns -Family ip -Table filter"), ErrorCategory.ObjectNotFound, "NftTableNotFound", "filter");
        // Wildcards that match nothing are not errors, as with Get-ChildItem.
        Assert.False(host.Run("Get-NftChain -NetworkNamespace $ns -Table 'nosuch*'").HadErrors);
    }

    [KernelFact]
    public void ErrorsLetThePipelineGoOn()
    {
        var host = Load();
        var r = host.Run("'nosuchtable', 'filter' | ForEach-Object { Get-NftChain -NetworkNamespace $ns -Table $_ }");
        Assert.Single(r.Errors);
        Assert.Equal(2, r.Output.Count);
    }

    [KernelFact]
    public void WithoutCapNetAdminTheErrorIsPermissionDeniedWithAHint()
    {
        _fx.Require();
        // The child keeps CAP_SYS_ADMIN (to enter the namespace) but loses CAP_NET_ADMIN, as an ordinary user would.
        var r = RunnerProcess.Run($"Get-NftTable -NetworkNamespace {_fx.Namespace.Name}", "net_admin");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("[PermissionDenied] NftPermissionDenied", r.StdErr);
        Assert.Contains("CAP_NET_ADMIN", r.StdErr);
        Assert.Contains("root", r.StdErr);
        Assert.DoesNotContain("   at ", r.StdErr + r.StdOut);
    }
}
