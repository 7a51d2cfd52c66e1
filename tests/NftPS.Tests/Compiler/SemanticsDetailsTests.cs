using NftPS.Language.Evaluate;
using NftPS.Language.Linearize;
using NftPS.Language.Syntax;
using NftPS.NfTables;

namespace NftPS.Tests.Compiler;

/// <summary>Dependencies, reject variants, byte order and statement details as nft 1.0.6 encodes them (the expected
/// lines are nft 1.0.6's `--debug=netlink` output, in the new one-constant-per-token format).</summary>
public class SemanticsDetailsTests
{
    private static string Debug(string rule, NftFamily family) =>
        string.Join(" ", RuleCompiler.Compile(rule, new CompileContext { Family = family, Table = "t" }).Expressions.Select(e => e.ToDebugString()));

    [Theory]
    [InlineData(NftFamily.Inet, "meta nfproto ipv4 reject", "[ meta load nfproto => reg 1 ] [ cmp eq reg 1 0x02 ] [ reject type 0 code 3 ]")]
    [InlineData(NftFamily.Inet, "meta nfproto ipv6 reject", "[ meta load nfproto => reg 1 ] [ cmp eq reg 1 0x0a ] [ reject type 0 code 4 ]")]
    [InlineData(NftFamily.Netdev, "meta protocol ip6 reject", "[ meta load protocol => reg 1 ] [ cmp eq reg 1 0x86dd ] [ reject type 0 code 4 ]")]
    [InlineData(NftFamily.Inet, "reject", "[ reject type 2 code 1 ]")]
    public void Plain_reject_after_a_network_match_is_that_protocols_port_unreachable(NftFamily family, string rule, string expected) =>
        Assert.Equal(expected, Debug(rule, family));

    [Theory]
    [InlineData(NftFamily.Ip)]
    [InlineData(NftFamily.Ip6)]
    [InlineData(NftFamily.Inet)]
    [InlineData(NftFamily.Netdev)]
    public void Tcp_reset_puts_its_l4proto_dependency_at_the_start_of_the_rule(NftFamily family) =>
        Assert.Equal("[ meta load l4proto => reg 1 ] [ cmp eq reg 1 0x06 ] [ meta load mark => reg 1 ] [ cmp eq reg 1 0x00003039 ] [ reject type 1 code 0 ]",
            Debug("mark 12345 reject with tcp reset", family));

    [Fact]
    public void Tcp_reset_after_a_tcp_match_adds_nothing() =>
        Assert.Equal("[ meta load l4proto => reg 1 ] [ cmp eq reg 1 0x06 ] [ reject type 1 code 0 ]", Debug("meta l4proto tcp reject with tcp reset", NftFamily.Inet));

    [Theory]
    [InlineData(NftFamily.Ip, "meta protocol ip udp dport 67", "[ meta load l4proto => reg 1 ] [ cmp eq reg 1 0x11 ] [ payload load 2b @ transport header + 2 => reg 1 ] [ cmp eq reg 1 0x0043 ]")]
    [InlineData(NftFamily.Ip6, "meta protocol ip6 meta mark 1", "[ meta load mark => reg 1 ] [ cmp eq reg 1 0x00000001 ]")]
    // nft deletes the redundant match when it reaches the next statement: in last place it stays.
    [InlineData(NftFamily.Ip, "meta protocol ip", "[ meta load protocol => reg 1 ] [ cmp eq reg 1 0x0800 ]")]
    [InlineData(NftFamily.Ip, "meta protocol ip6 meta mark 1", "[ meta load protocol => reg 1 ] [ cmp eq reg 1 0x86dd ] [ meta load mark => reg 1 ] [ cmp eq reg 1 0x00000001 ]")]
    public void Meta_protocol_of_the_tables_own_family_is_dropped(NftFamily family, string rule, string expected) =>
        Assert.Equal(expected, Debug(rule, family));

    [Theory]
    [InlineData(NftFamily.Inet)]
    [InlineData(NftFamily.Netdev)]
    public void After_an_ethernet_check_the_network_dependency_is_ether_type_merged_with_ether_saddr(NftFamily family) =>
        Assert.Equal("[ meta load l4proto => reg 1 ] [ cmp eq reg 1 0x06 ] [ payload load 2b @ transport header + 2 => reg 1 ] [ cmp eq reg 1 0x0016 ] "
                     + "[ meta load iiftype => reg 1 ] [ cmp eq reg 1 0x0001 ] [ payload load 8b @ link header + 6 => reg 1 ] [ cmp eq reg 1 0x000f540c 0x11040800 ] "
                     + "[ payload load 4b @ network header + 16 => reg 1 ] [ cmp eq reg 1 0x01020304 ] [ immediate reg 0 accept ]",
            Debug("tcp dport 22 iiftype ether ip daddr 1.2.3.4 ether saddr 00:0f:54:0c:11:4 accept", family));

