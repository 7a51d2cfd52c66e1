using System.Management.Automation;
using NftPS.Cmdlets.Convergence;
using NftPS.DesiredState;
using NftPS.NfTables;
using NftPS.NfTables.Operations;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.PowerShell;

/// <summary>Compare-, Test- and Set-NftRuleset where the Pester spec (tests/pester/DesiredState.Tests.ps1) does not
/// reach: parameter binding, input refused before anything is compared, the read of the managed tables alone, and
/// what counts as a high-impact change.</summary>
public class DesiredStateCmdletTests : IClassFixture<ScriptFixture>
{
    private const string Policy = "table inet web {\n\tset allowed {\n\t\ttype ipv4_addr\n\t\telements = { 192.0.2.1, 192.0.2.2 }\n\t}\n" +
                                  "\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n\t\ttcp dport 22 ip saddr @allowed accept\n\t}\n}\n" +
                                  "table ip other {\n\tchain c {\n\t\tudp dport 53 accept\n\t}\n}\n";

    private readonly ScriptFixture _fx;

    public DesiredStateCmdletTests(ScriptFixture fx) => _fx = fx;

    private PowerShellHost Load()
    {
        var host = _fx.Require();
        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad(Policy).EnsureSuccess("nft -f policy");
        return host;
    }

    [Theory]
    [InlineData("Compare-NftRuleset -Path ./a.nft -Text 'table inet x { }'")]
    [InlineData("Test-NftRuleset -Text 'table inet x { }' -IncludePath /tmp")]
    [InlineData("Set-NftRuleset -InputObject ([psobject]::new()) -AsJson")]
    [InlineData("Set-NftRuleset -Path ./a.nft -MaxRetries 0")]
    public void ParameterSetsKeepTheSourcesApart(string script)
    {
        using var host = new PowerShellHost();
        var r = host.Run(script);
        var error = r.Terminating ?? Assert.Single(r.Errors);
        Assert.Contains(error.FullyQualifiedErrorId.Split(',')[0],
            new[] { "AmbiguousParameterSet", "NamedParameterNotFound", "ParameterArgumentValidationError" });
    }

    [KernelFact]
    public void PartsOfTablesAreRefusedAndNothingIsCompared()
    {
        var host = Load();
        string before = _fx.Namespace.NftListRuleset("-j");
        var r = host.Run("Get-NftRule -NetworkNamespace $ns -Table web | Set-NftRuleset -NetworkNamespace $ns -Confirm:$false");
        Assert.Null(r.Terminating);
        Assert.Empty(r.Output);
        Assert.Contains(r.Errors, e => e.FullyQualifiedErrorId.StartsWith("NftDesiredStateInputUnsupported,", StringComparison.Ordinal) &&
                                       e.CategoryInfo.Category == ErrorCategory.InvalidArgument && e.Exception.Message.Contains("whole tables"));
        Assert.Contains(r.Errors, e => e.FullyQualifiedErrorId.StartsWith("NftDesiredStateIncomplete,", StringComparison.Ordinal));
        Assert.Equal(before, _fx.Namespace.NftListRuleset("-j"));
    }

    [KernelFact]
    public void ShallowCopiesPartsAndStringsAreRefusedWithAHint()
    {
        var host = Load();
        string before = _fx.Namespace.NftListRuleset("-j");
        var r = host.Run("$copy = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize((Get-NftRuleset -NetworkNamespace $ns), 1)); " +
                         "$copy | Set-NftRuleset -NetworkNamespace $ns -Confirm:$false");
        Assert.Empty(r.Output);
        var refused = Assert.Single(r.Errors, e => e.FullyQualifiedErrorId.StartsWith("NftDesiredStateInputUnsupported,", StringComparison.Ordinal));
        Assert.Contains("-Depth 3", refused.Exception.Message);
        r = host.Run("$rule = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize((Get-NftRule -NetworkNamespace $ns -Table web), 3)); " +
                     "$rule | Set-NftRuleset -NetworkNamespace $ns -Confirm:$false");
        Assert.Contains(r.Errors, e => e.Exception.Message.Contains("whole tables"));
        r = host.Run("'table inet web { }' | Test-NftRuleset -NetworkNamespace $ns");
        Assert.Empty(r.Output);
        Assert.Contains(r.Errors, e => e.Exception.Message.Contains("-Text"));
        Assert.Equal(before, _fx.Namespace.NftListRuleset("-j"));
    }

