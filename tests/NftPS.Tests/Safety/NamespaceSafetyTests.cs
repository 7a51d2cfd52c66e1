using System.Management.Automation;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Safety;

/// <summary>Issue 11 defect 2: a change lands in the namespace the user meant or nowhere. $PSDefaultParameterValues,
/// Invoke-NftTransaction and pipeline objects each name a namespace; which wins is documented in
/// docs/cmdlets/Invoke-NftTransaction.md and src/NftPS/Cmdlets/NftCmdletBase.Namespace.cs.</summary>
public class NamespaceSafetyTests : IClassFixture<TwoNamespacesFixture>
{
    private readonly TwoNamespacesFixture _fx;

    public NamespaceSafetyTests(TwoNamespacesFixture fx) => _fx = fx;

    private (string A, string B) Listings() => (_fx.A.NftListRuleset(), _fx.B.NftListRuleset());

    [KernelFact]
    public void WhatIfTransactionWithADefaultElsewhereChangesNothingAnywhere()
    {
        var host = _fx.Fresh();
        var before = Listings();
        var r = host.Run("""
            $PSDefaultParameterValues['*-Nft*:NetworkNamespace'] = $A
            Invoke-NftTransaction -NetworkNamespace $B -WhatIf { New-NftTable -Family inet -Name x }
            """);
        Assert.Equal(before, Listings());
        Assert.False(r.HadErrors, r.Describe());
    }

    [KernelFact]
    public void TheTransactionsNamespaceWinsOverADefault()
    {
        var host = _fx.Fresh();
        string a = _fx.A.NftListRuleset();
        var r = host.Run("""
            $PSDefaultParameterValues['*-Nft*:NetworkNamespace'] = $A
            Invoke-NftTransaction -NetworkNamespace $B { New-NftTable -Family inet -Name x }
            """);
        Assert.False(r.HadErrors, r.Describe());
        Assert.Equal(a, _fx.A.NftListRuleset());
        Assert.Contains("table inet x", _fx.B.NftListRuleset());
    }

