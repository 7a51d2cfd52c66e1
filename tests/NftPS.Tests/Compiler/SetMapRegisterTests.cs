using NftPS.Language.Evaluate;
using NftPS.Language.Linearize;
using NftPS.NfTables;
using NftPS.NfTables.Model;
using NftPS.NfTables.Writing;

namespace NftPS.Tests.Compiler;

/// <summary>Sets, maps and their registers as nft 1.0.6 builds them (expected lines are nft's `--debug=netlink`
/// output for the same rule, in our debug format).</summary>
public class SetMapRegisterTests
{
    private static CompiledRule Compile(string rule, NftFamily family = NftFamily.Ip, params SetDescriptor[] sets) =>
        RuleCompiler.Compile(rule, new CompileContext
        {
            Family = family, Table = "t",
            FindSet = n => sets.FirstOrDefault(s => s.Name == n),
        });

    private static string Exprs(CompiledRule r) => string.Join(" ", r.Expressions.Select(e => e.ToDebugString()));

    private static string Elements(CompiledRule r) =>
        string.Join(", ", r.AnonymousSets.SelectMany(s => s.Elements).Select(CompilerNft106Tests.ElementText));

    [Fact]
    public void Map_statement_data_goes_to_the_register_after_a_whole_key_register()
    {
        var map1 = SetDeclarations.FromType("map1", "ipv4_addr . ipv4_addr", "mark");
        var r = Compile("add @map1 { ip saddr . ip daddr : meta mark }", NftFamily.Ip, map1);
        Assert.EndsWith("[ meta load mark => reg 2 ] [ dynset add reg_key 1 set map1 sreg_data 2 ]", Exprs(r));
    }

    [Fact]
    public void Map_statement_takes_concatenated_constant_data()
    {
        var map2 = SetDeclarations.FromType("map2", "ipv4_addr . ipv4_addr . inet_service", "ipv4_addr . inet_service");
        var r = Compile("add @map2 { ip saddr . ip daddr . th dport : 10.0.0.1 . 80 }", NftFamily.Ip, map2);
        Assert.Equal("[ payload load 4b @ network header + 12 => reg 1 ] [ payload load 4b @ network header + 16 => reg 9 ] "
                     + "[ payload load 2b @ transport header + 2 => reg 10 ] [ immediate reg 2 0x0a000001 ] [ immediate reg 13 0x0050 ] "
                     + "[ dynset add reg_key 1 set map2 sreg_data 2 ]", Exprs(r));
    }

    [Fact]
    public void Fwd_loads_the_device_before_the_address()
    {
        var r = Compile("fwd ip to 192.168.2.200 device \"lo\"", NftFamily.Netdev);
        var e = r.Expressions.Select(x => x.ToDebugString()).ToList();
        Assert.StartsWith("[ immediate reg 1 ", e[0]);
        Assert.Equal("[ immediate reg 2 0xc0a802c8 ]", e[1]);
        Assert.Equal("[ fwd sreg_dev 1 sreg_addr 2 nfproto 2 ]", e[2]);
    }

    [Fact]
    public void Dup_still_loads_the_address_first()
    {
        // nft 1.0.6 refuses a device with `dup to` in netdev ("cannot specify device"); ip takes both.
        var r = Compile("dup to 192.168.2.200 device \"lo\"", NftFamily.Ip);
        Assert.Equal("[ immediate reg 1 0xc0a802c8 ]", r.Expressions[0].ToDebugString());
    }

    [Fact]
    public void Adjacent_intervals_of_an_anonymous_map_share_the_boundary_element()
    {
        var r = Compile("ip hdrlength vmap { 0-4 : drop, 5 : accept, 6 : continue }");
        Assert.Equal("element 00 : drop, element 05 : accept, element 06 : continue, element 07 flags 1", Elements(r));
    }

    [Fact]
    public void Named_interval_sets_keep_the_end_element_of_adjacent_intervals()
    {
        var batch = new NftBatch();
        NftPS.Language.Script.NftScript.Parse("add table ip t\nadd set ip t s { type inet_service; flags interval; elements = { 1-4, 5 } }\n",
            null, Array.Empty<string>()).QueueOn(batch, null);
        string elements = batch.Operations.Single(o => o.Description.StartsWith("add element")).Description;
        Assert.Equal("add element ip t s { 0x0000 (end), 0x0001, 0x0005 (end), 0x0005, 0x0006 (end) }", elements);
    }

    [Fact]
    public void An_interval_reaching_the_top_of_the_key_space_is_marked_open()
    {
        var r = Compile("ip6 nexthdr { 0, 4-127, 255 }", NftFamily.Ip6);
        var elems = r.AnonymousSets.Single().Elements;
        Assert.Equal("element 00, element 01 flags 1, element 04, element 80 flags 1, element ff  userdata len 6 sum 0x6", Elements(r));
        Assert.True(elems[^1].IntervalOpen);
        Assert.Equal(new byte[] { 1, 4, 1, 0, 0, 0 }, UserData.ForElement(null, elems[^1].IntervalOpen));
        Assert.DoesNotContain(elems.Take(elems.Count - 1), e => e.IntervalOpen);
    }

