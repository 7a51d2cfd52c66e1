using System.Management.Automation;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Safety;

/// <summary>Issue 11 defect 3: a deserialized copy (PSSerializer, as remoting and Import-Clixml give) binds to the
/// by-name parameters, not as an object; it must be checked for its host and namespace exactly as a live one.</summary>
public class OriginGuardTests : IClassFixture<TwoNamespacesFixture>
{
    private readonly TwoNamespacesFixture _fx;

    public OriginGuardTests(TwoNamespacesFixture fx) => _fx = fx;

    private const string RoundTrip = """
        function Copy-Deserialized($o) {
            [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($o))
        }
        """;

    [KernelTheory]
    [InlineData("$copy = Copy-Deserialized (Get-NftRule -NetworkNamespace $A -Table t); $copy.Host = 'elsewhere'; $copy | Remove-NftRule -NetworkNamespace $B")]
    [InlineData("$copy = Copy-Deserialized (Get-NftRule -NetworkNamespace $A -Table t); $copy.Host = 'elsewhere'; $copy | Remove-NftRule")]
    [InlineData("$copy = Copy-Deserialized (Get-NftChain -NetworkNamespace $A -Table t); $copy.Host = 'elsewhere'; $copy | Clear-NftChain -NetworkNamespace $B")]
    [InlineData("$copy = Copy-Deserialized (Get-NftTable -NetworkNamespace $A -Name t); $copy.Host = 'elsewhere'; $copy | Remove-NftTable -NetworkNamespace $B")]
    [InlineData("$copy = Copy-Deserialized (Get-NftSetElement -NetworkNamespace $A -Family inet -Table t -Set s); $copy.Host = 'elsewhere'; $copy | Remove-NftSetElement -NetworkNamespace $B")]
    public void ACopyFromAnotherHostIsRefused(string script)
    {
        var host = _fx.Fresh();
        var before = (_fx.A.NftListRuleset(), _fx.B.NftListRuleset());
        var r = host.Run(RoundTrip + "\n" + script);
        Assert.Equal(before, (_fx.A.NftListRuleset(), _fx.B.NftListRuleset()));
        Assert.True(r.Errors.Count == 1, r.Describe());
        var error = r.Errors[0];
        Assert.Equal("NftObjectFromOtherHost", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.SecurityError, error.CategoryInfo.Category);
        Assert.Contains("not on this one", error.Exception.Message);
    }

    [KernelTheory]
    [InlineData("(Copy-Deserialized (Get-NftRule -NetworkNamespace $A -Table t)) | Remove-NftRule -NetworkNamespace $B")]
    [InlineData("(Copy-Deserialized (Get-NftChain -NetworkNamespace $A -Table t)) | Clear-NftChain -NetworkNamespace $B")]
    [InlineData("(Copy-Deserialized (Get-NftTable -NetworkNamespace $A -Name t)) | Remove-NftTable -NetworkNamespace $B")]
    public void ACopyFromAnotherNamespaceIsRefused(string script)
    {
        var host = _fx.Fresh();
        var before = (_fx.A.NftListRuleset(), _fx.B.NftListRuleset());
        var r = host.Run(RoundTrip + "\n" + script);
        Assert.Equal(before, (_fx.A.NftListRuleset(), _fx.B.NftListRuleset()));
        var error = Assert.Single(r.Errors);
        Assert.Equal("NftObjectFromOtherNamespace", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains(_fx.A.Name, error.Exception.Message);
        Assert.Contains(_fx.B.Name, error.Exception.Message);
    }

    [KernelFact]
    public void ALocalCopyActsWhereItWasRead()
    {
        var host = _fx.Fresh();
        string b = _fx.B.NftListRuleset();
        var r = host.Run(RoundTrip + "\n(Copy-Deserialized (Get-NftRule -NetworkNamespace $A -Table t)) | Remove-NftRule");
        Assert.False(r.HadErrors, r.Describe());
        Assert.DoesNotContain("tcp dport 22 accept", _fx.A.NftListRuleset());
        Assert.Equal(b, _fx.B.NftListRuleset());
    }
}
