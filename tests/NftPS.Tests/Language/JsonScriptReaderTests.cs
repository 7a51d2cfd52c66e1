using NftPS.Language.Json;
using NftPS.Language.Script;
using NftPS.NfTables;

namespace NftPS.Tests.Language;

/// <summary>libnftables JSON to nft text, golden cases of our own, and the JSON paths errors name. The kernel-side
/// proof (nft lists the result like the original) is in Conformance/JsonImportConformanceTests and JsonRuleVectorTests.</summary>
public class JsonScriptReaderTests
{
    private static string Doc(params string[] items) => "{\"nftables\": [" + string.Join(",", items) + "]}";

    private static string Rule(string expr, string family = "inet", string extra = "") =>
        "{\"rule\": {\"family\": \"" + family + "\", \"table\": \"t\", \"chain\": \"c\", \"handle\": 7" + extra + ", \"expr\": [" + expr + "]}}";

    /// <summary>The text of one rule statement list, without the `add rule inet t c ` prefix.</summary>
    private static string RuleText(string expr, string family = "inet")
    {
        string text = JsonScript.Parse(Doc(Rule(expr, family))).Text;
        string prefix = $"add rule {family} t c ";
        Assert.StartsWith(prefix, text);
        return text[prefix.Length..].TrimEnd('\n');
    }

    private static NftJsonException Fails(string json) => Assert.Throws<NftJsonException>(() =>
    {
        var script = JsonScript.Parse(json);
        script.QueueOn(new NftBatch(), new ScriptContext());
    });

    [Fact]
    public void ListingObjectsAreAddsDeclaredInTableBlockOrder()
    {
        string json = Doc(
            """{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_version": 1}}""",
            """{"table": {"family": "inet", "name": "t", "handle": 1}}""",
            Rule("""{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": "@blocked"}}, {"drop": null}"""),
            """{"set": {"family": "inet", "name": "blocked", "table": "t", "type": "ipv4_addr", "handle": 3, "flags": ["interval"], "elem": [{"prefix": {"addr": "10.0.0.0", "len": 8}}, {"range": ["192.168.1.1", "192.168.1.9"]}]}}""",
            """{"chain": {"family": "inet", "table": "t", "name": "c", "handle": 2, "type": "filter", "hook": "input", "prio": -10, "policy": "drop", "comment": "in"}}""");
        Assert.Equal(
            "add table inet t\n"
            + "add chain inet t c { type filter hook input priority -10; policy drop; comment \"in\"; }\n"
            + "add set inet t blocked { type ipv4_addr; flags interval; elements = { 10.0.0.0/8, 192.168.1.1 - 192.168.1.9 }; }\n"
            + "add rule inet t c ip saddr @blocked drop\n",
            JsonScript.Parse(json).Text);
    }

    [Fact]
    public void SetsThatRulesUpdateAreDynamicAndElementsCarryTheSetsStatements()
    {
        string json = Doc(
            """{"table": {"family": "ip", "name": "t"}}""",
            """{"set": {"family": "ip", "name": "seen", "table": "t", "type": "ipv4_addr", "flags": ["timeout"], "timeout": 60, "stmt": [{"limit": {"rate": 1, "burst": 5, "per": "second"}}, {"counter": null}], "elem": [{"elem": {"val": "1.1.1.1", "limit": {"rate": 1, "burst": 5, "per": "second"}}}]}}""",
            """{"chain": {"family": "ip", "table": "t", "name": "c"}}""",
            Rule("""{"set": {"op": "update", "elem": {"payload": {"protocol": "ip", "field": "saddr"}}, "set": "@seen"}}""", "ip"));
        Assert.Equal(
            "add table ip t\n"
            + "add chain ip t c\n"
            + "add set ip t seen { type ipv4_addr; flags timeout,dynamic; timeout 60s; limit rate 1/second burst 5 packets; counter; "
            + "elements = { 1.1.1.1 limit rate 1/second burst 5 packets counter }; }\n"
            + "add rule ip t c update @seen { ip saddr }\n",
            JsonScript.Parse(json).Text);
    }

