namespace NftPS.Tests.Conformance.Vectors;

/// <summary>Pure tests of the corpus parsers, on our own small inputs.</summary>
public class VectorParserTests
{
    private const string Sample = """
        :input;type filter hook input priority 0
        :ingress;type filter hook ingress device lo priority 0
        :egress;type filter hook egress device lo priority 0

        *ip;test-ip4;input
        *netdev;test-netdev;ingress,egress

        # a comment
        !set1 type ipv4_addr timeout 60s flags interval;ok
        !map1 typeof vlan id : meta mark;ok
        !map2 type ipv4_addr . inet_service : ipv4_addr . inet_service;ok
        ?set1 192.168.3.4, 10.0.0.0/8;ok
        ?set1 dead::beef;fail
        %cthelp1 type ct helper { type "ftp" protocol tcp; };ok
        %qt1 type quota 25 mbytes;ok
        %cnt1 type counter;fail
        udp dport 53 masquerade persistent,random;ok;udp dport 53 masquerade random,persistent
        @nh,8,8 0xff;ok
        ip saddr @set33 drop;fail
        - meta nftrace 1;ok
        this line has no status
        """;

    [Fact]
    public void ParsesEveryDirectiveKind()
    {
        var f = VectorFileParser.Parse(Sample, "ip/sample.t");
        Assert.Equal("ip", f.Folder);
        Assert.Single(f.Warnings);
        Assert.Contains("malformed", f.Warnings[0]);

        var tables = f.Tables.ToList();
        Assert.Equal(2, tables.Count);
        Assert.Equal(("netdev", "test-netdev"), (tables[1].Family, tables[1].Name));
        Assert.Equal(new[] { "ingress", "egress" }, tables[1].Chains.Select(c => c.Name));
        Assert.Equal("type filter hook egress device lo priority 0", tables[1].Chains[1].Spec);

        var sets = f.Lines.OfType<SetDirective>().ToList();
        Assert.Equal("add set ip test-ip4 set1 { type ipv4_addr; timeout 60s; flags interval; }", sets[0].ToCommand("ip", "test-ip4"));
        Assert.False(sets[0].IsMap);
        Assert.Equal("add map ip t map1 { typeof vlan id : meta mark; }", sets[1].ToCommand("ip", "t"));
        Assert.Equal(("type ipv4_addr . inet_service", "ipv4_addr . inet_service"), (sets[2].KeyType, sets[2].DataType));

        var elems = f.Lines.OfType<ElementDirective>().ToList();
        Assert.Equal("add element ip t set1 { 192.168.3.4, 10.0.0.0/8 }", elems[0].ToCommand("ip", "t"));
        Assert.Equal(Expectation.Fail, elems[1].Expect);

        var objs = f.Lines.OfType<ObjectDirective>().ToList();
        Assert.Equal(("ct helper", "{ type \"ftp\" protocol tcp; }", Expectation.Ok), (objs[0].Kind, objs[0].Spec, objs[0].Expect));
        Assert.Equal("add ct helper ip t cthelp1 { type \"ftp\" protocol tcp; }", objs[0].ToCommand("ip", "t"));
        Assert.Equal("add quota ip t qt1 25 mbytes", objs[1].ToCommand("ip", "t"));
        Assert.Equal("add counter ip t cnt1", objs[2].ToCommand("ip", "t"));
        Assert.Equal(Expectation.Fail, objs[2].Expect);

        var rules = f.Rules.ToList();
        Assert.Equal(4, rules.Count);
        Assert.Equal("udp dport 53 masquerade random,persistent", rules[0].ExpectedListing);
        Assert.Equal(17, rules[0].Line);
        Assert.Equal("@nh,8,8 0xff", rules[1].ExpectedListing);
        Assert.Equal(Expectation.Fail, rules[2].Expect);
        Assert.True(rules[3].Disabled);
        Assert.Equal("meta nftrace 1", rules[3].Rule);
        Assert.Equal(2, f.EnabledOkRules.Count());
    }

