using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Examples;

/// <summary>The scripts under examples/ are documentation users copy; they must keep working. Each runs in a
/// fresh private namespace of its own through the hosted runspace, as a user would run it with pwsh.</summary>
public class ExampleScriptTests
{
    [KernelTheory]
    [InlineData("egress-allowlist.ps1", "table inet egress", "policy drop")]
    [InlineData("mail-server.ps1", "table", "limit rate")]
    public void ExampleRunsWithoutErrorsAndLeavesItsPolicy(string script, string expectTable, string expectText)
    {
        using var ns = new PrivateNetworkNamespace();
        ns.Require();
        using var ps = new PowerShellHost();
        string path = Path.Combine(TestEnvironment.RepoRoot, "examples", script);
        ps.SetVariable("examplePath", path);
        ps.SetVariable("exampleNs", ns.Name);
        var result = ps.Run("& $examplePath -NetworkNamespace $exampleNs");
        Assert.True(result.Terminating is null && result.Errors.Count == 0, result.Describe());
        string listing = ns.NftListRuleset();
        Assert.Contains(expectTable, listing);
        Assert.Contains(expectText, listing);
    }
}
