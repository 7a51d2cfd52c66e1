using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.PowerShell;

/// <summary>The default views read like a firewall listing and fit a 120-column terminal.</summary>
public class FormatTests : IClassFixture<ScriptFixture>
{
    private readonly ScriptFixture _fx;

    public FormatTests(ScriptFixture fx) => _fx = fx;

    private string Show(string script)
    {
        var host = _fx.Require();
        _fx.Namespace.NftLoad(SampleRuleset.Text).EnsureSuccess("nft -f sample");
        string text = host.RunText(script);
        Assert.All(text.Split('\n'), line => Assert.True(line.TrimEnd('\r').Length <= 120, $"wider than 120 columns: {line}"));
        Assert.False(text.Contains("\u001b["), "ANSI in: " + text.Replace("\u001b", "<ESC>"));
        return text;
    }

    [KernelFact]
    public void TablesShowLowerCaseFamilies()
    {
        string text = Show("Get-NftTable -NetworkNamespace $ns");
        Assert.Matches(@"(?m)^Family\s+Name\s+Handle", text);
        Assert.Matches(@"(?m)^inet\s+filter\s+\d+", text);
        Assert.Matches(@"(?m)^ip6\s+other", text);
    }

    [KernelFact]
    public void ChainsAreGroupedByTable()
    {
        string text = Show("Get-NftChain -NetworkNamespace $ns -Table filter");
        Assert.Contains("Table: inet filter", text);
        Assert.Matches(@"(?m)^input\s+filter\s+input\s+filter\s+drop", text);
    }

    [KernelFact]
    public void RulesAreGroupedByChainWithCounters()
    {
        string text = Show("Get-NftRule -NetworkNamespace $ns -Table filter");
        Assert.Contains("Chain: inet filter input", text);
        Assert.Matches(@"(?m)^\s*Pos\s+Handle\s+Packets\s+Bytes\s+Rule\s+Comment", text);
        Assert.Matches(@"(?m)^\s+\d+\s+\d+\s+7\s+420\s+\S", text);
    }

    [KernelFact]
    public void SetsElementsObjectsAndTheRulesetHaveViews()
    {
        Assert.Matches(@"(?m)^blocked\s+set\s", Show("Get-NftSet -NetworkNamespace $ns"));
        Assert.Matches(@"(?m)^ports\s+map\s", Show("Get-NftSet -NetworkNamespace $ns"));
        Assert.Contains("Set: inet filter blocked", Show("Get-NftSetElement -NetworkNamespace $ns -Table filter -Set blocked"));
        Assert.Matches(@"(?m)^inet\s+filter\s+hits\s+counter\s+3\s+120", Show("Get-NftObject -NetworkNamespace $ns"));
        Assert.Matches(@"(?m)^Rules\s+: 3", Show("Get-NftRuleset -NetworkNamespace $ns"));
    }
}
