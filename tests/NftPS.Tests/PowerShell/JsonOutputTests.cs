using System.Text.Json.Nodes;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.PowerShell;

/// <summary>ConvertTo-NftJson and Export-NftRuleset -AsJson print what `nft -j list …` prints, byte for byte.</summary>
public class JsonOutputTests : IClassFixture<ScriptFixture>
{
    private readonly ScriptFixture _fx;

    public JsonOutputTests(ScriptFixture fx) => _fx = fx;

    private PowerShellHost Load(string ruleset)
    {
        var host = _fx.Require();
        _fx.Namespace.NftLoad(ruleset).EnsureSuccess("nft -f");
        return host;
    }

    private static string Text(PowerShellResult r)
    {
        Assert.False(r.HadErrors, r.Describe());
        return Assert.IsType<string>(Assert.Single(r.Output).BaseObject);
    }

    private string NftJson(params string[] args) =>
        _fx.Namespace.Nft(new[] { "-j" }.Concat(args).ToArray()).EnsureSuccess("nft -j " + string.Join(' ', args)).StdOut;

    [KernelFact]
    public void ExportAsJsonEqualsNftDashJListRuleset()
    {
        var host = Load(SampleRuleset.Text);
        Assert.Equal(NftJson("list", "ruleset"), Text(host.Run("Export-NftRuleset -NetworkNamespace $ns -AsJson")));
    }

    [KernelFact]
    public void ExportAsJsonStatelessEqualsNftDashJDashS()
    {
        var host = Load(SampleRuleset.Text);
        Assert.Equal(NftJson("-s", "list", "ruleset"), Text(host.Run("Export-NftRuleset -NetworkNamespace $ns -AsJson -Stateless")));
    }

    [KernelFact]
    public void ConvertToNftJsonOfTheRulesetEqualsNftListing()
    {
        var host = Load(SampleRuleset.Text);
        Assert.Equal(NftJson("list", "ruleset").TrimEnd('\n'), Text(host.Run("Get-NftRuleset -NetworkNamespace $ns | ConvertTo-NftJson")));
    }

    [KernelFact]
    public void ConvertToNftJsonOfTablesEqualsNftListTables()
    {
        var host = Load(SampleRuleset.Text);
        Assert.Equal(NftJson("list", "tables").TrimEnd('\n'), Text(host.Run("Get-NftTable -NetworkNamespace $ns | ConvertTo-NftJson")));
    }

    [KernelFact]
    public void ConvertToNftJsonOfAChainAndItsRulesEqualsNftListChain()
    {
        var host = Load(SampleRuleset.Text + "add rule inet filter input tcp dport { 80, 443 } accept\n");
        string ours = Text(host.Run(
            "@(Get-NftChain -NetworkNamespace $ns -Table filter -Name input) + @(Get-NftRule -NetworkNamespace $ns -Table filter -Chain input) | ConvertTo-NftJson"));
        Assert.Equal(NftJson("list", "chain", "inet", "filter", "input").TrimEnd('\n'), ours);
    }

    [KernelFact]
    public void ConvertToNftJsonOfASetCarriesItsElements()
    {
        var host = Load(SampleRuleset.Text);
        Assert.Equal(NftJson("list", "set", "inet", "filter", "blocked").TrimEnd('\n'),
            Text(host.Run("Get-NftSet -NetworkNamespace $ns -Table filter -Name blocked | ConvertTo-NftJson")));
    }

    [KernelFact]
    public void IndentedParsesToTheSameDocument()
    {
        var host = Load(SampleRuleset.Text);
        string compact = Text(host.Run("Get-NftRuleset -NetworkNamespace $ns | ConvertTo-NftJson"));
        string indented = Text(host.Run("Get-NftRuleset -NetworkNamespace $ns | ConvertTo-NftJson -Indented"));
        Assert.Contains("\n", indented);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(compact), JsonNode.Parse(indented)));
    }

    [KernelFact]
    public void OtherInputIsAnInvalidArgumentError()
    {
        var host = _fx.Require();
        var r = host.Run("42 | ConvertTo-NftJson");
        Assert.True(r.HadErrors);
        var error = Assert.Single(r.Errors);
        Assert.Equal("NftJsonUnsupportedInput,NftPS.Cmdlets.ConvertToNftJsonCommand", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Empty(r.Output);
    }
}
