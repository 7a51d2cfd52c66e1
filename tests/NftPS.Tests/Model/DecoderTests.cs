using NftPS.NfTables;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;
using NftPS.Language.Printing;
using NftPS.NfTables.Reading;
using static NftPS.Tests.Model.UserDataTests;

namespace NftPS.Tests.Model;

/// <summary>Dump attributes as the kernel sends them: no NLA_F_NESTED on nests, big-endian integers.</summary>
public class DecoderTests
{
    [Fact]
    public void Table()
    {
        var t = NftMessageDecoder.DecodeTable(NftFamily.Inet, Hex(
            "06 00 01 00 74 00 00 00  08 00 02 00 00 00 00 01  08 00 03 00 00 00 00 02" +
            "0c 00 04 00 00 00 00 00 00 00 00 05  09 00 06 00 00 03 74 63 00 00 00 00"));
        Assert.Equal(("t", 1u, 2u, 5ul, "tc"), (t.Name, t.Flags, t.Use, t.Handle, t.Comment));
        Assert.True(t.Dormant);
        Assert.Equal(NftFamily.Inet, t.Family);
        Assert.Equal("table inet t {\n\tflags dormant\n\tcomment \"tc\"\n}\n",
            RulesetPrinter.PrintTable(new NftRuleset(), t));
    }

    [Fact]
    public void BaseChainWithHookCountersAndPolicy()
    {
        var c = NftMessageDecoder.DecodeChain(NftFamily.Ip, Hex(
            "06 00 01 00 74 00 00 00  06 00 03 00 63 00 00 00" +
            "14 00 04 00  08 00 01 00 00 00 00 01  08 00 02 00 ff ff ff 9c" +
            "08 00 05 00 00 00 00 00  0b 00 07 00 66 69 6c 74 65 72 00 00" +
            "1c 00 08 00  0c 00 01 00 00 00 00 00 00 00 00 10  0c 00 02 00 00 00 00 00 00 00 00 02" +
            "08 00 0a 00 00 00 00 01  0c 00 02 00 00 00 00 00 00 00 00 09"));
        Assert.True(c.IsBaseChain);
        Assert.Equal(("t", "c", "filter", "input", 1u, -100, "drop"), (c.Table, c.Name, c.Type, c.Hook, c.HookNumber!.Value, c.Priority!.Value, c.Policy));
        // dstnat (-100) only names the prerouting hook, so input prints the number.
        Assert.Equal("-100", c.PriorityText);
        Assert.Equal((2ul, 16ul, 9ul), (c.Packets!.Value, c.Bytes!.Value, c.Handle));
    }

    [Theory]
    [InlineData(NftFamily.Ip, 0u, -100, "dstnat")]
    [InlineData(NftFamily.Inet, 4u, 105, "srcnat + 5")]
    [InlineData(NftFamily.Ip6, 1u, -10, "filter - 10")]
    [InlineData(NftFamily.Inet, 0u, -300, "raw")]
    [InlineData(NftFamily.Ip, 2u, -140, "mangle + 10")]
    [InlineData(NftFamily.Ip, 2u, -139, "-139")]
    [InlineData(NftFamily.Bridge, 0u, -300, "dstnat")]
    [InlineData(NftFamily.Bridge, 3u, 100, "out")]
    [InlineData(NftFamily.Bridge, 1u, -200, "filter")]
    [InlineData(NftFamily.Bridge, 1u, 100, "100")]
    [InlineData(NftFamily.Netdev, 0u, 0, "filter")]
    [InlineData(NftFamily.Netdev, 0u, -300, "-300")]
    [InlineData(NftFamily.Arp, 1u, 5, "filter + 5")]
    public void NamedPriorities(NftFamily family, uint hook, int priority, string text) =>
        Assert.Equal(text, NftHooks.FormatPriority(family, hook, priority));