    [Fact]
    public void TableNamingAnUndeclaredChainIsAWarning()
    {
        var f = VectorFileParser.Parse("*ip;t;nochain\ntcp dport 22;ok\n");
        Assert.Empty(f.Tables);
        Assert.Contains(f.Warnings, w => w.Contains("nochain"));
    }

    [Fact]
    public void ChainTemplatesAreResolvedWhenTheTableIsDeclared()
    {
        var f = VectorFileParser.Parse(":c;type filter hook input priority 0\n*ip;a;c\n:c;type filter hook output priority 0\n*ip;b;c\n");
        var t = f.Tables.ToList();
        Assert.Contains("hook input", t[0].Chains[0].Spec);
        Assert.Contains("hook output", t[1].Chains[0].Spec);
    }

    [Theory]
    [InlineData("tcp dport { 22, 23}", "tcp dport { 22, 23 }", true)]
    [InlineData("tcp dport { 22, 23}", "tcp dport { 23, 22 }", true)]
    [InlineData("tcp dport 22", "tcp dport 23", false)]
    [InlineData("meta l4proto 6", "meta l4proto 6 ", true)]
    public void ComparesListingsTheUpstreamWay(string expected, string listed, bool same) =>
        Assert.Equal(same, RuleTextComparison.MatchesExpected(expected, expected, listed));

    [Fact]
    public void SetOrderIsIgnoredOnlyWhenTheInputHasASet() =>
        Assert.False(RuleTextComparison.MatchesExpected("ct status 1", "a { x, y}", "a { y, x }"));

    [Fact]
    public void ParsesAPayloadFileWithAnonymousSets()
    {
        const string text = "# tcp dport { 33, 55}\n__set%d test-inet 3\n__set%d test-inet 0\n\telement 0021\telement 0037\n"
            + "inet test-inet input\n  [ meta load l4proto => reg 1 ]\n  [ cmp eq reg 1 0x06 ]\n  [ lookup reg 1 set __set%d ]\n\n"
            + "# tcp dport 22\ninet test-inet input\n  [ cmp eq reg 1 0x0016 ]\n\n";
        var p = PayloadFile.Parse(text);
        Assert.Equal(2, p.Records.Count);
        var r = p.Find("tcp dport { 33, 55}")!;
        Assert.Equal("inet test-inet input", r.Header);
        Assert.Equal(3, r.Expressions.Count);
        var set = Assert.Single(r.Sets);
        Assert.Equal(("__set%d", "3"), (set.Name, set.Flags));
        Assert.Equal(new[] { "element 0021", "element 0037" }, r.Elements);
        Assert.Empty(p.Find("tcp dport 22")!.Sets);
    }

    [Fact]
    public void PerFamilyPayloadWinsOverTheCommonFile()
    {
        var common = PayloadFile.Parse("# ip saddr 1.2.3.4\nip t c\n  [ cmp eq reg 1 0x01020304 ]\n");
        var inet = PayloadFile.Parse("# ip saddr 1.2.3.4\ninet t c\n  [ meta load nfproto => reg 1 ]\n  [ cmp eq reg 1 0x01020304 ]\n");
        var lookup = new PayloadLookup(common, new Dictionary<string, PayloadFile> { ["inet"] = inet });
        Assert.Equal(2, lookup.Find("ip saddr 1.2.3.4", "inet")!.Expressions.Count);
        Assert.Single(lookup.Find("ip saddr 1.2.3.4", "ip")!.Expressions);
        Assert.Null(lookup.Find("ip daddr 1.2.3.4", "ip"));
    }

    [Fact]
    public void ParsesNetlinkDebugOutputIntoRuleBlocks()
    {
        const string debug = "ip (null) (null) use 0 type filter hook input prio 0 packets 0 bytes 0\n"
            + "s t 4\ns t 0\n\telement 00000000  : 1 [end]\telement 0000000a  : 0 [end]\n"
            + "ip t c\n  [ payload load 4b @ network header + 12 => reg 1 ]\n  [ lookup reg 1 set s ]\n\n"
            + "__set%d t 3 size 2\n__set%d t 0\n\telement 00001600  : 0 [end]\telement 00001700  : 0 [end]\n"
            + "ip t c\n  [ lookup reg 1 set __set%d ]\n  [ immediate reg 0 accept ]\n\nm t 8\nip t c\n  [ meta set mark with reg 1 ]\n";
        var blocks = PayloadFile.ParseNetlinkDebug(debug);
        Assert.Equal(3, blocks.Count);
        Assert.Empty(blocks[0].Sets);
        Assert.Equal(2, blocks[1].Elements.Count());
        Assert.Equal("[ immediate reg 0 accept ]", blocks[1].Expressions[1]);
        Assert.Empty(blocks[2].Sets);
    }

