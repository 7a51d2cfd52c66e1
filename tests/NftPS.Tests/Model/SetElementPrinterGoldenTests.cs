using NftPS.Language;
using NftPS.Language.Printing;
using NftPS.Netlink;
using NftPS.NfTables;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;

namespace NftPS.Tests.Model;

/// <summary>Golden cases for set and map elements: kernel element data → the text nft 1.0.6 lists.</summary>
public class SetElementPrinterGoldenTests
{
    private static IReadOnlyList<string> Print(NftSet set, bool stateless = true) =>
        SetElementPrinter.FormatElements(set, new NftRuleset(), stateless);

    private static NftSetElement Elem(params byte[] key) => new() { Key = key };

    [Fact]
    public void FlagCombinationsSortByLowestFlagWithTiesInReverseKernelOrder()
    {
        // tcp_flag (15): fin|ack, fin|ack|urg, syn, syn|ack as the kernel returns them
        var set = new NftSet { Name = "f", Flags = 2, KeyType = 15, KeyLength = 1 };
        set.Elements.AddRange(new[] { Elem(0x11), Elem(0x31), Elem(0x02), Elem(0x12) });
        Assert.Equal(new[] { "fin | ack | urg", "fin | ack", "syn | ack", "syn" }, Print(set));
    }

    [Fact]
    public void PlainBitmaskTypeSortsByValue()
    {
        // bitmask (3) itself is not printed as flags: sorted by value
        var set = new NftSet { Name = "b", Flags = 2, KeyType = 3, KeyLength = 1 };
        set.Elements.AddRange(new[] { Elem(0x67), Elem(0x55), Elem(0x33) });
        Assert.Equal(new[] { "0x33", "0x55", "0x67" }, Print(set));
    }

    [Fact]
    public void ConcatenatedIntervalsKeepKernelOrder()
    {
        // ipv4_addr . inet_service, interval: nft lists these unsorted
        var set = new NftSet { Name = "c", Flags = 0x4 | 0x80, KeyType = (7u << 6) | 13, KeyLength = 8, ConcatFieldLengths = new uint[] { 4, 2 } };
        set.Elements.Add(new NftSetElement { Key = new byte[] { 2, 2, 2, 2, 0, 22, 0, 0 }, KeyEnd = new byte[] { 2, 2, 2, 2, 0, 22, 0, 0 } });
        set.Elements.Add(new NftSetElement { Key = new byte[] { 1, 1, 1, 0, 0, 80, 0, 0 }, KeyEnd = new byte[] { 1, 1, 1, 255, 0, 90, 0, 0 } });
        Assert.Equal(new[] { "2.2.2.2 . 22", "1.1.1.0/24 . 80-90" }, Print(set));
    }

    [Fact]
    public void IntervalStringRangesOfAPrefixAreWildcards()
    {
        // ifname (41), interval: "abcdef" followed by any bytes
        var start = new byte[16];
        "abcdef"u8.CopyTo(start);
        var next = new byte[16];
        "abcdeg"u8.CopyTo(next);
        var set = new NftSet { Name = "w", Flags = 0x4, KeyType = 41, KeyLength = 16 };
        set.Elements.Add(new NftSetElement { Key = new byte[16], Flags = 1 });
        set.Elements.Add(new NftSetElement { Key = start });
        set.Elements.Add(new NftSetElement { Key = next, Flags = 1 });
        Assert.Equal(new[] { "\"abcdef*\"" }, Print(set));
    }

    [Fact]
    public void DscpKnowsLephb()
    {
        var set = new NftSet { Name = "d", KeyType = 36, KeyLength = 1 };
        set.Elements.AddRange(new[] { Elem(0x01), Elem(0x2c) });
        Assert.Equal(new[] { "lephb", "va" }, Print(set));
    }

    [Fact]
    public void ObjectMapElementsPrintTheirObject()
    {
        var set = new NftSet { Name = "m", Flags = 0x40, KeyType = 7, KeyLength = 4, ObjectType = 1 };
        set.Elements.Add(new NftSetElement { Key = new byte[] { 1, 1, 1, 1 }, ObjectReference = "user123" });
        Assert.Equal(new[] { "1.1.1.1 : \"user123\"" }, Print(set));
    }

