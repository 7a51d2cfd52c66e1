using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.PowerShell;

/// <summary>`New-NftRule -Rule` with an array (issue 18: many rules per call): the rules land in the array's order
/// wherever they are placed, each is still exactly one rule (a refused one keeps the whole call out), and each is
/// its own -WhatIf question.</summary>
public class RuleArrayTests : IClassFixture<ScriptFixture>
{
    private readonly ScriptFixture _fx;

    public RuleArrayTests(ScriptFixture fx) => _fx = fx;

    private const string Chain = "table inet t {\n chain c {\n  tcp dport 1 accept\n  tcp dport 2 accept\n }\n}\n";

    private string Ours(string script)
    {
        var host = _fx.Require();
        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad(Chain).EnsureSuccess("nft -f");
        var r = host.Run("$h = @(Get-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain c).Handle\n" +
                         "$p = @{ NetworkNamespace = $ns; Family = 'inet'; Table = 't'; Chain = 'c' }\n" + script);
        Assert.False(r.HadErrors, r.Describe());
        return _fx.Namespace.NftListRuleset();
    }

    private string Theirs(string commands)
    {
        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad(Chain).EnsureSuccess("nft -f");
        var handles = System.Text.RegularExpressions.Regex.Matches(_fx.Namespace.NftListRuleset("-a"), @"# handle (\d+)")
            .Select(m => m.Groups[1].Value).ToList();
        // The table's handle, the chain's, then the rules'.
        _fx.Namespace.NftLoad(string.Format(commands, handles[2], handles[3])).EnsureSuccess("nft -f");
        return _fx.Namespace.NftListRuleset();
    }

    [KernelTheory]
    [InlineData("", "add rule inet t c tcp dport 10 accept\nadd rule inet t c tcp dport 11 accept\nadd rule inet t c tcp dport 12 accept\n")]
    [InlineData("-Insert", "insert rule inet t c tcp dport 12 accept\ninsert rule inet t c tcp dport 11 accept\ninsert rule inet t c tcp dport 10 accept\n")]
    [InlineData("-After $h[0]", "add rule inet t c handle {0} tcp dport 12 accept\nadd rule inet t c handle {0} tcp dport 11 accept\nadd rule inet t c handle {0} tcp dport 10 accept\n")]
    [InlineData("-Before $h[1]", "insert rule inet t c handle {1} tcp dport 10 accept\ninsert rule inet t c handle {1} tcp dport 11 accept\ninsert rule inet t c handle {1} tcp dport 12 accept\n")]
    [InlineData("-Index 0", "add rule inet t c handle {0} tcp dport 12 accept\nadd rule inet t c handle {0} tcp dport 11 accept\nadd rule inet t c handle {0} tcp dport 10 accept\n")]
    [InlineData("-Index 1 -Insert", "insert rule inet t c handle {1} tcp dport 10 accept\ninsert rule inet t c handle {1} tcp dport 11 accept\ninsert rule inet t c handle {1} tcp dport 12 accept\n")]
    public void RulesLandInTheArraysOrder(string placement, string nft)
    {
        string ours = Ours($"New-NftRule @p {placement} -Rule 'tcp dport 10 accept', 'tcp dport 11 accept', 'tcp dport 12 accept'");
        Assert.Equal(Theirs(nft), ours);
        Assert.Matches(@"dport 10 accept\s+tcp dport 11 accept\s+tcp dport 12 accept", ours);
    }

    [KernelFact]
    public void EachStringIsOneRuleAndARefusalKeepsTheCallOut()
    {
        var host = _fx.Require();
        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad(Chain).EnsureSuccess("nft -f");
        string before = _fx.Namespace.NftListRuleset();
        foreach (string bad in new[] { "tcp dport 3 accept; flush ruleset", "tcp dport 3 accept\nadd rule inet t c drop", "tcp dport nosuchport accept" })
        {
            var r = host.Run($"New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain c -Rule 'tcp dport 10 accept', '{bad}'");
            Assert.True(r.HadErrors, bad);
            Assert.Equal(before, _fx.Namespace.NftListRuleset());
        }
        string text = host.RunText("New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain c -Rule 'tcp dport 10 accept', 'tcp dport 11 drop' -WhatIf");
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(text, "What if:").Count);
        Assert.Equal(before, _fx.Namespace.NftListRuleset());
        var passThru = host.Run("New-NftRule -NetworkNamespace $ns -Family inet -Table t -Chain c -Rule 'tcp dport 10 accept', 'tcp dport 11 accept' -PassThru | % Handle");
        Assert.False(passThru.HadErrors, passThru.Describe());
        Assert.Equal(2, passThru.Output.Count);
    }
}
