using NftPS.Language.Evaluate;
using NftPS.Language.Linearize;
using NftPS.Language.Syntax;
using NftPS.NfTables;
using NftPS.NfTables.Expressions;
using NftPS.Tests.Infrastructure;
using NftPS.Tests.Model;

namespace NftPS.Tests.Compiler;

/// <summary>nft 1.1's tunnel matches (inet/vxlan.t, geneve.t, gre.t, gretap.t), unknown to nft 1.0.6: each load from
/// the packet inside the tunnel is wrapped in the kernel's inner expression, with the inner dependencies nft 1.1
/// records in the .payload files.</summary>
public class InnerMatchTests : IClassFixture<PrivateNetworkNamespace>
{
    private readonly PrivateNetworkNamespace _ns;

    public InnerMatchTests(PrivateNetworkNamespace ns) => _ns = ns;

    private static CompiledRule Compile(string rule, NftFamily family) =>
        RuleCompiler.Compile(rule, new CompileContext { Family = family, Table = "t", Chain = "c" });

    private static string[] Lines(string rule, NftFamily family = NftFamily.Ip) => Compile(rule, family).DebugLines.ToArray();

    private const string UdpVxlan = "[ meta load l4proto => reg 1 ]|[ cmp eq reg 1 0x11 ]|[ payload load 2b @ transport header + 2 => reg 1 ]|[ cmp eq reg 1 0x12b5 ]";
    private const string Gre = "[ meta load l4proto => reg 1 ]|[ cmp eq reg 1 0x2f ]";

    [Theory]
    [InlineData("udp dport 4789 vxlan vni 10", UdpVxlan + "|[ inner type 1 hdrsize 8 flags f [ payload load 3b @ tunnel header + 4 => reg 1 ] ]|[ cmp eq reg 1 0x00000a ]")]
    [InlineData("udp dport 4789 vxlan ip saddr 10.141.11.0/24", UdpVxlan + "|[ inner type 1 hdrsize 8 flags f [ meta load protocol => reg 1 ] ]|[ cmp eq reg 1 0x0800 ]" +
        "|[ inner type 1 hdrsize 8 flags f [ payload load 3b @ network header + 12 => reg 1 ] ]|[ cmp eq reg 1 0x0a8d0b ]")]
    [InlineData("udp dport 4789 vxlan udp sport 8888", UdpVxlan + "|[ inner type 1 hdrsize 8 flags f [ meta load l4proto => reg 1 ] ]|[ cmp eq reg 1 0x11 ]" +
        "|[ inner type 1 hdrsize 8 flags f [ payload load 2b @ transport header + 0 => reg 1 ] ]|[ cmp eq reg 1 0x22b8 ]")]
    [InlineData("udp dport 4789 vxlan icmp type echo-reply", UdpVxlan + "|[ inner type 1 hdrsize 8 flags f [ payload load 2b @ link header + 12 => reg 1 ] ]|[ cmp eq reg 1 0x0800 ]" +
        "|[ inner type 1 hdrsize 8 flags f [ meta load l4proto => reg 1 ] ]|[ cmp eq reg 1 0x01 ]" +
        "|[ inner type 1 hdrsize 8 flags f [ payload load 1b @ transport header + 0 => reg 1 ] ]|[ cmp eq reg 1 0x00 ]")]
    [InlineData("udp dport 4789 vxlan vlan id 10", UdpVxlan + "|[ inner type 1 hdrsize 8 flags f [ payload load 2b @ link header + 12 => reg 1 ] ]|[ cmp eq reg 1 0x8100 ]" +
        "|[ inner type 1 hdrsize 8 flags f [ payload load 2b @ link header + 14 => reg 1 ] ]|[ bitwise reg 1 = ( reg 1 & 0x0fff ) ^ 0x0000 ]|[ cmp eq reg 1 0x000a ]")]
    [InlineData("gre version 0", Gre + "|[ payload load 1b @ transport header + 1 => reg 1 ]|[ bitwise reg 1 = ( reg 1 & 0x07 ) ^ 0x00 ]|[ cmp eq reg 1 0x00 ]")]
    [InlineData("gre icmp type echo-reply", Gre + "|[ inner type 3 hdrsize 4 flags c [ meta load protocol => reg 1 ] ]|[ cmp eq reg 1 0x0800 ]" +
        "|[ inner type 3 hdrsize 4 flags c [ meta load l4proto => reg 1 ] ]|[ cmp eq reg 1 0x01 ]" +
        "|[ inner type 3 hdrsize 4 flags c [ payload load 1b @ transport header + 0 => reg 1 ] ]|[ cmp eq reg 1 0x00 ]")]
    [InlineData("gretap ip saddr . gretap ip daddr { 1.2.3.4 . 4.3.2.1 }", Gre + "|[ inner type 4 hdrsize 4 flags e [ meta load protocol => reg 1 ] ]|[ cmp eq reg 1 0x0800 ]" +
        "|[ inner type 4 hdrsize 4 flags e [ payload load 4b @ network header + 12 => reg 1 ] ]" +
        "|[ inner type 4 hdrsize 4 flags e [ payload load 4b @ network header + 16 => reg 9 ] ]|[ lookup reg 1 set __set%d ]")]
    public void Tunnel_matches_compile_to_the_recorded_expressions(string rule, string expected)
    {
        // The inner packet has a context of its own: an ip table's implied IPv4 does not drop the inner meta protocol.
        foreach (var family in new[] { NftFamily.Ip, NftFamily.Ip6, NftFamily.Inet, NftFamily.Netdev })
            Assert.Equal(expected.Split('|'), Lines(rule, family));
    }