    [Fact]
    public void TypeofSetsOfNewerNftJsonKeepTheirExpressions()
    {
        string json = Doc(
            """{"map": {"family": "inet", "name": "m", "table": "t", "type": {"typeof": {"concat": [{"payload": {"protocol": "ip", "field": "saddr"}}, {"meta": {"key": "iifname"}}]}}, "map": {"typeof": {"meta": {"key": "mark"}}}, "auto-merge": true, "flags": ["interval"]}}""");
        Assert.Equal("add map inet t m { typeof ip saddr . meta iifname : meta mark; flags interval; auto-merge; }\n", JsonScript.Parse(json).Text);
    }

    [Fact]
    public void CommandsKeepTheirVerbsHandlesAndPositions()
    {
        string json = Doc(
            """{"flush": {"ruleset": null}}""",
            """{"add": {"rule": {"family": "inet", "table": "t", "chain": "c", "handle": 4, "expr": [{"accept": null}]}}}""",
            """{"insert": {"rule": {"family": "inet", "table": "t", "chain": "c", "handle": 4, "expr": [{"drop": null}], "comment": "x"}}}""",
            """{"insert": {"rule": {"family": "inet", "table": "t", "chain": "c", "index": 0, "expr": [{"return": null}]}}}""",
            """{"replace": {"rule": {"family": "inet", "table": "t", "chain": "c", "handle": 9, "expr": [{"continue": null}]}}}""",
            """{"delete": {"rule": {"family": "inet", "table": "t", "chain": "c", "handle": 9}}}""",
            """{"delete": {"chain": {"family": "inet", "table": "t", "handle": 3}}}""",
            """{"rename": {"chain": {"family": "inet", "table": "t", "name": "c", "newname": "d"}}}""",
            """{"add": {"element": {"family": "inet", "table": "t", "name": "s", "elem": ["10.0.0.1", {"elem": {"val": "10.0.0.2", "timeout": 30, "comment": "y"}}]}}}""",
            """{"delete": {"element": {"family": "inet", "table": "t", "name": "s", "elem": "10.0.0.1"}}}""",
            """{"reset": {"counter": {"family": "inet", "table": "t", "name": "hits"}}}""",
            """{"flush": {"set": {"family": "inet", "table": "t", "name": "s"}}}""",
            """{"delete": {"table": {"family": "inet", "name": "t"}}}""");
        Assert.Equal(
            "flush ruleset\n"
            + "add rule inet t c position 4 accept\n"
            + "insert rule inet t c position 4 drop comment \"x\"\n"
            + "insert rule inet t c index 0 return\n"
            + "replace rule inet t c handle 9 continue\n"
            + "delete rule inet t c handle 9\n"
            + "delete chain inet t handle 3\n"
            + "rename chain inet t c d\n"
            + "add element inet t s { 10.0.0.1, 10.0.0.2 timeout 30s comment \"y\" }\n"
            + "delete element inet t s { 10.0.0.1 }\n"
            + "reset counter inet t hits\n"
            + "flush set inet t s\n"
            + "delete table inet t\n",
            JsonScript.Parse(json).Text);
    }

