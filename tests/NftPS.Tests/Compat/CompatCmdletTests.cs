using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Compat;

/// <summary>Through the cmdlets, on one namespace holding all four tools' iptables-nft rules: Export-NftRuleset (text and
/// JSON) and ConvertTo-NftJson equal nft; rules with xt expressions are refused to Set/Remove/Move-NftRule naming
/// their owner; an NftPS change to another table leaves the iptables tables byte-identical.</summary>
public class CompatCmdletTests : IClassFixture<ScriptFixture>
{
    private readonly ScriptFixture _fx;

    public CompatCmdletTests(ScriptFixture fx) => _fx = fx;

    private PowerShellHost Load()
    {
        var host = _fx.Require();
        _fx.Namespace.Flush();
        foreach (var tool in new[] { "docker", "fail2ban", "kube-proxy", "libvirt" }) CompatShapes.Build(_fx.Namespace.Name, ToolShapes.All[tool]);
        return host;
    }

    private static string Text(PowerShellResult r)
    {
        Assert.False(r.HadErrors, r.Describe());
        return Assert.IsType<string>(Assert.Single(r.Output).BaseObject);
    }

    [KernelFact]
    public void Export_text_and_json_equal_nft_for_the_whole_ruleset()
    {
        var host = Load();
        Assert.Equal(_fx.Namespace.NftListRuleset(), Text(host.Run("Export-NftRuleset -NetworkNamespace $ns")));
        string json = _fx.Namespace.Nft("-j", "list", "ruleset").EnsureSuccess("nft -j").StdOut;
        Assert.Equal(json.TrimEnd('\n'), Text(host.Run("Export-NftRuleset -NetworkNamespace $ns -AsJson")).TrimEnd('\n'));
        Assert.Equal(json.TrimEnd('\n'), Text(host.Run("Get-NftRuleset -NetworkNamespace $ns | ConvertTo-NftJson")).TrimEnd('\n'));
    }

    public static IEnumerable<object[]> Changes => new[]
    {
        new object[] { "Set-NftRule -Rule 'counter accept'" },
        new object[] { "Remove-NftRule" },
        new object[] { "Move-NftRule -Position First" },
    };

    [KernelTheory]
    [MemberData(nameof(Changes))]
    public void Changing_an_xt_rule_is_refused_naming_its_tool(string change)
    {
        var host = Load();
        string before = _fx.Namespace.NftListRuleset();
        var r = host.Run("@(Get-NftRule -NetworkNamespace $ns -Family ip -Table nat -Chain POSTROUTING | Where-Object Text -like '*masquerade*')[0] | "
            + change + " -NetworkNamespace $ns");
        var error = Assert.Single(r.Errors);
        Assert.True(error.FullyQualifiedErrorId.StartsWith("NftRuleOwnedByXtables", StringComparison.Ordinal), r.Describe());
        Assert.Equal("NftRuleOwnedByXtables", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("iptables-nft", error.Exception.Message);
        Assert.Equal(before, _fx.Namespace.NftListRuleset());

        var r6 = host.Run("@(Get-NftRule -NetworkNamespace $ns -Family ip6 -Table filter -Chain f2b-sshd)[0] | Remove-NftRule -NetworkNamespace $ns");
        Assert.Contains("ip6tables-nft", Assert.Single(r6.Errors).Exception.Message);
        Assert.Equal(before, _fx.Namespace.NftListRuleset());
    }

    [KernelFact]
    public void A_change_to_another_table_leaves_the_iptables_tables_byte_identical()
    {
        var host = Load();
        var tables = new[] { ("ip", "filter"), ("ip", "nat"), ("ip", "raw"), ("ip", "mangle"), ("ip6", "filter"), ("ip6", "nat") };
        var before = tables.Select(t => _fx.Namespace.Nft("list", "table", t.Item1, t.Item2).EnsureSuccess("nft list table").StdOut).ToList();
        var r = host.Run("New-NftTable -NetworkNamespace $ns -Family inet -Name mine; "
            + "New-NftChain -NetworkNamespace $ns -Family inet -Table mine -Name input -Hook input -Priority filter -Policy accept; "
            + "New-NftRule -NetworkNamespace $ns -Family inet -Table mine -Chain input -Rule 'tcp dport 22 ct state new counter accept'; "
            + "Get-NftRule -NetworkNamespace $ns -Family inet -Table mine -Chain input | Set-NftRule -NetworkNamespace $ns -Rule 'tcp dport 2222 accept'");
        Assert.False(r.HadErrors, r.Describe());
        var after = tables.Select(t => _fx.Namespace.Nft("list", "table", t.Item1, t.Item2).EnsureSuccess("nft list table").StdOut).ToList();
        Assert.Equal(before, after);
        Assert.Contains("tcp dport 2222 accept", _fx.Namespace.Nft("list", "table", "inet", "mine").StdOut);
    }
}