    [Fact]
    public void Ether_match_then_ip_then_reject_in_inet() =>
        Assert.Equal("[ meta load iiftype => reg 1 ] [ cmp eq reg 1 0x0001 ] [ payload load 8b @ link header + 6 => reg 1 ] [ cmp eq reg 1 0xaabbccdd 0xeeff0800 ] "
                     + "[ payload load 4b @ network header + 16 => reg 1 ] [ cmp eq reg 1 0xc0a80001 ] [ reject type 0 code 3 ]",
            Debug("ether saddr aa:bb:cc:dd:ee:ff ip daddr 192.168.0.1 reject", NftFamily.Inet));

    [Fact]
    public void Unqualified_ct_address_keeps_the_generic_key() =>
        Assert.Equal("[ meta load nfproto => reg 1 ] [ cmp eq reg 1 0x02 ] [ ct load src => reg 1 , dir original ] [ cmp eq reg 1 0x01020304 ]",
            Debug("meta nfproto ipv4 ct original saddr 1.2.3.4", NftFamily.Inet));

    [Theory]
    [InlineData("ct original ip saddr 192.168.1.0/24", "[ ct load src_ip => reg 1 , dir original ] [ cmp eq reg 1 0xc0a801 ]")]
    [InlineData("ct reply ip daddr 10.0.0.0/8", "[ ct load dst_ip => reg 1 , dir reply ] [ cmp eq reg 1 0x0a ]")]
    // Not on a byte boundary: masked, as nft does.
    [InlineData("ct original ip saddr 192.168.1.0/23", "[ ct load src_ip => reg 1 , dir original ] [ bitwise reg 1 = ( reg 1 & 0xfffffe00 ) ^ 0x00000000 ] [ cmp eq reg 1 0xc0a80000 ]")]
    public void Byte_aligned_ct_prefix_compares_the_prefix_bytes_only(string rule, string expected) =>
        Assert.Equal(expected, Debug(rule, NftFamily.Ip));

    [Fact]
    public void Zero_length_prefix_is_kept_as_a_masked_compare() =>
        Assert.Equal("[ meta load nfproto => reg 1 ] [ cmp eq reg 1 0x02 ] [ payload load 4b @ network header + 16 => reg 1 ] "
                     + "[ bitwise reg 1 = ( reg 1 & 0x00000000 ) ^ 0x00000000 ] [ cmp eq reg 1 0x00000000 ] "
                     + "[ meta load l4proto => reg 1 ] [ cmp eq reg 1 0x06 ] [ immediate reg 1 0x07d0 ] [ tproxy ip port reg 1 ]",
            Debug("ip daddr 0.0.0.0/0 meta l4proto 6 tproxy ip to :2000", NftFamily.Inet));

    [Fact]
    public void Tproxy_without_address_in_inet_sends_no_family() =>
        Assert.Equal("[ meta load l4proto => reg 1 ] [ cmp eq reg 1 0x11 ] [ immediate reg 1 0xc3a0 ] [ tproxy port reg 1 ]",
            Debug("meta l4proto 17 tproxy to :50080", NftFamily.Inet));

    [Fact]
    public void Rt_mtu_written_to_a_tcp_option_is_swapped_to_network_order() =>
        Assert.Equal("[ rt load tcpmss => reg 1 ] [ byteorder reg 1 = hton(reg 1, 2, 2) ] [ exthdr write tcpopt reg 1 => 2b @ 2 + 2 ]",
            Debug("tcp option maxseg size set rt mtu", NftFamily.Inet));

    [Fact]
    public void Jhash_without_seed_sends_no_seed()
    {
        var rule = RuleCompiler.Compile("ct mark set jhash ip saddr . ip daddr mod 2", new CompileContext { Family = NftFamily.Ip, Table = "t" });
        var hash = Assert.Single(rule.Expressions.OfType<NftPS.NfTables.Expressions.HashExpression>());
        Assert.Null(hash.Seed);
        var seeded = RuleCompiler.Compile("ct mark set jhash ip saddr mod 2 seed 0x0", new CompileContext { Family = NftFamily.Ip, Table = "t" });
        Assert.Equal(0u, Assert.Single(seeded.Expressions.OfType<NftPS.NfTables.Expressions.HashExpression>()).Seed);
    }

