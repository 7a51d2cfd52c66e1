using System.Management.Automation;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.PowerShell;

/// <summary>Tab completion as PowerShell does it (TabExpansion2), reading names from the live kernel.</summary>
public class CompletionTests : IClassFixture<ScriptFixture>
{
    private readonly ScriptFixture _fx;

    public CompletionTests(ScriptFixture fx) => _fx = fx;

    private string[] Complete(string input)
    {
        var host = _fx.Require();
        _fx.Namespace.NftLoad(SampleRuleset.Text).EnsureSuccess("nft -f sample");
        host.SetVariable("completionInput", input);
        var r = host.Run("(TabExpansion2 -inputScript $completionInput -cursorColumn $completionInput.Length).CompletionMatches");
        Assert.False(r.HadErrors, r.Describe());
        return r.Objects<CompletionResult>().Select(c => c.CompletionText).ToArray();
    }

    [KernelFact]
    public void TableNamesComeFromTheKernelNarrowedByFamily()
    {
        string ns = _fx.Namespace.Name;
        Assert.Equal(new[] { "filter" }, Complete($"Get-NftChain -NetworkNamespace {ns} -Table f"));
        Assert.Equal(new[] { "filter", "nat", "other" }, Complete($"Get-NftChain -NetworkNamespace {ns} -Table "));
        Assert.Equal(new[] { "nat" }, Complete($"Get-NftChain -NetworkNamespace {ns} -Family ip -Table "));
        Assert.Equal(new[] { "filter" }, Complete($"Get-NftTable -NetworkNamespace {ns} -Name fi"));
    }

    [KernelFact]
    public void ChainAndSetNamesAreNarrowedByTable()
    {
        string ns = _fx.Namespace.Name;
        Assert.Equal(new[] { "forwarding", "input" }, Complete($"Get-NftRule -NetworkNamespace {ns} -Table filter -Chain "));
        Assert.Equal(new[] { "post" }, Complete($"Get-NftRule -NetworkNamespace {ns} -Table nat -Chain "));
        Assert.Equal(new[] { "blocked", "ports" }, Complete($"Get-NftSetElement -NetworkNamespace {ns} -Table filter -Set "));
        // -Name is declared once for Get-NftChain, Get-NftSet, Get-NftFlowtable and Get-NftObject: each completes its kind.
        Assert.Equal(new[] { "forwarding", "input" }, Complete($"Get-NftChain -NetworkNamespace {ns} -Table filter -Name "));
        Assert.Equal(new[] { "blocked", "ports" }, Complete($"Get-NftSet -NetworkNamespace {ns} -Table filter -Name "));
        Assert.Equal(new[] { "ports" }, Complete($"NftPS\\Get-NftSet -NetworkNamespace {ns} filter p"));
    }

    [KernelFact]
    public void FamiliesAndNamespacesComplete()
    {
        string ns = _fx.Namespace.Name;
        Assert.Equal(new[] { "inet", "ip", "ip6" }, Complete($"Get-NftTable -NetworkNamespace {ns} -Family i").OrderBy(s => s, StringComparer.Ordinal));
        Assert.Contains(ns, Complete($"Get-NftTable -NetworkNamespace {ns[..^2]}"));
    }
}