    [Theory]
    // the README's table: libnftnl 1.2.4 output vs the new format
    [InlineData("[ cmp eq reg 1 0x00000011 ]", "[ cmp eq reg 1 0x11 ]", true)]
    [InlineData("[ cmp eq reg 1 0x00003500 ]", "[ cmp eq reg 1 0x0035 ]", true)]
    [InlineData("[ cmp eq reg 1 0x0203a8c0 ]", "[ cmp eq reg 1 0xc0a80302 ]", true)]
    [InlineData("[ cmp eq reg 1 0x00000000 0x00000000 0x00000000 0x80000000 ]", "[ cmp eq reg 1 0x80000000 0x00000000 0x00000000 0x00000000 ]", true)]
    [InlineData("[ range eq reg 1 0x00002100 0x00002d00 ]", "[ range eq reg 1 0x0021 0x002d ]", true)]
    [InlineData("[ cmp eq reg 1 0xaaccbbaa 0x0000ccbb ]", "[ cmp eq reg 1 0xaabbccaa 0xbbcc ]", true)]
    [InlineData("[ bitwise reg 1 = ( reg 1 & 0x0000ff00 ) ^ 0x00000000 ]", "[ bitwise reg 1 = ( reg 1 & 0x0000ff00 ) ^ 0x00000000 ]", true)]
    [InlineData("[ lookup reg 1 set __set%d 0x1 ]", "[ lookup reg 1 set __set%d 0x1 ]", true)]
    [InlineData("[ cmp eq reg 1 0x00003600 ]", "[ cmp eq reg 1 0x0035 ]", false)]
    [InlineData("[ cmp eq reg 1 0x00003500 ]", "[ cmp neq reg 1 0x0035 ]", false)]
    [InlineData("[ cmp eq reg 1 0x00003500 0x00000000 ]", "[ cmp eq reg 1 0x0035 ]", false)]
    [InlineData("[ payload load 2b @ transport header + 2 => reg 1 ]", "[ payload load 2b @ transport header + 2 => reg 1 ]", true)]
    public void NormalisesOldAndNewExpressionLines(string oldLine, string newLine, bool same) =>
        Assert.Equal(same, PayloadNormalizer.ExpressionEquivalent(oldLine, newLine));

    [Theory]
    // libnftnl 1.2.4 names ct key 23 (id) "unknown"; no other key is excused.
    [InlineData("[ ct load unknown => reg 1 ]", "[ ct load id => reg 1 ]", true)]
    [InlineData("[ ct load unknown => reg 1 ]", "[ ct load mark => reg 1 ]", false)]
    [InlineData("[ meta load unknown => reg 1 ]", "[ meta load id => reg 1 ]", false)]
    public void Ct_key_id_misnamed_by_libnftnl_124_is_read_as_id(string oldLine, string newLine, bool same) =>
        Assert.Equal(same, PayloadNormalizer.ExpressionEquivalent(PayloadNormalizer.NameCtKeyId(oldLine), newLine));