    [Theory]
    [InlineData(NftFamily.Arp, "@nh,144,48 set 0x112233445566", "[ immediate reg 1 0x11223344 0x5566 ] [ payload write reg 1 => 6b @ network header + 18 csum_type 0 csum_off 0 csum_flags 0x0 ]")]
    [InlineData(NftFamily.Ip, "@nh,8,8 set 1", "[ immediate reg 1 0x01 ] [ payload write reg 1 => 1b @ network header + 1 csum_type 0 csum_off 0 csum_flags 0x0 ]")]
    public void Raw_payload_writes_update_no_checksum(NftFamily family, string rule, string expected) =>
        Assert.Equal(expected, Debug(rule, family));

    [Theory]
    [InlineData(NftFamily.Ip6, "icmp type echo-request", "[ meta load l4proto => reg 1 ] [ cmp eq reg 1 0x01 ] [ payload load 1b @ transport header + 0 => reg 1 ] [ cmp eq reg 1 0x08 ]")]
    [InlineData(NftFamily.Ip, "icmpv6 type nd-router-advert", "[ meta load l4proto => reg 1 ] [ cmp eq reg 1 0x3a ] [ payload load 1b @ transport header + 0 => reg 1 ] [ cmp eq reg 1 0x86 ]")]
    [InlineData(NftFamily.Inet, "meta nfproto ipv6 icmp type echo-request", "[ meta load nfproto => reg 1 ] [ cmp eq reg 1 0x0a ] [ meta load l4proto => reg 1 ] [ cmp eq reg 1 0x01 ] [ payload load 1b @ transport header + 0 => reg 1 ] [ cmp eq reg 1 0x08 ]")]
    [InlineData(NftFamily.Inet, "icmpv6 type echo-request", "[ meta load nfproto => reg 1 ] [ cmp eq reg 1 0x0a ] [ meta load l4proto => reg 1 ] [ cmp eq reg 1 0x3a ] [ payload load 1b @ transport header + 0 => reg 1 ] [ cmp eq reg 1 0x80 ]")]
    public void Icmp_over_the_other_ip_version_checks_only_the_l4proto(NftFamily family, string rule, string expected) =>
        Assert.Equal(expected, Debug(rule, family));

    [Fact]
    public void Stacked_vlan_tags_address_the_inner_tag_after_the_outer_type_names_a_vlan() =>
        Assert.Equal("[ payload load 2b @ link header + 12 => reg 1 ] [ cmp eq reg 1 0x88a8 ] "
                     + "[ payload load 2b @ link header + 14 => reg 1 ] [ bitwise reg 1 = ( reg 1 & 0x0fff ) ^ 0x0000 ] [ cmp eq reg 1 0x0001 ] "
                     + "[ payload load 2b @ link header + 16 => reg 1 ] [ cmp eq reg 1 0x8100 ] "
                     + "[ payload load 2b @ link header + 18 => reg 1 ] [ bitwise reg 1 = ( reg 1 & 0x0fff ) ^ 0x0000 ] [ cmp eq reg 1 0x0002 ] "
                     + "[ payload load 2b @ link header + 20 => reg 1 ] [ cmp eq reg 1 0x0800 ] [ counter pkts 0 bytes 0 ]",
            Debug("ether type 8021ad vlan id 1 vlan type 8021q vlan id 2 vlan type ip counter", NftFamily.Bridge));

    [Theory]
    [InlineData("icmp type echo-request", "[ payload load 2b @ link header + 12 => reg 1 ] [ cmp eq reg 1 0x0800 ] [ meta load l4proto => reg 1 ] [ cmp eq reg 1 0x01 ] [ payload load 1b @ transport header + 0 => reg 1 ] [ cmp eq reg 1 0x08 ]")]
    // An IP header field still goes through meta protocol (it also matches VLAN-encapsulated IP).
    [InlineData("ip protocol 1", "[ meta load protocol => reg 1 ] [ cmp eq reg 1 0x0800 ] [ payload load 1b @ network header + 9 => reg 1 ] [ cmp eq reg 1 0x01 ]")]
    public void Icmp_in_a_bridge_table_checks_the_ethernet_type(string rule, string expected) =>
        Assert.Equal(expected, Debug(rule, NftFamily.Bridge));

    [Theory]
    // comp flags is a plain bitmask: nft compares it for equality (only types built on bitmask test "any of").
    [InlineData(NftFamily.Ip, "comp flags 0x0", "[ meta load l4proto => reg 1 ] [ cmp eq reg 1 0x6c ] [ payload load 1b @ transport header + 1 => reg 1 ] [ cmp eq reg 1 0x00 ]")]
    [InlineData(NftFamily.Ip, "tcp flags syn", "[ meta load l4proto => reg 1 ] [ cmp eq reg 1 0x06 ] [ payload load 1b @ transport header + 13 => reg 1 ] [ bitwise reg 1 = ( reg 1 & 0x02 ) ^ 0x00 ] [ cmp neq reg 1 0x00 ]")]
    public void Implicit_flag_test_only_for_types_built_on_bitmask(NftFamily family, string rule, string expected) =>
        Assert.Equal(expected, Debug(rule, family));

