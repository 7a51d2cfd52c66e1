using NftPS.Netlink;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;

namespace NftPS.Tests.Expressions;

/// <summary>Encode/decode of expressions built in code, with the expected bytes inline (as nft sends them:
/// NLA_F_NESTED set on every nest).</summary>
public class ExpressionCodecTests
{
    private static string Encode(Expression e)
    {
        var w = new NetlinkWriter();
        ExpressionCodec.WriteNameAndData(w, e);
        return NetlinkBytes.Hex(w.WrittenSpan);
    }

    private static string Norm(string hex) => NetlinkBytes.Hex(NetlinkBytes.FromHex(hex));

    // No `where T : Expression` constraint: xunit's discovery loads this type before the test assembly's
    // module initializer can point the loader at out/NftPS, and a constraint on an NftPS type makes that load fail.
    private static T RoundTrip<T>(T e)
    {
        var w = new NetlinkWriter();
        var expression = (Expression)(object)e!;
        ExpressionCodec.WriteNameAndData(w, expression);
        var back = Assert.IsType<T>(ExpressionCodec.Decode(w.WrittenSpan));
        Assert.True(((Expression)(object)back!).WireEquals(expression));
        return back;
    }

    [Fact]
    public void WorkedRuleFromTheNotesEncodesExactly()
    {
        // NETLINK-NOTES §8: meta mark 0x30 accept.
        var list = new Expression[]
        {
            new MetaExpression { Key = MetaKey.Mark, DestinationRegister = 1 },
            new CmpExpression { SourceRegister = 1, Operator = CmpOperator.Eq, Data = new byte[] { 0x30, 0, 0, 0 } },
            new ImmediateExpression { DestinationRegister = 0, Verdict = new NftVerdict(VerdictCode.Accept) },
        };
        const string expected = """
            84 00 04 80  24 00 01 80  09 00 01 00 6d 65 74 61 00 00 00 00
            14 00 02 80 08 00 02 00 00 00 00 03 08 00 01 00 00 00 00 01
            2c 00 01 80 08 00 01 00 63 6d 70 00 20 00 02 80
            08 00 01 00 00 00 00 01 08 00 02 00 00 00 00 00
            0c 00 03 80 08 00 01 00 30 00 00 00
            30 00 01 80 0e 00 01 00 69 6d 6d 65 64 69 61 74 65 00 00 00
            1c 00 02 80 08 00 01 00 00 00 00 00 10 00 02 80 0c 00 02 80
            08 00 01 00 00 00 00 01
            """;
        var w = new NetlinkWriter();
        ExpressionCodec.EncodeList(w, 4, list);
        Assert.Equal(Norm(expected), NetlinkBytes.Hex(w.WrittenSpan));

        var decoded = ExpressionCodec.DecodeList(NetlinkBytes.FromHex(expected)[4..]);
        Assert.Equal(3, decoded.Count);
        Assert.Equal("[ meta load mark => reg 1 ]", decoded[0].ToDebugString());
        Assert.Equal("[ cmp eq reg 1 0x30000000 ]", decoded[1].ToDebugString());
        Assert.Equal("[ immediate reg 0 accept ]", decoded[2].ToDebugString());
        Assert.True(decoded.Zip(list).All(p => p.First.WireEquals(p.Second)));
    }

    [Fact]
    public void JumpVerdictCarriesTheChain()
    {
        var e = new ImmediateExpression { Verdict = new NftVerdict(VerdictCode.Jump, "other") };
        Assert.Equal(Norm("""
            0e 00 01 00 69 6d 6d 65 64 69 61 74 65 00 00 00 28 00 02 80 08 00 01 00 00 00 00 00
            1c 00 02 80 18 00 02 80 08 00 01 00 ff ff ff fd 0a 00 02 00 6f 74 68 65 72 00 00 00
            """), Encode(e));
        Assert.Equal("[ immediate reg 0 jump -> other ]", RoundTrip(e).ToDebugString());
        Assert.Equal("other", RoundTrip(e).Verdict!.Chain);
    }