    [Theory]
    [InlineData("""{"match": {"op": "in", "left": {"ct": {"key": "state"}}, "right": ["established", "related"]}}""", "ct state established,related")]
    [InlineData("""{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "flags"}}, "right": "syn"}}""", "tcp flags == syn")]
    [InlineData("""{"match": {"op": "==", "left": {"meta": {"key": "iifname"}}, "right": "eth*"}}""", "meta iifname \"eth*\"")]
    [InlineData("""{"match": {"op": "!=", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": {"set": [22, {"range": [8000, 8080]}]}}}""", "tcp dport != { 22, 8000 - 8080 }")]
    [InlineData("""{"match": {"op": "!", "left": {"ct": {"key": "status"}}, "right": "dnat"}}""", "ct status & dnat == 0")]
    [InlineData("""{"match": {"op": "==", "left": {"exthdr": {"name": "frag"}}, "right": true}}""", "exthdr frag exists")]
    [InlineData("""{"match": {"op": "==", "left": {"&": [{"payload": {"protocol": "tcp", "field": "flags"}}, ["syn", "ack"]]}, "right": "syn"}}""", "tcp flags & (syn | ack) == syn")]
    [InlineData("""{"mangle": {"key": {"ct": {"key": "mark"}}, "value": {"<<": [{"|": [{"meta": {"key": "mark"}}, 16]}, 8]}}}""", "ct mark set (meta mark | 16) << 8")]
    [InlineData("""{"match": {"op": "==", "left": {"ct": {"dir": "original", "key": "ip saddr"}}, "right": {"prefix": {"addr": "10.0.0.0", "len": 8}}}}""", "ct original ip saddr 10.0.0.0/8")]
    [InlineData("""{"vmap": {"key": {"payload": {"protocol": "tcp", "field": "dport"}}, "data": {"set": [[22, {"jump": {"target": "ssh"}}], [80, {"accept": null}]]}}}""", "tcp dport vmap { 22 : jump ssh, 80 : accept }")]
    [InlineData("""{"counter": {"packets": 3, "bytes": 180}}""", "counter packets 3 bytes 180")]
    [InlineData("""{"counter": "hits"}""", "counter name \"hits\"")]
    [InlineData("""{"limit": {"rate": 10, "per": "minute", "burst": 20, "inv": true}}""", "limit rate over 10/minute burst 20 packets")]
    [InlineData("""{"limit": {"rate": 1, "rate_unit": "mbytes", "per": "second"}}""", "limit rate 1 mbytes/second")]
    [InlineData("""{"quota": {"val": 25, "val_unit": "mbytes", "used": 5, "used_unit": "mbytes", "inv": true}}""", "quota over 25 mbytes used 5 mbytes")]
    [InlineData("""{"log": {"prefix": "in: ", "level": "info", "flags": ["tcp sequence", "tcp options", "ether"]}}""", "log prefix \"in: \" level info flags tcp sequence,options flags ether")]
    [InlineData("""{"reject": {"type": "icmpx", "expr": "admin-prohibited"}}""", "reject with icmpx admin-prohibited")]
    [InlineData("""{"reject": {"type": "tcp reset"}}""", "reject with tcp reset")]
    [InlineData("""{"snat": {"family": "ip", "addr": "10.0.0.1", "port": {"range": [1024, 2048]}, "flags": ["random", "persistent"]}}""", "snat ip to 10.0.0.1 : 1024 - 2048 random,persistent")]
    [InlineData("""{"dnat": {"family": "ip6", "addr": "fe80::1", "port": 80}}""", "dnat ip6 to [fe80::1] : 80")]
    [InlineData("""{"masquerade": {"port": 4000}}""", "masquerade to :4000")]
    [InlineData("""{"set": {"op": "add", "elem": {"payload": {"protocol": "ip", "field": "saddr"}}, "set": "@seen", "stmt": [{"limit": {"rate": 10, "per": "second"}}]}}""", "add @seen { ip saddr limit rate 10/second }")]
    [InlineData("""{"queue": {"num": {"range": [1, 3]}, "flags": ["bypass", "fanout"]}}""", "queue flags bypass,fanout to 1 - 3")]
    [InlineData("""{"ct helper": "ftp-std"}""", "ct helper set \"ftp-std\"")]
    [InlineData("\"update @m { ip saddr : 0x00000001 }\"", "update @m { ip saddr : 0x00000001 }")]
    public void StatementsReadAsNftText(string json, string expected) => Assert.Equal(expected, RuleText(json));

    [Fact]
    public void NatToAMapInAnIpTableNamesTheFamily()
    {
        Assert.Equal("snat ip prefix to ip saddr map { 10.141.11.0/24 : 192.168.2.0/24 }", RuleText(
            """{"snat": {"addr": {"map": {"key": {"payload": {"protocol": "ip", "field": "saddr"}}, "data": {"set": [[{"prefix": {"addr": "10.141.11.0", "len": 24}}, {"prefix": {"addr": "192.168.2.0", "len": 24}}]]}}}, "type_flags": ["prefix"]}}""",
            "ip"));
    }