    [Fact]
    public void Fwd_loads_the_device_before_the_address()
    {
        var exprs = RuleCompiler.Compile("fwd ip to 192.168.2.200 device \"lo\"", new CompileContext { Family = NftFamily.Netdev, Table = "t", Chain = "c" }).Expressions;
        var fwd = Assert.IsType<NftPS.NfTables.Expressions.FwdExpression>(exprs[^1]);
        Assert.Equal(1u, fwd.DeviceRegister);
        Assert.Equal(2u, fwd.AddressRegister);
        Assert.Equal(new byte[] { 192, 168, 2, 200 }, Assert.IsType<NftPS.NfTables.Expressions.ImmediateExpression>(exprs[1]).Data);
    }

    [Theory]
    [InlineData(NftFamily.Inet, "vlan id 1 ip saddr 1.2.3.4", "[ meta load iiftype => reg 1 ] [ cmp eq reg 1 0x0001 ] [ payload load 2b @ link header + 12 => reg 1 ] [ cmp eq reg 1 0x8100 ] "
        + "[ payload load 2b @ link header + 14 => reg 1 ] [ bitwise reg 1 = ( reg 1 & 0x0fff ) ^ 0x0000 ] [ cmp eq reg 1 0x0001 ] "
        + "[ payload load 2b @ link header + 16 => reg 1 ] [ cmp eq reg 1 0x0800 ] [ payload load 4b @ network header + 12 => reg 1 ] [ cmp eq reg 1 0x01020304 ]")]
    [InlineData(NftFamily.Netdev, "ether type 8021q vlan type 8021q vlan id 2", "[ meta load iiftype => reg 1 ] [ cmp eq reg 1 0x0001 ] [ payload load 2b @ link header + 12 => reg 1 ] [ cmp eq reg 1 0x8100 ] "
        + "[ payload load 2b @ link header + 16 => reg 1 ] [ cmp eq reg 1 0x8100 ] [ payload load 2b @ link header + 18 => reg 1 ] [ bitwise reg 1 = ( reg 1 & 0x0fff ) ^ 0x0000 ] [ cmp eq reg 1 0x0002 ]")]
    [InlineData(NftFamily.Bridge, "vlan id 1 vlan type 8021q vlan id 2 icmp type echo-request", "[ payload load 2b @ link header + 12 => reg 1 ] [ cmp eq reg 1 0x8100 ] "
        + "[ payload load 2b @ link header + 14 => reg 1 ] [ bitwise reg 1 = ( reg 1 & 0x0fff ) ^ 0x0000 ] [ cmp eq reg 1 0x0001 ] [ payload load 2b @ link header + 16 => reg 1 ] [ cmp eq reg 1 0x8100 ] "
        + "[ payload load 2b @ link header + 18 => reg 1 ] [ bitwise reg 1 = ( reg 1 & 0x0fff ) ^ 0x0000 ] [ cmp eq reg 1 0x0002 ] [ payload load 2b @ link header + 20 => reg 1 ] [ cmp eq reg 1 0x0800 ] "
        + "[ meta load l4proto => reg 1 ] [ cmp eq reg 1 0x01 ] [ payload load 1b @ transport header + 0 => reg 1 ] [ cmp eq reg 1 0x08 ]")]
    public void Network_dependency_after_vlan_tags_is_the_innermost_vlan_type(NftFamily family, string rule, string expected) =>
        Assert.Equal(expected, Debug(rule, family));

    [Fact]
    public void Tcp_reset_after_a_protocol_set_follows_the_sets_last_protocol()
    {
        Assert.Equal("[ meta load l4proto => reg 1 ] [ lookup reg 1 set __set%d ] [ reject type 1 code 0 ]",
            Debug("meta l4proto { udp, tcp } reject with tcp reset", NftFamily.Inet));
        var e = Assert.Throws<NftEvaluationException>(() => Debug("meta l4proto { tcp, udp } reject with tcp reset", NftFamily.Inet));
        Assert.Equal("you cannot use tcp reset with this protocol", e.Reason);
    }

    [Fact]
    public void Icmp_reject_dependency_goes_to_the_start_of_the_rule() =>
        Assert.Equal("[ meta load nfproto => reg 1 ] [ cmp eq reg 1 0x02 ] [ meta load mark => reg 1 ] [ cmp eq reg 1 0x00000003 ] [ reject type 0 code 1 ]",
            Debug("mark 3 reject with icmp host-unreachable", NftFamily.Inet));
}