    [Fact]
    public void CounterWithoutValuesStillSendsAnEmptyDataNest()
    {
        Assert.Equal(Norm("0c 00 01 00 63 6f 75 6e 74 65 72 00 04 00 02 80"), Encode(new CounterExpression()));
        Assert.Equal("[ counter pkts 0 bytes 0 ]", new CounterExpression().ToDebugString());
    }

    [Fact]
    public void NotrackWithoutDataAttributeRoundTrips()
    {
        // The kernel has no dump function for notrack, so its dump carries only NAME.
        byte[] kernel = NetlinkBytes.FromHex("0c 00 01 00 6e 6f 74 72 61 63 6b 00");
        var e = Assert.IsType<NotrackExpression>(ExpressionCodec.Decode(kernel));
        Assert.False(e.HasDataAttribute);
        Assert.Equal(NetlinkBytes.Hex(kernel), Encode(e));
        Assert.Equal(Norm("0c 00 01 00 6e 6f 74 72 61 63 6b 00 04 00 02 80"), Encode(new NotrackExpression()));
    }

    [Fact]
    public void UnknownExpressionKeepsItsBytes()
    {
        const string hex = "08 00 01 00 66 6f 6f 00 14 00 02 00 08 00 01 00 00 00 00 07 07 00 09 00 61 62 63 00";
        var e = Assert.IsType<UnknownExpression>(ExpressionCodec.Decode(NetlinkBytes.FromHex(hex)));
        Assert.Equal("foo", e.Name);
        Assert.Equal(16, e.RawData.Length);
        Assert.Equal(Norm(hex).Replace("14 00 02 00", "14 00 02 80"), Encode(e));
        Assert.Equal("[ foo ]", e.ToDebugString());
    }

    [Fact]
    public void SingleFormHoldsNameAndDataDirectly()
    {
        var w = new NetlinkWriter();
        ExpressionCodec.EncodeSingle(w, 7, new LimitExpression { Rate = 10, Unit = 1 });
        string hex = NetlinkBytes.Hex(w.WrittenSpan);
        Assert.Equal(Norm("""
            2c 00 07 80 0a 00 01 00 6c 69 6d 69 74 00 00 00 1c 00 02 80
            0c 00 01 00 00 00 00 00 00 00 00 0a 0c 00 02 00 00 00 00 00 00 00 00 01
            """), hex);
        var back = Assert.IsType<LimitExpression>(ExpressionCodec.DecodeSingle(w.WrittenSpan[4..]));
        Assert.Equal(10ul, back.Rate);
        Assert.Null(back.Burst);
    }

    [Fact]
    public void DynsetWithSeveralExpressionsUsesTheList()
    {
        var e = new DynsetExpression
        {
            SetName = "s", Operation = DynsetOperation.Update, SourceKeyRegister = 1, Timeout = 60000,
            ElementExpressions = new Expression[] { new CounterExpression(), new LimitExpression { Rate = 1, Unit = 60 } },
            Flags = DynsetFlags.Expression,
        };
        var back = RoundTrip(e);
        Assert.Equal(2, back.ElementExpressions!.Count);
        Assert.Equal("[ dynset update reg_key 1 set s timeout 60000ms expr [ counter pkts 0 bytes 0 ] expr [ limit rate 1/minute burst 0 type packets flags 0x0 ] ]",
            back.ToDebugString());
        var one = RoundTrip(e with { ElementExpressions = null, ElementExpression = new CounterExpression(), Flags = DynsetFlags.None });
        Assert.IsType<CounterExpression>(one.ElementExpression);
    }

    [Fact]
    public void LastEncodesSetThenMilliseconds()
    {
        var e = new LastExpression { Set = 1, Milliseconds = 300000 };
        Assert.Equal(Norm("""
            09 00 01 00 6c 61 73 74 00 00 00 00 18 00 02 80
            08 00 01 00 00 00 00 01 0c 00 02 00 00 00 00 00 00 04 93 e0
            """), Encode(e));
        Assert.Equal("[ last 300000 ]", RoundTrip(e).ToDebugString());
        Assert.Equal("[ last never ]", new LastExpression().ToDebugString());
    }