    [Theory]
    [InlineData(NftFamily.Inet, 5u, "ingress")]
    [InlineData(NftFamily.Netdev, 1u, "egress")]
    [InlineData(NftFamily.Arp, 1u, "output")]
    [InlineData(NftFamily.Bridge, 4u, "postrouting")]
    public void HookNames(NftFamily family, uint hook, string name) => Assert.Equal(name, NftHooks.HookName(family, hook));

    [Fact]
    public void RuleKeepsRawExpressionsAndReadsVerdictAndComment()
    {
        // `add rule ip t c meta mark 0x30 accept comment "hi"` (NETLINK-NOTES §8), plus the handle and position a dump adds.
        byte[] expressions = Hex(
            "24 00 01 80  09 00 01 00 6d 65 74 61 00 00 00 00" +
            "14 00 02 80 08 00 02 00 00 00 00 03 08 00 01 00 00 00 00 01" +
            "2c 00 01 80 08 00 01 00 63 6d 70 00 20 00 02 80" +
            "08 00 01 00 00 00 00 01 08 00 02 00 00 00 00 00" +
            "0c 00 03 80 08 00 01 00 30 00 00 00" +
            "30 00 01 80 0e 00 01 00 69 6d 6d 65 64 69 61 74 65 00 00 00" +
            "1c 00 02 80 08 00 01 00 00 00 00 00 10 00 02 80 0c 00 02 80" +
            "08 00 01 00 00 00 00 01");
        var attrs = Hex("06 00 01 00 74 00 00 00  06 00 02 00 63 00 00 00  0c 00 03 00 00 00 00 00 00 00 00 07  84 00 04 80")
            .Concat(expressions)
            .Concat(Hex("0c 00 06 00 00 00 00 00 00 00 00 04  09 00 07 00 00 03 68 69 00 00 00 00")).ToArray();
        var r = NftMessageDecoder.DecodeRule(NftFamily.Ip, attrs);
        Assert.Equal(("t", "c", 7ul, 4ul), (r.Table, r.Chain, r.Handle, r.PreviousHandle!.Value));
        Assert.Equal(expressions, r.RawExpressions);
        Assert.Equal("accept", r.Verdict);
        Assert.Equal("hi", r.Comment);
        Assert.Null(r.Counter);
        Assert.Equal(new[] { "meta", "cmp", "immediate" }, NftMessageDecoder.ExpressionNames(r.RawExpressions));
    }

    [Fact]
    public void RuleCounterComesFromTheCounterExpression()
    {
        var attrs = Hex(
            "06 00 01 00 74 00 00 00  06 00 02 00 63 00 00 00" +
            "30 00 04 00  2c 00 01 00  0c 00 01 00 63 6f 75 6e 74 65 72 00" +
            "1c 00 02 00  0c 00 01 00 00 00 00 00 00 00 01 00  0c 00 02 00 00 00 00 00 00 00 00 03");
        var r = NftMessageDecoder.DecodeRule(NftFamily.Inet, attrs);
        Assert.Equal(3ul, r.Counter);
        Assert.Equal(256ul, r.Bytes);
        Assert.Null(r.Verdict);
    }

    private static readonly byte[] ConcatIntervalSet = Hex(
        "06 00 01 00 74 00 00 00  06 00 02 00 73 00 00 00  08 00 03 00 00 00 00 84" +
        "08 00 04 00 00 00 01 cd  08 00 05 00 00 00 00 08" +
        "20 00 09 00  1c 00 02 00  0c 00 01 00 08 00 01 00 00 00 00 04  0c 00 01 00 08 00 01 00 00 00 00 02" +
        "0c 00 0b 00 00 00 00 00 00 00 75 30  08 00 0c 00 00 00 27 10" +
        "14 00 0d 00 00 04 00 00 00 00 03 08 00 04 0d 00 00 00 01 00" +
        "0c 00 10 00 00 00 00 00 00 00 00 03" +
        "14 00 11 00 0c 00 01 00 63 6f 75 6e 74 65 72 00 04 00 02 00" +
        "08 00 14 00 00 00 00 07");

