using NftPS.Language.Evaluate;
using NftPS.Language.Linearize;
using NftPS.Language.Syntax;
using NftPS.NfTables;

namespace NftPS.Tests.Compiler;

/// <summary>Syntax the compiler used to refuse although nft 1.0.6 accepts it: each case is the rule and the
/// expressions nft 1.0.6 prints for it with --debug=netlink (register data byte-normalised to our widths).</summary>
public class SyntaxGapTests
{
    private static string[] Lines(string rule, NftFamily family = NftFamily.Ip) =>
        RuleCompiler.Compile(rule, new CompileContext { Family = family, Table = "t", Chain = "c" }).DebugLines.ToArray();

    [Fact]
    public void Negated_flags_test_that_none_is_set()
    {
        Assert.Equal(new[] { "[ ct load status => reg 1 ]", "[ bitwise reg 1 = ( reg 1 & 0x00000020 ) ^ 0x00000000 ]", "[ cmp eq reg 1 0x00000000 ]" },
            Lines("ct status ! dnat"));
        Assert.Equal(new[] { "[ meta load l4proto => reg 1 ]", "[ cmp eq reg 1 0x06 ]", "[ payload load 1b @ transport header + 13 => reg 1 ]",
            "[ bitwise reg 1 = ( reg 1 & 0x05 ) ^ 0x00 ]", "[ cmp eq reg 1 0x00 ]" }, Lines("tcp flags ! fin,rst"));
    }

    [Fact]
    public void Negated_one_element_set_is_its_element()
    {
        Assert.Equal(Lines("ct status ! dnat"), Lines("ct status ! { dnat }"));
        Assert.Throws<NftEvaluationException>(() => Lines("ct status ! { dnat, snat }"));
    }

    [Theory]
    [InlineData("meta mark ! 0x1")]
    [InlineData("comp flags ! 0x1")]
    [InlineData("tcp flags & (fin | syn | rst | ack) ! syn")]
    public void Negation_of_anything_but_named_flags_is_refused_like_nft(string rule)
    {
        var e = Assert.Throws<NftEvaluationException>(() => Lines(rule));
        Assert.Equal("negation can only be used with singleton bitmask values", e.Reason);
    }

    [Fact]
    public void Plain_bitmask_field_is_compared_as_a_value()
    {
        // comp flags has type bitmask itself, not a flag type built on it: nft compares it (cmp eq 0), no flag test.
        Assert.Equal(new[] { "[ meta load l4proto => reg 1 ]", "[ cmp eq reg 1 0x6c ]", "[ payload load 1b @ transport header + 1 => reg 1 ]",
            "[ cmp eq reg 1 0x00 ]" }, Lines("comp flags 0x0"));
    }

    [Fact]
    public void Ct_event_set_takes_a_comma_list_and_other_set_statements_do_not()
    {
        Assert.Equal(new[] { "[ immediate reg 1 0x00000407 ]", "[ ct set event with reg 1 ]" }, Lines("ct event set new,related,destroy,label"));
        Assert.Equal(new[] { "[ immediate reg 1 0x00000005 ]", "[ ct set event with reg 1 ]" }, Lines("ct event set new,destroy"));
        Assert.Throws<NftSyntaxException>(() => Lines("ct mark set 1,2"));
    }

    [Fact]
    public void Log_tcp_flags_take_a_comma_list_and_flags_may_repeat()
    {
        Assert.Equal(new[] { "[ log tcpseq tcpopt ]" }, Lines("log flags tcp sequence,options"));
        Assert.Equal(new[] { "[ log tcpseq tcpopt ipopt uid macdecode ]" },
            Lines("log flags ip options flags ether flags skuid flags tcp sequence,options"));
    }