    [Theory]
    [InlineData("vxlan vni 10")]
    [InlineData("udp dport 4790 vxlan ip saddr 1.2.3.4")]
    [InlineData("gre ether saddr 62:87:4d:d6:19:05")]
    [InlineData("gre vlan id 10")]
    [InlineData("udp dport 4789 vxlan ip saddr set 1.2.3.4")]
    [InlineData("tcp dport 22 gre ip saddr 1.2.3.4")]
    public void Tunnel_misuse_is_refused(string rule) => Assert.ThrowsAny<NftLanguageException>(() => Lines(rule));

    [Fact]
    public void Gre_as_a_protocol_value_is_not_a_tunnel_match()
    {
        Assert.Equal(new[] { "[ payload load 1b @ network header + 9 => reg 1 ]", "[ cmp eq reg 1 0x2f ]", "[ immediate reg 0 accept ]" },
            Lines("ip protocol gre accept"));
    }

    [KernelFact]
    public void Kernel_takes_inner_expressions_from_our_batch_and_gives_them_back()
    {
        _ns.Require();
        _ns.Flush();
        _ns.NftLoad("add table netdev t\nadd chain netdev t c { type filter hook ingress device lo priority 0; }\n").EnsureSuccess("nft -f");
        string[] rules = { "udp dport 4789 vxlan ip saddr 10.141.11.2", "udp dport 6081 geneve vni 10", "gretap vlan id 10", "gre udp sport 8888" };
        var sent = new List<string[]>();
        using (var conn = NfTablesConnection.Open(_ns.Name))
        {
            foreach (var text in rules)
            {
                var c = Compile(text, NftFamily.Netdev);
                sent.Add(c.DebugLines.ToArray());
                var batch = new NftBatch();
                batch.QueueRule(c, NftFamily.Netdev, "t", "c");
                var result = conn.ExecuteBatch(batch, new BatchOptions());
                Assert.True(result.Succeeded, text + ": " + string.Join("; ", result.Errors.Select(e => e.Describe())));
            }
        }
        var read = ListingComparison.Read(_ns).Rules.Where(r => r.Table == "t" && r.Chain == "c").ToList();
        Assert.Equal(rules.Length, read.Count);
        for (int i = 0; i < rules.Length; i++)
        {
            Assert.Equal(sent[i], read[i].Expressions.Select(e => e.ToDebugString()).ToArray());
            Assert.Contains(read[i].Expressions, e => e is InnerExpression);
        }
        _ns.Flush();
    }
}