    [KernelTheory]
    [InlineData("$PSDefaultParameterValues['*-Nft*:NetworkNamespace'] = $A")]
    [InlineData("")]
    public void ATypedOtherNamespaceInsideATransactionIsRefusedAndNothingIsApplied(string prelude)
    {
        var host = _fx.Fresh();
        var before = Listings();
        var r = host.Run(prelude + """

            Invoke-NftTransaction -NetworkNamespace $B {
                New-NftTable -Family inet -Name y
                New-NftTable -NetworkNamespace $A -Family inet -Name x
            }
            """);
        Assert.Equal(before, Listings());
        var error = Assert.Single(r.Errors);
        Assert.Equal("NftTransactionAborted", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("refused and nothing was applied", error.Exception.Message);
        Assert.Contains(_fx.A.Name, error.Exception.Message);
    }

    [KernelFact]
    public void ANestedTransactionForAnotherNamespaceIsRefused()
    {
        var host = _fx.Fresh();
        var before = Listings();
        var r = host.Run("""
            Invoke-NftTransaction -NetworkNamespace $B {
                New-NftTable -Family inet -Name y
                Invoke-NftTransaction -NetworkNamespace $A { New-NftTable -Family inet -Name x }
            }
            """);
        Assert.Equal(before, Listings());
        Assert.Contains(r.Errors, e => e.Exception.Message.Contains("a transaction changes one namespace only"));
    }

    [KernelFact]
    public void ResetInsideAWhatIfTransactionResetsNothing()
    {
        var host = _fx.Fresh();
        _fx.B.NftLoad("table inet t {\n\tcounter k {\n\t\tpackets 5 bytes 50\n\t}\n}\n").EnsureSuccess("nft -f");
        var r = host.Run("Invoke-NftTransaction -NetworkNamespace $B -WhatIf { Reset-NftCounter -Family inet -Table t -Name k }");
        Assert.False(r.HadErrors, r.Describe());
        Assert.Contains("packets 5 bytes 50", _fx.B.NftListRuleset());
    }

    [KernelFact]
    public void AnObjectsOriginWinsOverADefault()
    {
        var host = _fx.Fresh();
        _fx.B.Nft("add", "element", "inet", "t", "s", "{ 10.0.0.2 }").EnsureSuccess("nft add element");
        string a = _fx.A.NftListRuleset();
        var r = host.Run("""
            $PSDefaultParameterValues['*-Nft*:NetworkNamespace'] = $A
            Get-NftSet -NetworkNamespace $B | Get-NftSetElement | % { "$($_.NetworkNamespace)=$($_.Value)" }
            Get-NftRule -NetworkNamespace $B -Table t | Remove-NftRule
            """);
        Assert.False(r.HadErrors, r.Describe());
        Assert.Equal(new[] { $"{_fx.B.Name}=10.0.0.1", $"{_fx.B.Name}=10.0.0.2" }, r.Output.Select(o => o.ToString()).Order());
        Assert.Equal(a, _fx.A.NftListRuleset());
        Assert.DoesNotContain("tcp dport 22 accept", _fx.B.NftListRuleset());
    }

    [KernelFact]
    public void ATypedNamespaceThatContradictsTheObjectsOriginIsAnError()
    {
        var host = _fx.Fresh();
        var before = Listings();
        var r = host.Run("""
            Get-NftSet -NetworkNamespace $B | Get-NftSetElement -NetworkNamespace $A
            Get-NftRule -NetworkNamespace $B -Table t | Remove-NftRule -NetworkNamespace $A
            """);
        Assert.Empty(r.Output);
        Assert.Equal(2, r.Errors.Count);
        Assert.All(r.Errors, e => Assert.Equal("NftObjectFromOtherNamespace", e.FullyQualifiedErrorId.Split(',')[0]));
        Assert.All(r.Errors, e => Assert.Contains(_fx.B.Name, e.Exception.Message));
        Assert.Equal(before, Listings());
    }

    [KernelFact]
    public void APathOutsideRunNetnsIsRefused()
    {
        var host = _fx.Fresh();
        // A process inside B: were the relative path followed, B would change.
        using var sleeper = System.Diagnostics.Process.Start("ip", new[] { "netns", "exec", _fx.B.Name, "sleep", "30" });
        Thread.Sleep(300);
        int pid = sleeper!.Id; // ip netns exec execs the command in place
        var before = Listings();
        try
        {
            host.SetVariable("relative", $"../../proc/{pid}/ns/net");
            var r = host.Run("New-NftTable -NetworkNamespace $relative -Family inet -Name evil");
            var error = Assert.Single(r.Errors);
            Assert.Equal("NftNetworkNamespaceInvalid", error.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            foreach (var bad in new[] { ".", "..", "/etc/passwd" })
            {
                host.SetVariable("bad", bad);
                var b = host.Run("New-NftTable -NetworkNamespace $bad -Family inet -Name evil");
                Assert.True(b.HadErrors, bad);
            }
            // An absolute path to a namespace file is accepted (the same namespace as B).
            host.SetVariable("absolute", $"/proc/{pid}/ns/net");
            var ok = host.Run("New-NftTable -NetworkNamespace $absolute -Family inet -Name viapath");
            Assert.False(ok.HadErrors, ok.Describe());
            Assert.Contains("table inet viapath", _fx.B.NftListRuleset());
            Assert.Equal(before.A, _fx.A.NftListRuleset());
        }
        finally
        {
            try { sleeper.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        }
    }

    [KernelFact]
    public void AnEmptyNamespaceIsRefusedBeforeAnythingIsRead()
    {
        var host = _fx.Fresh();
        // -WhatIf: were '' taken as the caller's namespace, nothing would change there either.
        foreach (string script in new[] { "New-NftTable -NetworkNamespace '' -Family inet -Name evil -WhatIf",
                     "$PSDefaultParameterValues['New-NftTable:NetworkNamespace'] = ''; New-NftTable -Family inet -Name evil -WhatIf" })
        {
            var r = host.Run(script);
            var error = Assert.Single(r.Errors);
            Assert.Equal("NftNetworkNamespaceEmpty", error.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Contains("omit -NetworkNamespace", error.Exception.Message);
            host.Run("$PSDefaultParameterValues.Clear()");
        }
    }
}