    [Fact]
    public void QueueUsesBe16()
    {
        var e = new QueueExpression { Number = 4, Total = 2, Flags = QueueFlags.Bypass | QueueFlags.CpuFanout };
        Assert.Equal(Norm("""
            0a 00 01 00 71 75 65 75 65 00 00 00 1c 00 02 80
            06 00 01 00 00 04 00 00 06 00 02 00 00 02 00 00 06 00 03 00 00 03 00 00
            """), Encode(e));
        Assert.Equal("[ queue num 4-5 bypass fanout ]", RoundTrip(e).ToDebugString());
        var s = new QueueExpression { SourceRegister = 1, Flags = QueueFlags.Bypass };
        Assert.Equal(Norm("0a 00 01 00 71 75 65 75 65 00 00 00 14 00 02 80 08 00 04 00 00 00 00 01 06 00 03 00 00 01 00 00"), Encode(s));
        Assert.Equal("[ queue sreg_qnum 1 bypass ]", s.ToDebugString());
        Assert.Equal("[ queue num 0 ]", new QueueExpression { Number = 0, Total = 1, Flags = QueueFlags.None }.ToDebugString());
    }

    [Fact]
    public void InnerNestsItsExpression()
    {
        var e = new InnerExpression
        {
            Type = InnerType.Vxlan, HeaderSize = 8, Flags = (InnerFlags)0xf,
            Body = new PayloadExpression { DestinationRegister = 1, Base = PayloadBase.Network, Offset = 12, Length = 4 },
        };
        Assert.Equal(Norm("""
            0a 00 01 00 69 6e 6e 65 72 00 00 00 58 00 02 80
            08 00 01 00 00 00 00 00 08 00 02 00 00 00 00 01 08 00 03 00 00 00 00 0f 08 00 04 00 00 00 00 08
            34 00 05 80 0c 00 01 00 70 61 79 6c 6f 61 64 00 24 00 02 80
            08 00 01 00 00 00 00 01 08 00 02 00 00 00 00 01 08 00 03 00 00 00 00 0c 08 00 04 00 00 00 00 04
            """), Encode(e));
        Assert.Equal("[ inner type 1 hdrsize 8 flags f [ payload load 4b @ network header + 12 => reg 1 ] ]", RoundTrip(e).ToDebugString());
    }

    [Fact]
    public void TunnelMatchTargetAndFlowOffload()
    {
        var t = new TunnelExpression { Key = TunnelKey.Id, DestinationRegister = 1, Mode = TunnelMode.None };
        Assert.Equal(Norm("""
            0b 00 01 00 74 75 6e 6e 65 6c 00 00 1c 00 02 80
            08 00 01 00 00 00 00 01 08 00 02 00 00 00 00 01 08 00 03 00 00 00 00 00
            """), Encode(t));
        Assert.Equal("[ tunnel load id => reg 1 ]", RoundTrip(t).ToDebugString());

        var m = new MatchExpression { ExtensionName = "mark", Revision = 1, Info = new byte[] { 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0 } };
        Assert.Equal(Norm("""
            0a 00 01 00 6d 61 74 63 68 00 00 00 28 00 02 80
            09 00 01 00 6d 61 72 6b 00 00 00 00 08 00 02 00 00 00 00 01
            10 00 03 00 01 00 00 00 ff ff ff ff 00 00 00 00
            """), Encode(m));
        Assert.Equal("mark", RoundTrip(m).ExtensionName);
        var tg = RoundTrip(new TargetExpression { ExtensionName = "MARK", Revision = 2, Info = new byte[8] });
        Assert.Equal("target", tg.Name);

        var f = new FlowOffloadExpression { FlowtableName = "ft" };
        Assert.Equal(Norm("11 00 01 00 66 6c 6f 77 5f 6f 66 66 6c 6f 61 64 00 00 00 00 0c 00 02 80 07 00 01 00 66 74 00 00"), Encode(f));
        Assert.Equal("[ flow_offload ft ]", RoundTrip(f).ToDebugString());
    }