    [Fact]
    public void Tcp_option_by_kind_number_and_raw_bits()
    {
        Assert.Equal(new[] { "[ exthdr load tcpopt 1b @ 255 + 0 present => reg 1 ]", "[ cmp eq reg 1 0x00 ]" }, Lines("tcp option 255 missing"));
        Assert.Equal(new[] { "[ exthdr load tcpopt 1b @ 6 + 0 present => reg 1 ]", "[ cmp eq reg 1 0x01 ]" }, Lines("tcp option 6 exists"));
        Assert.Equal(new[] { "[ exthdr load tcpopt 1b @ 255 + 1 => reg 1 ]", "[ cmp eq reg 1 0xff ]" }, Lines("tcp option @255,8,8 255"));
        Assert.Equal("value too large", Assert.Throws<NftEvaluationException>(() => Lines("tcp option 256 exists")).Reason);
        Assert.Equal("Value 256 exceeds valid range 0-255", Assert.Throws<NftEvaluationException>(() => Lines("tcp option @255,8,8 256")).Reason);
    }

    [Theory]
    [InlineData("reset tcp option mptcp", 30)]
    [InlineData("reset tcp option 2", 2)]
    [InlineData("reset tcp option 123", 123)]
    public void Reset_tcp_option_strips_by_kind(string rule, int kind) =>
        Assert.Equal(new[] { $"[ exthdr reset tcpopt {kind} ]" }, Lines(rule, NftFamily.Inet));

    [Theory]
    [InlineData("reset tcp option meh")]
    [InlineData("reset tcp option 256")]
    [InlineData("reset tcp option sack left")]
    public void Reset_tcp_option_refuses_unknown_names_large_kinds_and_fields(string rule) =>
        Assert.ThrowsAny<NftLanguageException>(() => Lines(rule));

    [Fact]
    public void Srh_segment_ids_are_indexed_fields()
    {
        Assert.Equal(new[] { "[ exthdr load ipv6 16b @ 43 + 8 => reg 1 ]", "[ cmp eq reg 1 0xdead0000 0x00000000 0x00000000 0x0000beef ]" },
            Lines("srh sid[1] dead::beef", NftFamily.Ip6));
        Assert.Equal("[ exthdr load ipv6 16b @ 43 + 24 => reg 1 ]", Lines("srh sid[2] dead::beef", NftFamily.Ip6)[0]);
    }

    [Fact]
    public void Fib_exists_is_a_presence_test_not_an_interface_name()
    {
        Assert.Equal(new[] { "[ fib daddr oif present => reg 1 ]", "[ cmp eq reg 1 0x00000001 ]" }, Lines("fib daddr oif exists"));
        Assert.Equal(new[] { "[ fib daddr oif present => reg 1 ]", "[ cmp eq reg 1 0x00000000 ]" }, Lines("fib daddr oif missing"));
    }

    [Theory]
    [InlineData("ip6 saddr vmap {1234:1234:1234:1234:1234:1234:aaaa:::accept, ::bbbb : drop}")]
    [InlineData("ip6 saddr vmap {1234:1234:1234:1234:1234:1234:aaaa:::accept,::dddd: drop}")]
    public void Ip6_address_glued_to_the_map_colon_is_split_like_nfts_scanner(string rule)
    {
        var r = RuleCompiler.Compile(rule, new CompileContext { Family = NftFamily.Ip6, Table = "t" });
        var (_, elems) = Assert.Single(r.AnonymousSets);
        Assert.Equal(System.Net.IPAddress.Parse("1234:1234:1234:1234:1234:1234:aaaa:0").GetAddressBytes(), elems[0].Key);
        Assert.Equal(NftPS.NfTables.Expressions.VerdictCode.Accept, elems[0].Verdict!.Code);
        Assert.Equal(NftPS.NfTables.Expressions.VerdictCode.Drop, elems[1].Verdict!.Code);
    }

    [Fact]
    public void Lexer_still_refuses_addresses_running_into_words()
    {
        var toks = Lexer.Tokenize(new SourceText("dead::beefy"));
        Assert.NotEqual("dead::beef", toks[0].Text);
        Assert.Equal(new[] { "127.0.0.1", ":", "symhash" }, Lexer.Tokenize(new SourceText("127.0.0.1:symhash")).Take(3).Select(t => t.Text));
    }