    [Fact]
    public void SetWithDescTimeoutsUserDataAndStatement()
    {
        var s = NftMessageDecoder.DecodeSet(NftFamily.Inet, ConcatIntervalSet);
        Assert.Equal(("t", "s", 0x84u, 0x1cdu, 8u, 3ul), (s.Table, s.Name, s.Flags, s.KeyType, s.KeyLength, s.Handle));
        Assert.True(s.IsInterval);
        Assert.Equal(new uint[] { 4, 2 }, s.ConcatFieldLengths);
        Assert.Equal(TimeSpan.FromSeconds(30), s.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(10), s.GcInterval);
        Assert.Equal(0u, s.KeyByteOrder);
        Assert.Equal(new[] { "counter" }, s.ExpressionNames);
        Assert.Equal(7u, s.KernelElementCount);
        Assert.Equal(7, s.ElementCount);
        Assert.Equal("type ipv4_addr . inet_service", SetTypePrinter.Print(s));
        Assert.Equal(new[] { "counter" }, StatementPrinter.SetStatements(s));
    }

    [Fact]
    public void ElementsWithIntervalEndTimeoutsCommentCounterAndCatchAllVerdict()
    {
        var set = NftMessageDecoder.DecodeSet(NftFamily.Inet, ConcatIntervalSet);
        var attrs = Hex(
            "06 00 01 00 74 00 00 00  06 00 02 00 73 00 00 00  9c 00 03 00" +
            "74 00 01 00" +
            "  10 00 01 00 0c 00 01 00 0a 00 00 01 00 16 00 00" +
            "  10 00 0a 00 0c 00 01 00 0a ff ff ff 00 17 00 00" +
            "  0c 00 04 00 00 00 00 00 00 00 75 30" +
            "  0c 00 05 00 00 00 00 00 00 00 27 10" +
            "  09 00 06 00 00 03 65 63 00 00 00 00" +
            "  2c 00 07 00 0c 00 01 00 63 6f 75 6e 74 65 72 00" +
            "    1c 00 02 00 0c 00 01 00 00 00 00 00 00 00 00 64 0c 00 02 00 00 00 00 00 00 00 00 02" +
            "24 00 01 00" +
            "  08 00 03 00 00 00 00 02" +
            "  18 00 02 00 14 00 02 00 08 00 01 00 ff ff ff fd 06 00 02 00 78 00 00 00");
        var list = new List<NftSetElement>();
        NftMessageDecoder.DecodeSetElements(attrs, set, list.Add);
        Assert.Equal(2, list.Count);
        var e = list[0];
        Assert.Equal(Hex("0a 00 00 01 00 16 00 00"), e.Key);
        Assert.Equal(Hex("0a ff ff ff 00 17 00 00"), e.KeyEnd);
        Assert.Equal((TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10)), (e.Timeout!.Value, e.Expires!.Value));
        Assert.Equal("ec", e.Comment);
        Assert.Equal((2ul, 100ul), (e.Counter!.Value, e.Bytes!.Value));
        Assert.True(e.RawExpressionIsSingle);
        Assert.Equal(new[] { "counter packets 2 bytes 100" }, StatementPrinter.ElementStatements(e, stateless: false));
        Assert.Equal(("t", "s", NftFamily.Inet), (e.Table, e.SetName, e.Family));
        var all = list[1];
        Assert.True(all.IsCatchAll);
        Assert.Null(all.Key);
        Assert.Equal(new NftVerdict(VerdictCode.Jump, "x"), all.Verdict);
        Assert.Null(all.Timeout);
    }

    [Fact]
    public void CounterAndQuotaObjectsGetNftBodyLines()
    {
        var counter = NftMessageDecoder.DecodeObject(NftFamily.Ip, Hex(
            "06 00 01 00 74 00 00 00  07 00 02 00 63 31 00 00  08 00 03 00 00 00 00 01" +
            "1c 00 04 00  0c 00 01 00 00 00 00 00 00 00 00 0a  0c 00 02 00 00 00 00 00 00 00 00 05" +
            "09 00 08 00 00 03 63 63 00 00 00 00"));
        Assert.Equal((NftObjectType.Counter, "c1", "cc", 5ul, 10ul), (counter.Type, counter.Name, counter.Comment, counter.Packets!.Value, counter.Bytes!.Value));
        Assert.Equal(new[] { "packets 5 bytes 10" }, counter.BodyLines);
        Assert.Empty(counter.StatelessBodyLines);
        var sb = new System.Text.StringBuilder();
        RulesetPrinter.PrintObject(sb, counter, new RulesetPrintOptions());
        Assert.Equal("\tcounter c1 {\n\t\tcomment \"cc\"\n\t\tpackets 5 bytes 10\n\t}\n", sb.ToString());

        var quota = NftMessageDecoder.DecodeObject(NftFamily.Ip, Hex(
            "06 00 01 00 74 00 00 00  06 00 02 00 71 00 00 00  08 00 03 00 00 00 00 02" +
            "24 00 04 00  0c 00 01 00 00 00 00 00 06 40 00 00  08 00 02 00 00 00 00 01  0c 00 04 00 00 00 00 00 00 00 28 00"));
        Assert.Equal(new[] { "over 100 mbytes used 10 kbytes" }, quota.BodyLines);
        Assert.Equal(new[] { "over 100 mbytes" }, quota.StatelessBodyLines);
    }

    [Theory]
    [InlineData(0ul, "")]
    [InlineData(1500ul, "1s500ms")]
    [InlineData(93_784_005ul, "1d2h3m4s5ms")]
    [InlineData(600_000ul, "10m")]
    public void Times(ulong ms, string text) => Assert.Equal(text, NftHooks.FormatTime(ms));

    [Fact]
    public void ElementWrapping()
    {
        var five = Enumerable.Range(1, 7).Select(i => i.ToString()).ToList();
        Assert.Equal("{ 1, 2, 3, 4, 5,\n\t\t\t     6, 7 }", RulesetPrinter.WrapElements(five, DataTypeNames.InetService));
        Assert.Equal("{ a, b,\n\t\t\t     c }", RulesetPrinter.WrapElements(new[] { "a", "b", "c" }, DataTypeNames.Ipv4Addr));
        Assert.Equal("{ a,\n\t\t\t     b }", RulesetPrinter.WrapElements(new[] { "a", "b" }, DataTypeNames.Ipv6Addr));
    }

    [Fact]
    public void ManyElementsStayCompact()
    {
        var set = new NftSet { Table = "t", Name = "big", KeyType = DataTypeNames.Ipv4Addr, KeyLength = 4 };
        // A netlink attribute holds at most 64 KiB, so the kernel sends big sets in many messages.
        byte[] attrs = BuildElementMessage(3000);
        set.Elements.Capacity = 30000;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int m = 0; m < 10; m++) NftMessageDecoder.DecodeSetElements(attrs, set, set.Elements.Add);
        long perElement = (GC.GetAllocatedBytesForCurrentThread() - before) / 30000;
        Assert.Equal(30000, set.Elements.Count);
        Assert.True(perElement < 160, $"{perElement} bytes allocated per element");
        Assert.Same(set.Elements[0].Table, set.Elements[1].Table);
    }

    private static byte[] BuildElementMessage(int count)
    {
        var w = new NftPS.Netlink.NetlinkWriter(count * 20 + 64);
        int list = w.BeginNested(3);
        for (int i = 0; i < count; i++)
        {
            int elem = w.BeginNested(1);
            int key = w.BeginNested(1);
            w.WriteBytes(1, new byte[] { 10, (byte)(i >> 16), (byte)(i >> 8), (byte)i });
            w.EndNested(key);
            w.EndNested(elem);
        }
        w.EndNested(list);
        return w.ToArray();
    }
}