    [Theory]
    [InlineData("element 00002100  : 0 [end]", "element 0021", true)]
    [InlineData("element 00000000  : 1 [end]", "element 00000000 flags 1", true)]
    [InlineData("element 00001600  : accept 0 [end]", "element 0016 : accept", true)]
    [InlineData("element 01010101  : 00000010 0 [end]", "element 01010101 : 00000010", true)]
    [InlineData("element 04030201 00001600  - 04030201 00001600  : 0 [end]", "element 01020304 . 0016 - 01020304 . 0016", true)]
    [InlineData("element 00002100  : 1 [end]", "element 0021", false)]
    [InlineData("element 00002200  : 0 [end]", "element 0021", false)]
    [InlineData("element 000000ff  : 0 [end]  userdata = { \\x01\\x04\\x01\\x00\\x00\\x00 }", "element ff  userdata len 6 sum 0x6", true)]
    [InlineData("element 000000ff  : 0 [end]  userdata = { \\x01\\x04\\x01\\x00\\x00\\x00 }", "element ff", false)]
    [InlineData("element 000000ff  : 0 [end]", "element ff  userdata len 6 sum 0x6", false)]
    public void NormalisesSetElements(string oldElement, string newElement, bool same) =>
        Assert.Equal(same, PayloadNormalizer.ElementEquivalent(oldElement, newElement));

    [Fact]
    public void ElementsCompareAsUnorderedCollections() =>
        Assert.True(PayloadNormalizer.ElementsEquivalent(
            new[] { "element 00003700  : 0 [end]", "element 00002100  : 0 [end]" }, new[] { "element 0021", "element 0037" }));

    [Fact]
    public void OldWordsAreLittleEndianBytes() =>
        Assert.Equal(new byte[] { 0xc0, 0xa8, 0x03, 0x02 }, PayloadNormalizer.OldWordsToBytes(new[] { "0x0203a8c0" }));

    [Fact]
    public void ParsesJsonBlocks()
    {
        const string text = "# tcp dport 22\n[\n\t{\n  \"match\": { \"op\": \"==\", \"left\": { \"payload\": { \"protocol\": \"tcp\", \"field\": \"dport\" } }, \"right\": 22 }\n\t}\n]\n\n# counter\n[ { \"counter\": null } ]\n\n";
        var j = JsonVectorFile.Parse(text);
        Assert.Equal(2, j.Vectors.Count);
        var v = j.Find("tcp dport 22")!;
        Assert.Null(v.ParseError);
        Assert.Equal(22, (int)v.Statements![0]!["match"]!["right"]!);
        var other = JsonVectorFile.Parse("# tcp dport 22\n[{\"match\":{\"right\":22,\"left\":{\"payload\":{\"field\":\"dport\",\"protocol\":\"tcp\"}},\"op\":\"==\"}}]\n");
        Assert.True(JsonVectorFile.JsonEquals(v.Statements, other.Find("tcp dport 22")!.Statements));
        Assert.Same(other.Find("tcp dport 22")!.Statements, JsonVectorFile.ExpectedListing(j, other, "tcp dport 22"));
        Assert.Same(j.Find("counter")!.Statements, JsonVectorFile.ExpectedListing(j, other, "counter"));
    }

    [Fact]
    public void ParsesNftListingsWithHandles()
    {
        const string listing = "table inet t { # handle 3\n\tset s { # handle 2\n\t\ttype ipv4_addr\n\t\telements = { 1.1.1.1,\n\t\t\t     2.2.2.2 }\n\t}\n\n"
            + "\tcounter cnt { # handle 5\n\t\tpackets 0 bytes 0\n\t}\n\n"
            + "\tchain c { # handle 1\n\t\ttype filter hook input priority filter; policy accept;\n"
            + "\t\ttcp dport { 22, 23 } accept # handle 4\n\t\tmeta mark 0x1 comment \"{ # handle 99\" # handle 6\n\t}\n}\n"
            + "table ip x { # handle 4\n\tchain y { # handle 1\n\t\tcounter # handle 2\n\t}\n}\n";
        var l = NftListing.Parse(listing);
        Assert.Equal(3, l.Rules.Count);
        Assert.Equal(new ListedRule("inet", "t", "c", 4, "tcp dport { 22, 23 } accept", 0), l.Rules[0]);
        Assert.Equal("meta mark 0x1 comment \"{ # handle 99\"", l.Rules[1].Text);
        Assert.Equal(6ul, l.Rules[1].Handle);
        Assert.Equal(new ListedRule("ip", "x", "y", 2, "counter", 0), Assert.Single(l.InChain("ip", "x", "y")));
    }
}
