using NftPS.DesiredState;
using NftPS.NfTables;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.PowerShell;

/// <summary>A set that a rule of the same file or transaction updates from the packet path gets `flags dynamic`, as
/// nft 1.0.6 gives it (recorded there: `add @s`, `update @s` and `delete @s` mark the set; a lookup and a map statement
/// with data do not; a set from an earlier transaction keeps its flags). Each case is checked against nft live: the
/// same file loaded by `nft -f` and by Import-NftRuleset lists identically.</summary>
public class DynamicSetFlagTests : IClassFixture<ScriptFixture>
{
    private readonly ScriptFixture _fx;

    public DynamicSetFlagTests(ScriptFixture fx) => _fx = fx;

    public static IEnumerable<object[]> Files => new[]
    {
        "add @s { ip saddr }", "update @s { ip saddr timeout 1m }", "delete @s { ip saddr }", "add @s { ip saddr counter }",
        "ip saddr @s accept", "add @m { ip saddr : 1 }", "add @c { ip saddr . tcp dport timeout 30m }",
    }.Select(rule => new object[]
    {
        "table ip t {\n\tset s { type ipv4_addr; flags timeout; }\n\tmap m { type ipv4_addr : mark; }\n"
        + "\tset c { type ipv4_addr . inet_service; flags timeout; }\n\tchain c {\n\t\t" + rule + "\n\t}\n}\n",
    }).Append(new object[]
    {
        // commands, the rule first in its table block's chain (nft declares sets before chains)
        "add table ip t\nadd chain ip t c\nadd set ip t s { type ipv4_addr; }\nadd rule ip t c add @s { ip saddr }\n",
    });

    private string ByNft(string file)
    {
        _fx.Namespace.Flush();
        _fx.Namespace.NftLoad(file).EnsureSuccess("nft -f");
        return _fx.Namespace.NftListRuleset();
    }

    [KernelTheory]
    [MemberData(nameof(Files))]
    public void Import_NftRuleset_gives_the_flags_nft_gives(string file)
    {
        var host = _fx.Require();
        string want = ByNft(file);
        _fx.Namespace.Flush();
        string path = Path.Combine(Path.GetTempPath(), $"nftps-dyn-{Guid.NewGuid():N}.nft");
        try
        {
            File.WriteAllText(path, file);
            host.SetVariable("path", path);
            var r = host.Run("Import-NftRuleset -NetworkNamespace $ns -Path $path");
            Assert.False(r.HadErrors, r.Describe());
            Assert.Equal(want, _fx.Namespace.NftListRuleset());
        }
        finally { File.Delete(path); }
    }

    [KernelFact]
    public void A_set_of_an_earlier_transaction_keeps_its_flags()
    {
        var host = _fx.Require();
        _fx.Namespace.Flush();
        var r = host.Run("New-NftTable -NetworkNamespace $ns -Family ip -Name t; New-NftChain -NetworkNamespace $ns -Family ip -Table t -Name c; "
            + "New-NftSet -NetworkNamespace $ns -Family ip -Table t -Name s -Type ipv4_addr; "
            + "New-NftRule -NetworkNamespace $ns -Family ip -Table t -Chain c -Rule 'add @s { ip saddr }'");
        Assert.False(r.HadErrors, r.Describe());
        Assert.DoesNotContain("dynamic", _fx.Namespace.NftListRuleset());
    }

    [KernelFact]
    public void Invoke_NftTransaction_gives_the_flag_when_it_declares_the_set_and_the_rule()
    {
        var host = _fx.Require();
        string want = ByNft("add table ip t\nadd chain ip t c\nadd set ip t s { type ipv4_addr; }\nadd rule ip t c add @s { ip saddr }\n");
        Assert.Contains("flags dynamic", want);
        _fx.Namespace.Flush();
        var r = host.Run("Invoke-NftTransaction -NetworkNamespace $ns { New-NftTable -Family ip -Name t; New-NftChain -Family ip -Table t -Name c; "
            + "New-NftSet -Family ip -Table t -Name s -Type ipv4_addr; New-NftRule -Family ip -Table t -Chain c -Rule 'add @s { ip saddr }' }");
        Assert.False(r.HadErrors, r.Describe());
        Assert.Equal(want, _fx.Namespace.NftListRuleset());
    }

    [Fact]
    public void The_desired_ruleset_holds_the_flag_nft_would_give()
    {
        var desired = DesiredRuleset.FromText("table ip t {\n\tset s { type ipv4_addr; }\n\tset l { type ipv4_addr; }\n"
            + "\tchain c {\n\t\tadd @s { ip saddr }\n\t\tip saddr @l\n\t}\n}\n");
        var sets = desired.Model.Sets.ToDictionary(s => s.Name);
        Assert.True(sets["s"].IsDynamic);
        Assert.False(sets["l"].IsDynamic);
    }
}