    [Fact]
    public void ExthdrWriteAndReset()
    {
        var reset = new ExthdrExpression { Type = 4, Operation = ExthdrOperation.TcpOption };
        Assert.Equal(Norm("0b 00 01 00 65 78 74 68 64 72 00 00 14 00 02 80 05 00 02 00 04 00 00 00 08 00 06 00 00 00 00 01"), Encode(reset));
        Assert.Equal("[ exthdr reset tcpopt 4 ]", reset.ToDebugString());
        var write = new ExthdrExpression { SourceRegister = 1, Type = 2, Offset = 2, Length = 2, Flags = ExthdrFlags.None, Operation = ExthdrOperation.TcpOption };
        Assert.Equal("[ exthdr write tcpopt reg 1 => 2b @ 2 + 2 ]", RoundTrip(write).ToDebugString());
        var ip6 = new ExthdrExpression { DestinationRegister = 1, Type = 43, Length = 1, Flags = ExthdrFlags.Present, Operation = ExthdrOperation.Ipv6 };
        Assert.Equal("[ exthdr load ipv6 1b @ 43 + 0 present => reg 1 ]", ip6.ToDebugString());
    }

    [Fact]
    public void BitwiseBooleanAndShiftForms()
    {
        var or = new BitwiseExpression { SourceRegister = 1, DestinationRegister = 1, Length = 4, Operator = BitwiseOperator.Or, SourceRegister2 = 2 };
        Assert.Equal("[ bitwise reg 1 = ( reg 1 | reg 2 ) ]", RoundTrip(or).ToDebugString());
        var shl = new BitwiseExpression { SourceRegister = 1, DestinationRegister = 1, Length = 4, Operator = BitwiseOperator.LeftShift, Data = new byte[] { 2, 0, 0, 0 } };
        Assert.Equal("[ bitwise reg 1 = ( reg 1 << 0x00000002 ) ]", shl.ToDebugString());
        var mask = new BitwiseExpression
        {
            SourceRegister = 1, DestinationRegister = 1, Length = 4, Mask = new byte[] { 0xff, 0xff, 0, 0 }, Xor = new byte[4],
            DisplayByteOrder = DataDisplayOrder.Host,
        };
        Assert.Null(RoundTrip(mask).Operator);
        Assert.Equal("[ bitwise reg 1 = ( reg 1 & 0x0000ffff ) ^ 0x00000000 ]", mask.ToDebugString());
    }

    [Theory]
    [InlineData("30 00 00 00", DataDisplayOrder.Host, "0x00000030")]
    [InlineData("30 00 00 00", DataDisplayOrder.Wire, "0x30000000")]
    [InlineData("00 35", DataDisplayOrder.Wire, "0x0035")]
    [InlineData("11", DataDisplayOrder.Wire, "0x11")]
    [InlineData("ff fe dc ba 98 76", DataDisplayOrder.Wire, "0xfffedcba 0x9876")]
    [InlineData("c8 00 00 00 00 00 00 00", DataDisplayOrder.Host, "0x00000000 0x000000c8")]
    [InlineData("00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 80", DataDisplayOrder.Host, "0x80000000 0x00000000 0x00000000 0x00000000")]
    public void ConstantsPrintLikeNewerLibnftnl(string bytes, DataDisplayOrder order, string expected)
    {
        var e = new CmpExpression { SourceRegister = 1, Data = NetlinkBytes.FromHex(bytes), DisplayByteOrder = order };
        Assert.Equal($"[ cmp eq reg 1 {expected} ]", e.ToDebugString());
    }