    [Fact]
    public void MalformedJsonNamesTheLine()
    {
        var e = Assert.Throws<NftJsonException>(() => JsonScript.Parse("{\"nftables\": [\n{\"table\": {\"family\": \"ip\", \"name\": \"t\"}},\n]}"));
        Assert.Contains("malformed JSON at line 3", e.Message);
        Assert.True(e.IsSchemaError);
    }

    [Theory]
    [InlineData("""{"tables": []}""", "$", "\"nftables\" array")]
    [InlineData("""{"nftables": [{"add": {"tabel": {"family": "ip", "name": "t"}}}]}""", "nftables[0].add.tabel", "unknown ruleset object 'tabel'")]
    [InlineData("""{"nftables": [{"add": {"table": {"family": "ip"}}}]}""", "nftables[0].add.table", "\"name\" is missing")]
    [InlineData("""{"nftables": [{"table": {"family": "ip", "name": "t", "flags": "sleepy"}}]}""", "nftables[0].table.flags", "unknown table flag 'sleepy'")]
    [InlineData("""{"nftables": [{"metainfo": {"json_schema_version": 2}}]}""", "nftables[0].metainfo.json_schema_version", "unsupported JSON schema version")]
    [InlineData("""{"nftables": [{"list": {"ruleset": null}}]}""", "nftables[0].list", "cannot be imported")]
    [InlineData("""{"nftables": [{"rule": {"family": "ip", "table": "t", "chain": "c", "expr": [{"accept": null}, {"xt": null}]}}]}""", "nftables[0].rule.expr[1]", "xt")]
    [InlineData("""{"nftables": [{"rule": {"family": "ip", "table": "t", "chain": "c", "expr": [{"match": {"op": "==", "left": {"metta": {"key": "mark"}}, "right": 1}}]}}]}""", "nftables[0].rule.expr[0].match.left", "unknown expression 'metta'")]
    [InlineData("""{"nftables": [{"rule": {"family": "ip", "table": "t", "chain": "c", "expr": [{"log": {"level": "loud"}}]}}]}""", "nftables[0].rule.expr[0].log.level", "unknown log level 'loud'")]
    public void SchemaErrorsNameTheJsonNode(string json, string path, string reason)
    {
        var e = Fails(json);
        Assert.Equal(path, e.JsonPath);
        Assert.Contains(reason, e.Message);
        Assert.True(e.IsSchemaError);
    }

    [Fact]
    public void ElementErrorsNameTheElement()
    {
        var e = Fails(Doc("""{"table": {"family": "ip", "name": "t"}}""",
            """{"set": {"family": "ip", "table": "t", "name": "s", "type": "ipv4_addr", "elem": ["10.0.0.1", "10.0.0.300"]}}"""));
        Assert.Equal("nftables[1].set.elem[1]", e.JsonPath);
        Assert.Equal("\"10.0.0.300\"", e.Value);
        Assert.EndsWith("^^^^^^^^^^", e.Message);
    }

    [Fact]
    public void EvaluationErrorsNameTheInnermostNodeAndShowTheRuleWithACaret()
    {
        var e = Fails(Doc("""{"table": {"family": "inet", "name": "t"}}""", """{"chain": {"family": "inet", "table": "t", "name": "c"}}""",
            Rule("""{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": {"set": [22, "sshh"]}}}, {"accept": null}""")));
        Assert.Equal("nftables[2].rule.expr[0].match.right.set[1]", e.JsonPath);
        Assert.Equal("\"sshh\"", e.Value);
        Assert.False(e.IsSchemaError);
        string[] lines = e.Message.Split('\n');
        Assert.StartsWith("nftables[2].rule.expr[0].match.right.set[1]: ", lines[0]);
        Assert.Equal("add rule inet t c tcp dport { 22, sshh } accept", lines[^2]);
        Assert.Equal(lines[^2].IndexOf("sshh", StringComparison.Ordinal), lines[^1].IndexOf('^'));
        Assert.Equal("^^^^", lines[^1].Trim());
    }
}
