using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Safety;

/// <summary>Issue 11 defect 2, tab completion: names are read only from the namespace the command would act on —
/// the command line's -NetworkNamespace, an enclosing transaction's, then $PSDefaultParameterValues — and from none
/// when that cannot be known.</summary>
public class CompletionNamespaceTests : IClassFixture<TwoNamespacesFixture>
{
    private readonly TwoNamespacesFixture _fx;

    public CompletionNamespaceTests(TwoNamespacesFixture fx) => _fx = fx;

    private string[] Complete(PowerShellHost host, string line)
    {
        host.SetVariable("completionInput", line);
        var r = host.Run("(TabExpansion2 -inputScript $completionInput -cursorColumn $completionInput.Length).CompletionMatches | % CompletionText");
        Assert.False(r.HadErrors, r.Describe());
        return r.Output.Select(o => o.ToString()).ToArray();
    }

    [KernelFact]
    public void CompletionReadsTheNamespaceTheCommandWouldUse()
    {
        var host = _fx.Fresh();
        _fx.A.Nft("add", "table", "inet", "onlyina").EnsureSuccess("nft add table");
        _fx.B.Nft("add", "table", "inet", "onlyinb").EnsureSuccess("nft add table");
        host.Run("$PSDefaultParameterValues['*-Nft*:NetworkNamespace'] = $A");
        Assert.Equal(new[] { "onlyina" }, Complete(host, "Get-NftChain -Table only"));
        Assert.Equal(new[] { "onlyinb" }, Complete(host, $"Get-NftChain -NetworkNamespace {_fx.B.Name} -Table only"));
        Assert.Equal(new[] { "onlyinb" }, Complete(host, $"Invoke-NftTransaction -NetworkNamespace {_fx.B.Name} {{ New-NftRule -Table only"));
        // Values that cannot be known without running code: read nothing rather than guess.
        host.Run("$PSDefaultParameterValues['*-Nft*:NetworkNamespace'] = { $B }");
        Assert.Empty(Complete(host, "Get-NftChain -Table only"));
        host.Run("$PSDefaultParameterValues['*-Nft*:NetworkNamespace'] = $A");
        Assert.Empty(Complete(host, "Get-NftChain -NetworkNamespace ../x -Table only"));
        Assert.Empty(Complete(host, "Invoke-NftTransaction -NetworkNamespace (Get-Random) { New-NftRule -Table only"));
    }
}