    [Fact]
    public void MiscDebugForms()
    {
        Assert.Equal("[ ct set zone with reg 1 , dir reply ]",
            RoundTrip(new CtExpression { Key = CtKey.Zone, SourceRegister = 1, Direction = CtDirection.Reply }).ToDebugString());
        Assert.Equal("[ objref sreg 1 set __objmap%d ]",
            RoundTrip(new ObjrefExpression { SetSourceRegister = 1, SetName = "__objmap%d" }).ToDebugString());
        Assert.Equal("[ objref type 2 name qt1 ]",
            RoundTrip(new ObjrefExpression { ObjectType = NftObjectType.Quota, ObjectName = "qt1" }).ToDebugString());
        Assert.Equal("[ dup sreg_addr 1 sreg_dev 2 ]", RoundTrip(new DupExpression { AddressRegister = 1, DeviceRegister = 2 }).ToDebugString());
        Assert.Equal("[ fwd sreg_dev 1 sreg_addr 2 nfproto 2 ]",
            RoundTrip(new FwdExpression { DeviceRegister = 1, AddressRegister = 2, Family = 2 }).ToDebugString());
        Assert.Equal("[ xfrm load out 0 spi => reg 1 ]",
            RoundTrip(new XfrmExpression { Key = XfrmKey.Spi, Direction = XfrmDirection.Out, DestinationRegister = 1 }).ToDebugString());
        Assert.Equal("[ socket load cgroupv2 => reg 1 level 2 ]",
            RoundTrip(new SocketExpression { Key = SocketKey.CgroupV2, DestinationRegister = 1, Level = 2 }).ToDebugString());
        Assert.Equal("[ tproxy port reg 1 ]", RoundTrip(new TproxyExpression { PortRegister = 1 }).ToDebugString());
        Assert.Equal("[ nat snat ip addr_min reg 1 addr_max reg 2 ]",
            RoundTrip(new NatExpression { Type = NatType.Snat, Family = 2, AddressMinRegister = 1, AddressMaxRegister = 2 }).ToDebugString());
        Assert.Equal("[ masq ]", RoundTrip(new MasqExpression()).ToDebugString());
        Assert.Equal("[ log ]", RoundTrip(new LogExpression()).ToDebugString());
        Assert.Equal("[ lookup reg 1 set set1 0x1 ]",
            RoundTrip(new LookupExpression { SetName = "set1", SourceRegister = 1, Flags = LookupFlags.Invert }).ToDebugString());
        Assert.Equal("[ fib saddr . iif oifname => reg 1 ]",
            RoundTrip(new FibExpression { DestinationRegister = 1, Result = FibResult.OifName, Flags = FibFlags.SourceAddress | FibFlags.Iif }).ToDebugString());
        Assert.Equal("[ payload load 2b @ inner header + 0 => reg 1 ]",
            RoundTrip(new PayloadExpression { DestinationRegister = 1, Base = PayloadBase.Inner, Length = 2 }).ToDebugString());
        Assert.Equal("[ meta load ibrhwaddr => reg 1 ]", new MetaExpression { Key = MetaKey.BriIifHwAddr, DestinationRegister = 1 }.ToDebugString());
        Assert.Equal("[ range eq reg 1 0x0021 0x002d ]",
            RoundTrip(new RangeExpression { SourceRegister = 1, From = new byte[] { 0, 0x21 }, To = new byte[] { 0, 0x2d } }).ToDebugString());
    }

    [Theory]
    [InlineData(1u, 1u)]
    [InlineData(8u, 1u)]
    [InlineData(12u, 2u)]
    [InlineData(9u, 9u)]
    [InlineData(20u, 4u)]
    [InlineData(23u, 23u)]
    [InlineData(0u, 0u)]
    public void RegistersNormaliseLikeTheKernel(uint register, uint expected) => Assert.Equal(expected, Registers.Normalize(register));

    [Fact]
    public void RegisterSlots()
    {
        Assert.Equal(0, Registers.ToSlot(1));
        Assert.Equal(4, Registers.ToSlot(2));
        Assert.Equal(9u, Registers.FromSlot(1));
        Assert.Equal(2u, Registers.FromSlot(4));
    }

    [Fact]
    public void EveryRegisteredKindHasARecord()
    {
        foreach (var name in new[]
        {
            "immediate", "cmp", "bitwise", "byteorder", "payload", "exthdr", "meta", "ct", "rt", "fib", "lookup", "dynset",
            "range", "counter", "log", "limit", "quota", "reject", "nat", "masq", "redir", "tproxy", "socket", "osf",
            "hash", "numgen", "objref", "queue", "dup", "fwd", "connlimit", "last", "synproxy", "xfrm", "notrack",
            "flow_offload", "match", "target", "inner", "tunnel",
        })
        {
            Assert.True(ExpressionCodec.IsKnown(name), name);
            var w = new NetlinkWriter();
            w.WriteString(1, name);
            var e = ExpressionCodec.Decode(w.WrittenSpan);
            Assert.Equal(name, e.Name);
            Assert.IsNotType<UnknownExpression>(e);
        }
    }
}