    [Fact]
    public void Named_set_lookup_of_a_dscp_field_shifts_it_down()
    {
        var map3 = SetDeclarations.FromType("map3", "dscp", "mark");
        var r = Compile("ip6 dscp @map3", NftFamily.Ip6, map3);
        Assert.Equal("[ payload load 2b @ network header + 0 => reg 1 ] [ bitwise reg 1 = ( reg 1 & 0x0fc0 ) ^ 0x0000 ] "
                     + "[ bitwise reg 1 = ( reg 1 >> 0x00000006 ) ] [ lookup reg 1 set map3 ]", Exprs(r));
    }

    [Fact]
    public void Dscp_inside_a_concatenation_is_shifted_down()
    {
        var map2 = SetDeclarations.FromType("map2", "dscp . ipv6_addr", "mark");
        var r = Compile("meta mark set ip6 dscp . ip6 daddr map @map2", NftFamily.Ip6, map2);
        var e = r.Expressions;
        Assert.Equal(new byte[] { 0x0f, 0xc0 }, Assert.IsType<NftPS.NfTables.Expressions.BitwiseExpression>(e[1]).Mask);
        Assert.Equal("[ bitwise reg 1 = ( reg 1 >> 0x00000006 ) ]", e[2].ToDebugString());
        Assert.Equal("[ payload load 16b @ network header + 24 => reg 9 ]", e[3].ToDebugString());
    }

    [Fact]
    public void Anonymous_dscp_set_still_shifts_the_elements_instead()
    {
        var r = Compile("ip dscp { cs1, cs2 }");
        Assert.DoesNotContain(">>", Exprs(r));
        Assert.Equal("element 20, element 40", Elements(r));
    }

    [Fact]
    public void Host_order_items_of_a_concatenated_interval_set_are_converted()
    {
        var r = Compile("ip saddr . meta mark { 1.2.3.4 . 0x00000100, 1.2.3.6-1.2.3.8 . 0x00000200-0x00000300 }");
        Assert.Equal("[ payload load 4b @ network header + 12 => reg 1 ] [ meta load mark => reg 9 ] "
                     + "[ byteorder reg 9 = hton(reg 9, 4, 4) ] [ lookup reg 1 set __set%d ]", Exprs(r));
        Assert.Equal("element 01020304 00000100 - 01020304 00000100, element 01020306 00000200 - 01020308 00000300", Elements(r));
    }

    [Fact]
    public void Host_order_items_of_a_plain_concatenated_set_stay_in_host_order()
    {
        var r = Compile("ip saddr . meta mark { 1.2.3.4 . 0x00000100 }");
        Assert.DoesNotContain("byteorder", Exprs(r));
        Assert.Equal("element 01020304 00010000", Elements(r));
    }

    [Fact]
    public void Nat_map_with_address_and_port_ranges_carries_first_and_last_of_each()
    {
        var r = Compile("tcp dport 1 dnat ip to ip saddr . tcp dport map { 192.168.1.2 . 80 : 10.141.10.0/24 . 8888-8999, 192.168.1.3 . 80 : 10.0.0.1 . 80 }");
        Assert.EndsWith("[ nat dnat ip addr_min reg 1 addr_max reg 10 proto_min reg 9 proto_max reg 11 ]", Exprs(r));
        var (set, elems) = r.AnonymousSets.Single();
        Assert.Equal(16u, set.DataLength);
        Assert.Equal("element c0a80102 00500000 : 0a8d0a00 22b80000 0a8d0aff 23270000, element c0a80103 00500000 : 0a000001 00500000 0a000001 00500000",
            Elements(r));
    }

    [Fact]
    public void Raw_transport_ports_are_typed_as_services_with_th_typeof()
    {
        var r = Compile("meta l4proto tcp @th,16,16 { 22, 23, 80 }", NftFamily.Inet);
        var set = r.AnonymousSets.Single().Set;
        Assert.Equal(13u, set.KeyType);
        // key byte order big endian; typeof: payload (7) of th (11) field dport (2)
        Assert.Equal("000402000000" + "0314" + "000407000000" + "010C" + "00040B000000" + "010402000000", Convert.ToHexString(set.UserData!));
        Assert.Equal(4u, Compile("@th,32,16 { 22 }", NftFamily.Inet).AnonymousSets.Single().Set.KeyType & 0x3f);
    }

