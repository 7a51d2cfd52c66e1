using NftPS.Language.Evaluate;
using NftPS.Language.Linearize;
using NftPS.NfTables;

namespace NftPS.Tests.Compiler;

/// <summary>NAT through an anonymous map whose data are address ranges or prefixes: the map holds first . last
/// (twice the address length, data-interval user data) and the nat expression takes addr_min and addr_max from the
/// consecutive registers. Expected expressions and element bytes are nft 1.0.6's --debug=netlink output.</summary>
public class NatMapDataTests
{
    private static CompiledRule Compile(string rule) =>
        RuleCompiler.Compile(rule, new CompileContext { Family = NftFamily.Ip, Table = "t" });

    [Fact]
    public void RangeDataGivesAddrMinAndMax()
    {
        var rule = Compile("snat ip to ip saddr map { 10.141.11.4 : 192.168.2.2-192.168.2.4 }");
        Assert.Equal(new[]
        {
            "[ payload load 4b @ network header + 12 => reg 1 ]",
            "[ lookup reg 1 set __map%d dreg 1 ]",
            "[ nat snat ip addr_min reg 1 addr_max reg 9 ]",
        }, rule.DebugLines);
        var (set, elements) = Assert.Single(rule.AnonymousSets);
        Assert.Equal(0xbu, set.Flags);
        Assert.Equal(7u, set.DataType);
        Assert.Equal(8u, set.DataLength);
        var e = Assert.Single(elements);
        Assert.Equal(new byte[] { 192, 168, 2, 2, 192, 168, 2, 4 }, e.Data);
    }

    [Fact]
    public void PrefixDataIsItsFirstAndLastAddressWithNetmap()
    {
        var rule = Compile("snat ip prefix to ip saddr map { 10.141.11.0/24 : 192.168.2.0/24 }");
        Assert.Equal("[ nat snat ip addr_min reg 1 addr_max reg 9 flags 0x40 ]", rule.DebugLines.Last());
        var (set, elements) = Assert.Single(rule.AnonymousSets);
        Assert.Equal(0xfu, set.Flags);
        Assert.Contains(elements, x => x.Data is { } d && d.SequenceEqual(new byte[] { 192, 168, 2, 0, 192, 168, 2, 255 }));
    }

    [Fact]
    public void AddressDotPortDataIsAConcatenation()
    {
        var rule = Compile("meta l4proto 17 snat ip to ip saddr map { 10.141.11.4 : 192.168.2.3 . 80 }");
        Assert.Equal("[ nat snat ip addr_min reg 1 proto_min reg 9 ]", rule.DebugLines.Last());
        var (set, elements) = Assert.Single(rule.AnonymousSets);
        Assert.Equal((7u << 6) | 13u, set.DataType);
        Assert.Equal(8u, set.DataLength);
        Assert.Equal(new byte[] { 192, 168, 2, 3, 0, 80, 0, 0 }, Assert.Single(elements).Data);
    }
}
