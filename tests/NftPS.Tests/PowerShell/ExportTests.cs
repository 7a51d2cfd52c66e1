using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.PowerShell;

/// <summary>Export-NftRuleset prints what `nft list ruleset` prints, byte for byte.</summary>
public class ExportTests : IClassFixture<ScriptFixture>
{
    private readonly ScriptFixture _fx;

    public ExportTests(ScriptFixture fx) => _fx = fx;

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

    [KernelFact]
    public void ExportEqualsNftListRuleset()
    {
        var host = Load(SampleRuleset.Text);
        Assert.Equal(_fx.Namespace.NftListRuleset(), Text(host.Run("Export-NftRuleset -NetworkNamespace $ns")));
    }

    [KernelFact]
    public void StatelessEqualsNftDashS()
    {
        var host = Load(SampleRuleset.Text);
        Assert.Equal(_fx.Namespace.NftListRuleset("-s"), Text(host.Run("Export-NftRuleset -NetworkNamespace $ns -Stateless")));
    }

    [KernelFact]
    public void FamilyLimitsTheExportLikeNftListRulesetFamily()
    {
        var host = Load(SampleRuleset.Text);
        string expected = _fx.Namespace.Nft("list", "ruleset", "ip").EnsureSuccess("nft list ruleset ip").StdOut;
        Assert.Equal(expected, Text(host.Run("Export-NftRuleset -NetworkNamespace $ns -Family ip")));
    }

    [KernelFact]
    public void PathWritesTheSameTextAndWhatIfWritesNothing()
    {
        var host = Load(SampleRuleset.Text);
        string dir = Directory.CreateTempSubdirectory("nftps-export-").FullName;
        try
        {
            string path = Path.Combine(dir, "ruleset.nft");
            host.SetVariable("exportPath", path);
            var whatIf = host.Run("Export-NftRuleset -NetworkNamespace $ns -Path $exportPath -WhatIf");
            Assert.False(whatIf.HadErrors, whatIf.Describe());
            Assert.False(File.Exists(path));
            var r = host.Run("Export-NftRuleset -NetworkNamespace $ns -Path $exportPath -PassThru");
            Assert.False(r.HadErrors, r.Describe());
            Assert.IsType<FileInfo>(Assert.Single(r.Output).BaseObject);
            Assert.Equal(_fx.Namespace.NftListRuleset(), File.ReadAllText(path));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [KernelFact]
    public void RuleTextIsWhatNftListsForTheRule()
    {
        var host = Load(SampleRuleset.Text);
        var texts = host.Run("(Get-NftRule -NetworkNamespace $ns -Table filter -Chain input).Text");
        Assert.False(texts.HadErrors, texts.Describe());
        Assert.Equal(new[] { "iifname \"lo\" accept", "tcp dport 22 counter packets 7 bytes 420 accept", "ip saddr @blocked counter packets 0 bytes 0 drop" },
            texts.Output.Select(o => (string)o.BaseObject));
    }
}