    [Fact]
    public void Map_user_data_is_written_as_nft_does()
    {
        // Verdict map: key order, data order 0, no auto-merge, verdict typeof, data interval 0.
        var vmap = Compile("udp length . @th,160,128 vmap { 47-63 . 0xe373135363130333131303735353203 : accept }", NftFamily.Inet);
        string ud = Convert.ToHexString(vmap.AnonymousSets.Single().Set.UserData!);
        Assert.StartsWith("00040000000001040000000003", ud);
        Assert.EndsWith("0408000401000000010006040000000000".Substring(0, 32), ud);
        // Data map: key order, data order, data interval 0.
        var map = Compile("meta mark set ip saddr map { 1.2.3.4-1.2.3.6 : 5 }");
        Assert.DoesNotContain("02040100", Convert.ToHexString(map.AnonymousSets.Single().Set.UserData!));
        Assert.EndsWith("060400000000", Convert.ToHexString(map.AnonymousSets.Single().Set.UserData!));
        // Interval set: auto-merge.
        var set = Compile("ip saddr { 1.2.3.4-1.2.3.6 }");
        Assert.StartsWith("000402000000020401000000", Convert.ToHexString(set.AnonymousSets.Single().Set.UserData!));
    }

    [Fact]
    public void Named_nat_maps_use_the_registers_their_data_type_implies()
    {
        var sets = new[]
        {
            SetDeclarations.FromType("ipportmap", "ipv4_addr", "ipv4_addr . inet_service", true) with { IsDataInterval = true },
            SetDeclarations.FromType("m2", "ipv4_addr", "ipv4_addr . inet_service"),
            SetDeclarations.FromType("m3", "ipv4_addr", "ipv4_addr", true) with { IsDataInterval = true },
        };
        Assert.EndsWith("[ nat dnat ip addr_min reg 1 addr_max reg 10 proto_min reg 9 proto_max reg 11 ]",
            Exprs(Compile("ip protocol tcp dnat ip to ip saddr map @ipportmap", NftFamily.Ip, sets)));
        Assert.EndsWith("[ nat dnat ip addr_min reg 1 proto_min reg 9 ]", Exprs(Compile("ip protocol tcp dnat ip to ip saddr map @m2", NftFamily.Ip, sets)));
        Assert.EndsWith("[ nat dnat ip addr_min reg 1 addr_max reg 9 ]", Exprs(Compile("dnat ip to ip saddr map @m3", NftFamily.Ip, sets)));
    }

    [Fact]
    public void Named_map_with_interval_data_sends_first_and_last()
    {
        var desc = SetDeclarations.FromType("m", "ipv4_addr", "ipv4_addr . inet_service", true) with { IsDataInterval = true };
        var rule = NftPS.Language.Syntax.Parser.ParseRule(new NftPS.Language.Syntax.SourceText(
            "dnat to ip saddr map { 192.168.1.2 : 10.141.10.1-10.141.10.3 . 8888-8999, 192.168.1.5 : 10.0.0.1 . 80 }"));
        var lookup = ((NftPS.Language.Syntax.ActionStatement)rule.Statements[0]).Get<NftPS.Language.Syntax.MapLookupNode>("addr")!;
        var elements = NftPS.Language.Script.NamedSet.FromDescriptor(desc).EncodeElements((NftPS.Language.Syntax.SetNode)lookup.Map, NftFamily.Ip, adding: true);
        Assert.Equal("element 00000000 flags 1, element c0a80102 : 0a8d0a01 22b80000 0a8d0a03 23270000, element c0a80103 flags 1, "
                     + "element c0a80105 : 0a000001 00500000 0a000001 00500000, element c0a80106 flags 1",
            string.Join(", ", elements.Select(CompilerNft106Tests.ElementText)));
    }

    [Fact]
    public void Wildcard_names_in_sets_are_intervals_over_the_prefix()
    {
        var r = Compile("iifname { \"abcdef*\", \"eth0\" } counter", NftFamily.Inet);
        Assert.Equal(7u, r.AnonymousSets.Single().Set.Flags);
        Assert.Equal("element 00000000 00000000 00000000 00000000 flags 1, element 61626364 65660000 00000000 00000000, "
                     + "element 61626364 65670000 00000000 00000000 flags 1, element 65746830 00000000 00000000 00000000, "
                     + "element 65746830 00000000 00000000 00000001 flags 1", Elements(r));
        var c = Compile("ip saddr . iifname { 10.1.2.2 . \"abcdef*\" } counter", NftFamily.Inet);
        Assert.Equal("element 0a010202 61626364 65660000 00000000 00000000 - 0a010202 61626364 6566ffff ffffffff ffffffff", Elements(c));
    }

    [Fact]
    public void Netdev_dup_to_a_name_duplicates_to_that_device()
    {
        Assert.Equal("[ immediate reg 1 0x01000000 ] [ dup sreg_dev 1 ]", Exprs(Compile("dup to \"lo\"", NftFamily.Netdev)));
        var r = Compile("dup to meta mark map { 0x00000001 : \"lo\", 0x00000002 : \"lo\"}", NftFamily.Netdev);
        Assert.Equal("[ meta load mark => reg 1 ] [ lookup reg 1 set __map%d dreg 1 ] [ dup sreg_dev 1 ]", Exprs(r));
        Assert.Equal("element 01000000 : 01000000, element 02000000 : 01000000", Elements(r));
    }
}