    [Fact]
    public void ElementStatementsPrintInKernelOrderBeforeTimeoutAndComment()
    {
        var w = new NetlinkWriter();
        ExpressionCodec.Encode(w, new LimitExpression { Rate = 1, Unit = 1, Burst = 5 });
        ExpressionCodec.Encode(w, new CounterExpression { Packets = 3, Bytes = 120 });
        var set = new NftSet { Name = "s", Flags = 0x10, KeyType = 7, KeyLength = 4 };
        set.Elements.Add(new NftSetElement
        {
            Key = new byte[] { 1, 1, 1, 1 }, RawExpressions = w.ToArray(), Timeout = TimeSpan.FromSeconds(30), Comment = "c",
        });
        Assert.Equal(new[] { "1.1.1.1 limit rate 1/second counter packets 3 bytes 120 timeout 30s comment \"c\"" }, Print(set, stateless: false));
        Assert.Equal(new[] { "1.1.1.1 limit rate 1/second counter timeout 30s comment \"c\"" }, Print(set));
    }

    [Fact]
    public void NatIntervalDataPrintsRangesAndPrefixes()
    {
        // ipv4_addr : interval ipv4_addr (snat ... map { 10.141.11.4 : 192.168.2.2-192.168.2.4 })
        var set = new NftSet { Name = "__map0", Flags = 0x1 | 0x2 | 0x8, KeyType = 7, KeyLength = 4, DataType = 7, DataLength = 8, DataInterval = true };
        set.Elements.Add(new NftSetElement { Key = new byte[] { 10, 141, 11, 4 }, Data = new byte[] { 192, 168, 2, 2, 192, 168, 2, 4 } });
        set.Elements.Add(new NftSetElement { Key = new byte[] { 10, 141, 11, 5 }, Data = new byte[] { 192, 168, 3, 0, 192, 168, 3, 255 } });
        Assert.Equal(new[] { "10.141.11.4 : 192.168.2.2-192.168.2.4", "10.141.11.5 : 192.168.3.0/24" }, Print(set));
    }

    [Fact]
    public void ConcatenatedIntervalDataPrintsEachComponentRange()
    {
        // ipv4_addr : interval ipv4_addr . inet_service: minimums, then maximums
        var set = new NftSet { Name = "m", Flags = 0x8, KeyType = 7, KeyLength = 4, DataType = (7u << 6) | 13, DataLength = 16, DataInterval = true };
        set.Elements.Add(new NftSetElement
        {
            Key = new byte[] { 192, 168, 1, 2 },
            Data = new byte[] { 10, 141, 10, 1, 0x22, 0xb8, 0, 0, 10, 141, 10, 3, 0x23, 0x27, 0, 0 },
        });
        Assert.Equal(new[] { "192.168.1.2 : 10.141.10.1-10.141.10.3 . 8888-8999" }, Print(set));
    }
}

public class TypeofElementGoldenTests
{
    private static byte[] Hex(string s) => Convert.FromHexString(s.Replace(" ", ""));

    [Fact]
    public void TypeofRawPayloadAndIntegerComponentsTakeTheirExpressionTypes()
    {
        // typeof udp length . @ih,32,32 : concat of {payload udp(6) length(3)} and {payload raw base 4, offset 32, len 32}
        var typeofKey = Hex("00 04 0d 00 00 00 01 3e 01 14 00 04 07 00 00 00 01 0c 00 04 06 00 00 00 01 04 03 00 00 00 " +
            "02 26 00 04 07 00 00 00 01 1e 00 04 00 00 00 00 01 04 00 00 00 00 02 04 04 00 00 00 03 04 20 00 00 00 04 04 20 00 00 00");
        var set = new NftSet { Name = "m2", Flags = 0x8, KeyType = (4u << 6) | 4, KeyLength = 8, DataType = 0xffffff00, DataLength = 16, KeyTypeof = typeofKey };
        Assert.Equal("typeof udp length . @ih,32,32 : verdict", NftPS.Language.Printing.SetTypePrinter.Print(set));
        set.Elements.Add(new NftSetElement { Key = new byte[] { 0, 20, 0, 0, 0, 0, 0, 0x24 }, Verdict = new NftVerdict(VerdictCode.Accept) });
        Assert.Equal(new[] { "20 . 0x24 : accept" }, SetElementPrinter.FormatElements(set, new NftRuleset(), true));
    }
}