    [Fact]
    public void Ip6_nat_ranges_and_prefixes_in_brackets()
    {
        Assert.Equal(new[] { "[ immediate reg 1 0x20010838 0x035f0001 0x00000000 0x00000000 ]", "[ immediate reg 2 0x20010838 0x035f0002 0x00000000 0x00000000 ]",
                "[ immediate reg 3 0x0050 ]", "[ immediate reg 4 0x0064 ]", "[ nat dnat ip6 addr_min reg 1 addr_max reg 2 proto_min reg 3 proto_max reg 4 flags 0x2 ]" },
            Lines("tcp dport 80-90 dnat to [2001:838:35f:1::]-[2001:838:35f:2::]:80-100", NftFamily.Ip6)[5..]);
        Assert.Equal("[ nat snat ip6 addr_min reg 1 addr_max reg 2 proto_min reg 3 flags 0x2 ]",
            Lines("tcp dport 80-90 snat to [2001:838:35f:1::]-[2001:838:35f:2::]:100", NftFamily.Ip6)[^1]);
        Assert.Equal(new[] { "[ immediate reg 1 0x20010838 0x035f0001 0x00000000 0x00000000 ]", "[ immediate reg 2 0x20010838 0x035f0001 0xffffffff 0xffffffff ]",
            "[ nat dnat ip6 addr_min reg 1 addr_max reg 2 ]" }, Lines("dnat to [2001:838:35f:1::]/64", NftFamily.Ip6));
    }

    [Fact]
    public void Tproxy_port_may_be_a_map_lookup()
    {
        Assert.Equal(new[] { "[ immediate reg 1 0x7f000001 ]", "[ hash reg 2 = symhash() % mod 2 ]", "[ lookup reg 2 set __map%d dreg 2 ]",
            "[ tproxy ip addr reg 1 port reg 2 ]" }, Lines("meta l4proto 6 tproxy ip to 127.0.0.1:symhash mod 2 map { 0 : 23, 1 : 42 }", NftFamily.Inet)[2..]);
    }

    [Fact]
    public void Netdev_dup_to_names_a_device()
    {
        Assert.Equal(new[] { "[ immediate reg 1 0x01000000 ]", "[ dup sreg_dev 1 ]" }, Lines("dup to \"lo\"", NftFamily.Netdev));
        Assert.Equal(new[] { "[ meta load mark => reg 1 ]", "[ lookup reg 1 set __map%d dreg 1 ]", "[ dup sreg_dev 1 ]" },
            Lines("dup to meta mark map { 0x00000001 : \"lo\", 0x00000002 : \"lo\"}", NftFamily.Netdev));
        Assert.Equal("[ dup sreg_addr 1 ]", Lines("dup to 1.2.3.4")[^1]);
    }

    [Theory]
    [InlineData("tcp option eol left 1", "left")]
    [InlineData("tcp option sack window 1", "window")]
    public void Tcp_option_with_a_foreign_field_is_refused_at_that_field(string rule, string word)
    {
        var e = Assert.Throws<NftSyntaxException>(() => Lines(rule));
        Assert.Equal("syntax error, unexpected " + word, e.Reason);
        Assert.Equal(rule.IndexOf(word, StringComparison.Ordinal) + 1, e.Column);
    }

    [Fact]
    public void New_statements_parse_inside_a_script_chain_body()
    {
        var batch = new NftBatch();
        NftPS.Language.Script.NftScript.Parse("""
            table inet f {
                chain c {
                    reset tcp option sack-perm
                    tcp flags ! fin,rst ct event set new,destroy
                }
            }
            """, null, Array.Empty<string>()).QueueOn(batch, null);
        var rules = batch.Operations.Select(o => o.Description).Where(d => d.StartsWith("add rule", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, rules.Count);
        Assert.Contains("reset tcp option sack-perm", rules[0]);
        Assert.Contains("tcp flags ! fin,rst ct event set new,destroy", rules[1]);
    }

    [Fact]
    public void Unqualified_ipsec_without_direction_is_meta_ipsec()
    {
        Assert.Equal(new[] { "[ meta load secpath => reg 1 ]", "[ cmp eq reg 1 0x01 ]" }, Lines("ipsec exists"));
        Assert.Equal("syntax error, unexpected reqid", Assert.Throws<NftSyntaxException>(() => Lines("ipsec i reqid 1")).Reason);
    }
}
