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

    private static string WithoutExpires(string json) =>
        System.Text.RegularExpressions.Regex.Replace(json, "\"expires\": \\d+", "\"expires\": N");

    private static int[] SecondsLeft(string json) => System.Text.RegularExpressions.Regex
        .Matches(json, "\"expires\": (\\d+)").Select(m => int.Parse(m.Groups[1].Value)).ToArray();

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

    /// <summary>Stateful objects of every kind, comments everywhere, set options and element attributes, and
    /// statements nft 1.0.6 writes as text (an anonymous chain, a map update).</summary>
    private const string ObjectsAndComments = """
flush ruleset
table inet t {
	comment "table comment"
	counter c1 { comment "cnt"; packets 5 bytes 10; }
	quota q1 { over 10 mbytes used 1 mbytes; }
	limit l1 { rate over 1024 bytes/second burst 512 bytes; }
	limit l2 { rate 10/minute; }
	ct helper h1 { type "ftp" protocol tcp; l3proto ip; }
	ct timeout to1 { protocol tcp; l3proto ip; policy = { established: 100, close: 4 }; }
	ct expectation e1 { protocol tcp; dport 22; timeout 10s; size 8; l3proto ip; }
	synproxy s1 { mss 1460; wscale 7; timestamp sack-perm; }
	set s { type ipv4_addr; flags interval,timeout; timeout 1h; gc-interval 10s; size 100; policy memory; comment "set c"; counter; elements = { 10.0.0.0/8 timeout 30m comment "el", 192.168.1.1-192.168.1.5 } }
	map m { type ipv4_addr . inet_service : ipv4_addr . inet_service; elements = { 1.1.1.1 . 80 : 2.2.2.2 . 8080 } }
	map om { type ipv4_addr : counter; elements = { 1.2.3.4 : "c1" } }
	chain c { comment "chain c"; type filter hook forward priority 0; policy accept;
		counter name ip saddr map @om
		quota name "q1" limit name "l1" ct helper set "h1" ct timeout set "to1" ct expectation set "e1"
		synproxy name "s1"
		ip protocol tcp tcp dport 22 synproxy mss 1460 wscale 7 timestamp sack-perm
		log group 2 snaplen 64 queue-threshold 3
		log level emerg flags all
		ip daddr set 1.2.3.4 ip dscp set af11 meta mark set 0x10 ct mark set meta mark
		tcp option maxseg size set 1360 reset tcp option sack-perm
		meta l4proto tcp tcp dport 80 ct count over 10
		ip saddr . ip daddr { 1.1.1.1 . 2.2.2.2, 3.3.3.3 . 4.4.4.4 } accept
		fib saddr . iif oif missing drop
		rt ip nexthop 10.0.0.1 accept
		numgen random mod 10 offset 5 < 3 accept
		tcp flags syn / syn,ack accept
		iifname "eth*" accept
		ether saddr 00:11:22:33:44:55 accept
		ip6 nexthdr ipv6-icmp icmpv6 type { echo-request, nd-neighbor-solicit } accept
		meta skuid 0 meta skgid 0 accept
	}
	chain n { type nat hook postrouting priority srcnat;
		meta l4proto tcp ip saddr 10.0.0.0/8 snat ip to 1.1.1.1-1.1.1.5:1000-2000 persistent,random
	}
	chain p { type filter hook prerouting priority -150;
	}
}
table netdev nd {
	chain ing { type filter hook ingress device "lo" priority 0;
		fwd to "lo"
		ip daddr 1.1.1.1 fwd ip to 2.2.2.2 device "lo"
	}
}
table ip d {
	chain c { type filter hook prerouting priority 0;
		udp dport 53 dup to 10.0.0.1 device "lo"
		ip saddr 1.1.1.1 jump { accept; }
		update @dm { ip saddr : 1 }
		add @ds { ip saddr timeout 10s limit rate 1/second counter }
		ip saddr vmap { 1.1.1.1 : drop, 2.2.2.2 : goto x }
	}
	chain x { }
	set ds { type ipv4_addr; flags dynamic,timeout; }
	map dm { type ipv4_addr : mark; flags dynamic; }
}
""";

    [KernelFact]
    public void ObjectsCommentsAndTextStatementsEqualNftDashJ()
    {
        var host = Load(ObjectsAndComments);
        string nft = NftJson("list", "ruleset");
        string ours = Text(host.Run("Export-NftRuleset -NetworkNamespace $ns -AsJson"));
        // The element's timeout counts down between the two listings (a second apart on a loaded machine): its
        // "expires" may differ by that much, and everything else must be the same bytes.
        Assert.Equal(SecondsLeft(nft), SecondsLeft(ours), (a, b) => Math.Abs(a - b) <= 5);
        Assert.Equal(WithoutExpires(nft), WithoutExpires(ours));
    }

    [KernelFact]
    public void FamilyLimitsTheJsonLikeNftListRulesetFamily()
    {
        var host = Load(ObjectsAndComments);
        Assert.Equal(NftJson("list", "ruleset", "netdev"), Text(host.Run("Export-NftRuleset -NetworkNamespace $ns -AsJson -Family netdev")));
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
    public void ARuleWithoutAJsonFormIsANotImplementedErrorAndTheOthersAreStillWritten()
    {
        var host = Load(SampleRuleset.Text);
        var r = host.Run("""
            $bad = [NftPS.NfTables.Model.NftRule]::new()
            $bad.Family = 'inet'; $bad.Table = 'filter'; $bad.Chain = 'input'; $bad.Handle = 99; $bad.NetworkNamespace = $ns
            $bad.Expressions = [NftPS.NfTables.Expressions.Expression[]]@([NftPS.NfTables.Expressions.UnknownExpression]::new('frobnicate', [byte[]]@()))
            @(Get-NftTable -NetworkNamespace $ns -Name filter) + @($bad) | ConvertTo-NftJson
            """);
        var error = Assert.Single(r.Errors);
        Assert.Equal("NftJsonNotSupported,NftPS.Cmdlets.ConvertToNftJsonCommand", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.NotImplemented, error.CategoryInfo.Category);
        Assert.Contains("frobnicate", error.Exception.Message);
        string json = Assert.IsType<string>(Assert.Single(r.Output).BaseObject);
        Assert.Contains("\"table\": {\"family\": \"inet\", \"name\": \"filter\"", json);
        Assert.DoesNotContain("\"rule\"", json);
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