    /// <summary>A copy that lost its types (Import-Clixml, remoting) rebuilds into the model a live read gives: printed,
    /// it is exactly what nft lists, so the comparison sees the same rules, sets, elements and objects.</summary>
    [KernelFact]
    public void ADeserializedSnapshotRebuildsIntoTheModelNftLists()
    {
        var host = _fx.Require();
        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad(Policy + "table inet more {\n\tcounter cnt {\n\t\tpackets 3 bytes 4\n\t}\n\tmap ports {\n\t\ttype inet_service : verdict\n\t\telements = { 22 : accept, 25 : drop, 80 : jump c2 }\n\t}\n" +
                                 "\tchain c2 {\n\t}\n\tchain c {\n\t\ttcp dport vmap @ports\n\t\tip saddr { 10.0.0.0/8, 192.168.0.0/16 } counter packets 0 bytes 0 accept comment \"x\"\n\t}\n}\n").EnsureSuccess("nft -f");
        var r = host.Run("[System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize((Get-NftRuleset -NetworkNamespace $ns), 3))");
        Assert.False(r.HadErrors, r.Describe());
        var rebuilt = DeserializedRuleset.Rebuild(Assert.Single(r.Output));
        Assert.Equal(_fx.Namespace.NftListRuleset(), NftPS.Cmdlets.RulesetSource.Print(rebuilt, stateless: false));
        Assert.Equal(_fx.Namespace.Name, rebuilt.NetworkNamespace);
    }

    [KernelFact]
    public void APipedTableNeedsATargetNamespace()
    {
        var host = Load();
        var r = host.Run("Get-NftTable -NetworkNamespace $ns -Name web | Compare-NftRuleset");
        Assert.Empty(r.Output);
        Assert.Contains(r.Errors, e => e.FullyQualifiedErrorId.StartsWith("NftTemplateTargetUnnamed,", StringComparison.Ordinal));
    }

    [KernelFact]
    public void TestNftRulesetAnswersNothingWhenTheDesiredStateCannotBeRead()
    {
        var host = Load();
        var r = host.Run("Test-NftRuleset -NetworkNamespace $ns -Text 'table inet web { chain input { tcp dport 22 acept; }; }'");
        Assert.Empty(r.Output);
        Assert.NotEmpty(r.Errors);
        r = host.Run("Test-NftRuleset -NetworkNamespace $ns -Path /nonexistent/policy.nft");
        Assert.Empty(r.Output);
        Assert.NotEmpty(r.Errors);
    }

    [KernelFact]
    public void ManagedTablesAreReadAloneWithEverythingInThemAtOneGeneration()
    {
        Load();
        using var connection = NfTablesConnection.Open(_fx.Namespace.Name);
        var live = ManagedTableReader.Read(connection, new[] { (NftFamily.Inet, "web"), (NftFamily.Inet, "absent") }, CancellationToken.None);
        Assert.Equal(new[] { "web" }, live.Tables.Select(t => t.Name));
        Assert.All(live.Chains, c => Assert.Equal("web", c.Table));
        Assert.All(live.Rules, r => Assert.Equal("web", r.Table));
        Assert.Single(live.Rules);
        var set = Assert.Single(live.Sets, s => !s.IsAnonymous);
        Assert.Equal(2, set.Elements.Count);
        Assert.Equal(connection.GetGeneration(), live.Generation);
        var none = ManagedTableReader.Read(connection, Array.Empty<(NftFamily, string)>(), CancellationToken.None);
        Assert.Empty(none.Tables);
    }

    [Fact]
    public void HighImpactIsRemovalAndDropPolicy()
    {
        Assert.True(OperationScope.IsHighImpact(new TableOperation(NftVerb.Delete, NftFamily.Inet, "web")));
        Assert.True(OperationScope.IsHighImpact(new ChainOperation(NftVerb.Delete, NftFamily.Inet, "web", "input")));
        Assert.True(OperationScope.IsHighImpact(new ChainPolicyOperation(NftFamily.Inet, "web", "input", "drop")));
        Assert.True(OperationScope.IsHighImpact(new RulesetOperation(NftFamily.Unspecified)));
        Assert.False(OperationScope.IsHighImpact(new ChainPolicyOperation(NftFamily.Inet, "web", "input", "accept")));
        Assert.False(OperationScope.IsHighImpact(new TableOperation(NftVerb.Add, NftFamily.Inet, "web")));
        Assert.True(OperationScope.Touches(new ChainOperation(NftVerb.Add, NftFamily.Inet, "web", "c"), new[] { (NftFamily.Inet, "web") }));
        Assert.False(OperationScope.Touches(new ChainOperation(NftVerb.Add, NftFamily.Ip, "web", "c"), new[] { (NftFamily.Inet, "web") }));
        Assert.True(OperationScope.Touches(new RulesetOperation(NftFamily.Unspecified), new[] { (NftFamily.Inet, "web") }));
    }
}
