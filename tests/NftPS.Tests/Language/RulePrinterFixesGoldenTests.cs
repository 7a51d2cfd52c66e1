using NftPS.Language;
using NftPS.Language.Printing;
using NftPS.NfTables;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;

namespace NftPS.Tests.Language;

/// <summary>Golden cases for rule listing bugs found by the conformance reports: kernel expressions → nft 1.0.6 text.</summary>
public class RulePrinterFixesGoldenTests
{
    private static MetaExpression Meta(MetaKey key, uint reg = 1) => new() { Key = key, DestinationRegister = reg };
    private static CmpExpression Eq(params byte[] data) => new() { SourceRegister = 1, Operator = CmpOperator.Eq, Data = data };
    private static PayloadExpression Load(PayloadBase b, uint offset, uint len, uint reg = 1) =>
        new() { DestinationRegister = reg, Base = b, Offset = offset, Length = len };
    private static ImmediateExpression Verdict(VerdictCode code) => new() { DestinationRegister = 0, Verdict = new NftVerdict(code, null) };

    private static string Print(NftFamily family, NftRuleset? rs, params Expression[] exprs)
    {
        var rule = new NftRule { Family = family, Table = "t", Chain = "c", Expressions = exprs };
        return RuleTextPrinter.Print(rule, rs ?? new NftRuleset(), stateless: true);
    }

    private static string Print(NftFamily family, params Expression[] exprs) => Print(family, null, exprs);

    [Fact]
    public void IcmpMtuIsChosenByTheIcmpTypeAndDropsIt() =>
        Assert.Equal("icmp mtu 33", Print(NftFamily.Ip,
            Meta(MetaKey.L4Proto), Eq(1), Load(PayloadBase.Transport, 0, 1), Eq(3), Load(PayloadBase.Transport, 6, 2), Eq(0, 33)));

    [Fact]
    public void IcmpGatewayIsOneFourByteField() =>
        Assert.Equal("icmp gateway 22", Print(NftFamily.Ip,
            Meta(MetaKey.L4Proto), Eq(1), Load(PayloadBase.Transport, 0, 1), Eq(5), Load(PayloadBase.Transport, 4, 4), Eq(0, 0, 0, 22)));

    [Fact]
    public void Icmpv6EchoReplyKeepsTypeAndPrintsId() =>
        Assert.Equal("icmpv6 type echo-reply icmpv6 id 65534", Print(NftFamily.Ip6,
            Meta(MetaKey.L4Proto), Eq(58), Load(PayloadBase.Transport, 0, 1), Eq(129), Load(PayloadBase.Transport, 4, 2), Eq(0xff, 0xfe)));

    [Fact]
    public void Icmpv6TypeSetSelectsEchoFields()
    {
        var set = new NftSet
        {
            Family = NftFamily.Ip6, Table = "t", Name = "__set0", Flags = 3, KeyType = 29, KeyLength = 1,
            Elements = { new NftSetElement { Key = new byte[] { 128 } }, new NftSetElement { Key = new byte[] { 129 } } },
        };
        var rs = new NftRuleset();
        rs.Sets.Add(set);
        Assert.Equal("icmpv6 type { echo-request, echo-reply } icmpv6 id 1", Print(NftFamily.Ip6, rs,
            Meta(MetaKey.L4Proto), Eq(58), Load(PayloadBase.Transport, 0, 1),
            new LookupExpression { SetName = "__set0", SourceRegister = 1 }, Load(PayloadBase.Transport, 4, 2), Eq(0, 1)));
    }

    [Fact]
    public void NetdevDupWithOnlyADeviceIsDupTo() =>
        Assert.Equal("dup to \"lo\"", Print(NftFamily.Netdev,
            new ImmediateExpression { DestinationRegister = 1, Data = new byte[] { 1, 0, 0, 0 } },
            new DupExpression { DeviceRegister = 1 }));

    [Fact]
    public void JhashPrintsAnExplicitZeroSeed() =>
        Assert.Equal("ct mark set jhash ip saddr mod 2 seed 0x0", Print(NftFamily.Ip,
            Load(PayloadBase.Network, 12, 4),
            new HashExpression { SourceRegister = 1, DestinationRegister = 1, Length = 4, Modulus = 2, Seed = 0, Type = HashType.Jenkins },
            new CtExpression { Key = CtKey.Mark, SourceRegister = 1 }));

    [Fact]
    public void IpTcpResetDropsTheL4protoDependency() =>
        Assert.Equal("meta mark 0x80000000 reject with tcp reset", Print(NftFamily.Ip,
            Meta(MetaKey.L4Proto), Eq(6), Meta(MetaKey.Mark), Eq(0, 0, 0, 0x80),
            new RejectExpression { Type = RejectType.TcpReset }));

    [Fact]
    public void InetTcpResetKeepsTheL4protoDependency() =>
        Assert.Equal("meta l4proto tcp meta mark 0x00003039 reject with tcp reset", Print(NftFamily.Inet,
            Meta(MetaKey.L4Proto), Eq(6), Meta(MetaKey.Mark), Eq(0x39, 0x30, 0, 0),
            new RejectExpression { Type = RejectType.TcpReset }));

    [Fact]
    public void InetRejectAfterIpMatchNamesTheIcmpCode() =>
        Assert.Equal("ip daddr 192.168.0.1 reject with icmp port-unreachable", Print(NftFamily.Inet,
            Meta(MetaKey.NfProto), Eq(2), Load(PayloadBase.Network, 16, 4), Eq(192, 168, 0, 1),
            new RejectExpression { Type = RejectType.IcmpUnreachable, IcmpCode = 3 }));

    [Fact]
    public void StatementBetweenMatchesKeepsTheDependency() =>
        Assert.Equal("meta nfproto ipv4 counter ip saddr 1.2.3.4", Print(NftFamily.Inet,
            Meta(MetaKey.NfProto), Eq(2), new CounterExpression(), Load(PayloadBase.Network, 12, 4), Eq(1, 2, 3, 4)));

    [Fact]
    public void ShortCompareOfAConntrackAddressIsAPrefix() =>
        Assert.Equal("ct original ip saddr 192.168.1.0/24", Print(NftFamily.Ip,
            new CtExpression { Key = CtKey.SrcIp, Direction = CtDirection.Original, DestinationRegister = 1 }, Eq(192, 168, 1)));

    [Fact]
    public void RangeOnAMaskedFieldMergesBothBounds()
    {
        var mask = new BitwiseExpression { SourceRegister = 1, DestinationRegister = 1, Length = 1, Mask = new byte[] { 0xe0 }, Xor = new byte[1] };
        Assert.Equal("vlan pcp 1-3", Print(NftFamily.Bridge,
            Load(PayloadBase.LinkLayer, 12, 2), Eq(0x81, 0x00), Load(PayloadBase.LinkLayer, 14, 1), mask,
            new CmpExpression { SourceRegister = 1, Operator = CmpOperator.Gte, Data = new byte[] { 0x20 } },
            new CmpExpression { SourceRegister = 1, Operator = CmpOperator.Lte, Data = new byte[] { 0x60 } }));
    }

    [Fact]
    public void MaskedFieldSetElementsAreShiftedIntoPlace()
    {
        var set = new NftSet { Family = NftFamily.Ip6, Table = "t", Name = "__set0", Flags = 3, KeyType = 36, KeyLength = 2 };
        set.Elements.AddRange(new[] { new NftSetElement { Key = new byte[] { 0x02, 0x00 } }, new NftSetElement { Key = new byte[] { 0x00, 0x00 } } });
        var rs = new NftRuleset();
        rs.Sets.Add(set);
        Assert.Equal("ip6 dscp { cs0, cs1 }", Print(NftFamily.Ip6, rs, Load(PayloadBase.Network, 0, 2),
            new BitwiseExpression { SourceRegister = 1, DestinationRegister = 1, Length = 2, Mask = new byte[] { 0x0f, 0xc0 }, Xor = new byte[2] },
            new LookupExpression { SetName = "__set0", SourceRegister = 1 }));
    }

    private static NftRuleset WithSet(string name, uint keyType, uint keyLength)
    {
        var rs = new NftRuleset();
        rs.Sets.Add(new NftSet { Family = NftFamily.Bridge, Table = "t", Name = name, KeyType = keyType, KeyLength = keyLength });
        rs.Sets.Add(new NftSet { Family = NftFamily.Ip6, Table = "t", Name = name, KeyType = keyType, KeyLength = keyLength });
        return rs;
    }

    [Fact]
    public void StackedVlanFieldsInAConcatenationResolveThroughTheEtherHeader() =>
        Assert.Equal("ether saddr . vlan id @s", Print(NftFamily.Bridge, WithSet("s", (9u << 6) | 4, 12),
            Load(PayloadBase.LinkLayer, 12, 2), Eq(0x81, 0x00), Load(PayloadBase.LinkLayer, 6, 6), Load(PayloadBase.LinkLayer, 14, 2, reg: 10),
            new BitwiseExpression { SourceRegister = 10, DestinationRegister = 10, Length = 2, Mask = new byte[] { 0x0f, 0xff }, Xor = new byte[2] },
            new LookupExpression { SetName = "s", SourceRegister = 1 }));

    [Fact]
    public void ShiftedMaskedFieldInAConcatenationKeepsTheShift() =>
        Assert.Equal("ip6 dscp >> 6 . ip6 daddr @s", Print(NftFamily.Ip6, WithSet("s", (36u << 6) | 8, 20),
            Load(PayloadBase.Network, 0, 2),
            new BitwiseExpression { SourceRegister = 1, DestinationRegister = 1, Length = 2, Mask = new byte[] { 0x0f, 0xc0 }, Xor = new byte[2] },
            new ByteorderExpression { SourceRegister = 1, DestinationRegister = 1, Operator = ByteorderOperator.NetworkToHost, Length = 2, Size = 2 },
            new BitwiseExpression { SourceRegister = 1, DestinationRegister = 1, Length = 2, Operator = BitwiseOperator.RightShift, Data = new byte[] { 6, 0, 0, 0 } },
            Load(PayloadBase.Network, 24, 16, reg: 9),
            new LookupExpression { SetName = "s", SourceRegister = 1 }));

    [Fact]
    public void ShiftedMaskedFieldLookupIsTheField() =>
        Assert.Equal("ip6 dscp @s", Print(NftFamily.Ip6, WithSet("s", 36, 2),
            Load(PayloadBase.Network, 0, 2),
            new BitwiseExpression { SourceRegister = 1, DestinationRegister = 1, Length = 2, Mask = new byte[] { 0x0f, 0xc0 }, Xor = new byte[2] },
            new ByteorderExpression { SourceRegister = 1, DestinationRegister = 1, Operator = ByteorderOperator.NetworkToHost, Length = 2, Size = 2 },
            new BitwiseExpression { SourceRegister = 1, DestinationRegister = 1, Length = 2, Operator = BitwiseOperator.RightShift, Data = new byte[] { 6, 0, 0, 0 } },
            new LookupExpression { SetName = "s", SourceRegister = 1 }));

    [Fact]
    public void DynsetKeyOfAMaskedFieldIsTheField() =>
        Assert.Equal("update @s { vlan id timeout 5s }", Print(NftFamily.Bridge, WithSet("s", 4, 2),
            Load(PayloadBase.LinkLayer, 12, 2), Eq(0x81, 0x00), Load(PayloadBase.LinkLayer, 14, 2),
            new BitwiseExpression { SourceRegister = 1, DestinationRegister = 1, Length = 2, Mask = new byte[] { 0x0f, 0xff }, Xor = new byte[2] },
            new DynsetExpression { SetName = "s", Operation = DynsetOperation.Update, SourceKeyRegister = 1, Timeout = 5000 }));

    [Theory]
    [InlineData(2, "reset tcp option maxseg")]
    [InlineData(123, "reset tcp option 123")]
    public void TcpOptionResetNamesTheOption(byte kind, string text) =>
        Assert.Equal(text, Print(NftFamily.Ip,
            new ExthdrExpression { Type = kind, Operation = ExthdrOperation.TcpOption }));

    [Fact]
    public void ShiftThenMaskNeedsNoParentheses() =>
        Assert.Equal("meta mark >> 8 & 0x0000000f == 0x00000001", Print(NftFamily.Ip,
            Meta(MetaKey.Mark),
            new BitwiseExpression { SourceRegister = 1, DestinationRegister = 1, Length = 4, Operator = BitwiseOperator.RightShift, Data = new byte[] { 8, 0, 0, 0 } },
            new BitwiseExpression { SourceRegister = 1, DestinationRegister = 1, Length = 4, Mask = new byte[] { 0x0f, 0, 0, 0 }, Xor = new byte[4] },
            Eq(1, 0, 0, 0)));

    [Fact]
    public void TproxyShowsOnlyAConstantPort() =>
        Assert.Equal("tproxy ip to 127.0.0.1", Print(NftFamily.Inet,
            new ImmediateExpression { DestinationRegister = 1, Data = new byte[] { 127, 0, 0, 1 } },
            new HashExpression { DestinationRegister = 2, Modulus = 2, Type = HashType.Symmetric },
            new TproxyExpression { Family = 2, AddressRegister = 1, PortRegister = 2 }));

    [Fact]
    public void DynsetConcatenatedDataIsPostprocessed()
    {
        var rs = new NftRuleset();
        rs.Sets.Add(new NftSet
        {
            Family = NftFamily.Ip, Table = "t", Name = "m", Flags = 0x8 | 0x10 | 0x20, KeyType = 7, KeyLength = 4,
            DataType = (7u << 6) | 13, DataLength = 8,
        });
        Assert.Equal("update @m { ip saddr timeout 1m30s : ip daddr . tcp dport }", Print(NftFamily.Ip, rs,
            Meta(MetaKey.L4Proto), Eq(6), Load(PayloadBase.Network, 12, 4), Load(PayloadBase.Network, 16, 4, reg: 2),
            Load(PayloadBase.Transport, 2, 2, reg: 13),
            new DynsetExpression { SetName = "m", Operation = DynsetOperation.Update, SourceKeyRegister = 1, SourceDataRegister = 2, Timeout = 90000 }));
    }

    [Fact]
    public void UntypedConstantPrintsAsInvalidType()
    {
        // typeof ip daddr : meta mark, and a constant key of the same length: nft never types it
        var rs = new NftRuleset();
        rs.Sets.Add(new NftSet { Family = NftFamily.Ip, Table = "t", Name = "m", Flags = 0x8 | 0x10, KeyType = 7, KeyLength = 4, DataType = 19, DataLength = 4 });
        Assert.Equal("add @m { 0xa020304 [invalid type] timeout 2s : 0x00000002 }", Print(NftFamily.Ip, rs,
            new ImmediateExpression { DestinationRegister = 1, Data = new byte[] { 10, 2, 3, 4 } },
            new ImmediateExpression { DestinationRegister = 2, Data = new byte[] { 2, 0, 0, 0 } },
            new DynsetExpression { SetName = "m", Operation = DynsetOperation.Add, SourceKeyRegister = 1, SourceDataRegister = 2, Timeout = 2000 }));
    }

    [Fact]
    public void RawPayloadWritesPrintAsNftReadsThem()
    {
        PayloadExpression Write(uint offset) => new() { SourceRegister = 1, Base = PayloadBase.Inner, Offset = offset, Length = 2 };
        BitwiseExpression Bits(byte[] mask, byte[] xor) => new() { SourceRegister = 1, DestinationRegister = 1, Length = 2, Mask = mask, Xor = xor };
        // bare mask: nft leaves it inverted
        Assert.Equal("@ih,48,16 set @ih,48,16 & 0x3f", Print(NftFamily.Inet,
            Load(PayloadBase.Inner, 6, 2), Bits(new byte[] { 0xff, 0xc0 }, new byte[2]), Write(6)));
        // (x & m) ^ v: read as x & (m | v) | v
        Assert.Equal("@ih,48,16 set @ih,48,16 & 0xffc1 | 0x1", Print(NftFamily.Inet,
            Load(PayloadBase.Inner, 6, 2), Bits(new byte[] { 0xff, 0xc0 }, new byte[] { 0x00, 0x01 }), Write(6)));
    }

    [Fact]
    public void RawTransportPayloadKeepsL4protoDependency() =>
        Assert.Equal("meta l4proto 91 @th,400,16 0x0 accept", Print(NftFamily.Inet,
            Meta(MetaKey.L4Proto), Eq(91), Load(PayloadBase.Transport, 50, 2), Eq(0, 0), Verdict(VerdictCode.Accept)));
}

public class NatRulePrinterGoldenTests
{
    private static PayloadExpression Load(PayloadBase b, uint offset, uint len) => new() { DestinationRegister = 1, Base = b, Offset = offset, Length = len };

    private static string PrintNatMap(NftSet map, NatExpression nat)
    {
        var rs = new NftRuleset();
        rs.Sets.Add(map);
        var rule = new NftRule
        {
            Family = NftFamily.Ip, Table = "t", Chain = "c",
            Expressions = new Expression[] { Load(PayloadBase.Network, 12, 4), new LookupExpression { SetName = map.Name, SourceRegister = 1, DestinationRegister = 1 }, nat },
        };
        return RuleTextPrinter.Print(rule, rs, stateless: true);
    }

    private static NftSet AnonMap(uint dataType, uint dataLen, bool interval, byte[] key, byte[] data)
    {
        var set = new NftSet
        {
            Family = NftFamily.Ip, Table = "t", Name = "__map0", Flags = 0x1 | 0x2 | 0x8, KeyType = 7, KeyLength = 4,
            DataType = dataType, DataLength = dataLen, DataInterval = interval ? true : null,
        };
        set.Elements.Add(new NftSetElement { Key = key, Data = data });
        return set;
    }

    [Fact]
    public void AddressRangeMapNamesFamilyAndIgnoresMaxRegister() =>
        Assert.Equal("snat ip to ip saddr map { 10.141.11.4 : 192.168.2.2-192.168.2.4 }", PrintNatMap(
            AnonMap(7, 8, true, new byte[] { 10, 141, 11, 4 }, new byte[] { 192, 168, 2, 2, 192, 168, 2, 4 }),
            new NatExpression { Type = NatType.Snat, Family = 2, AddressMinRegister = 1, AddressMaxRegister = 9 }));

    [Fact]
    public void NetmapPrintsPrefixKeywordNotFlag() =>
        Assert.Equal("snat ip prefix to ip saddr map { 10.141.11.4 : 192.168.2.0/24 }", PrintNatMap(
            AnonMap(7, 8, true, new byte[] { 10, 141, 11, 4 }, new byte[] { 192, 168, 2, 0, 192, 168, 2, 255 }),
            new NatExpression { Type = NatType.Snat, Family = 2, AddressMinRegister = 1, AddressMaxRegister = 9, Flags = NatRangeFlags.MapIps | NatRangeFlags.Netmap }));

    [Fact]
    public void AddressAndPortMapHasNoSeparatePort() =>
        Assert.Equal("dnat ip to ip saddr map { 10.141.11.4 : 192.168.2.3 . 80 }", PrintNatMap(
            AnonMap((7u << 6) | 13, 8, false, new byte[] { 10, 141, 11, 4 }, new byte[] { 192, 168, 2, 3, 0, 80, 0, 0 }),
            new NatExpression { Type = NatType.Dnat, Family = 2, AddressMinRegister = 1, ProtoMinRegister = 9 }));

    [Fact]
    public void AddressRangeThatIsAPrefixPrintsAsPrefix()
    {
        var rule = new NftRule
        {
            Family = NftFamily.Ip, Table = "t", Chain = "c",
            Expressions = new Expression[]
            {
                new ImmediateExpression { DestinationRegister = 1, Data = new byte[] { 192, 168, 3, 0 } },
                new ImmediateExpression { DestinationRegister = 2, Data = new byte[] { 192, 168, 3, 255 } },
                new NatExpression { Type = NatType.Snat, Family = 2, AddressMinRegister = 1, AddressMaxRegister = 2 },
            },
        };
        Assert.Equal("snat to 192.168.3.0/24", RuleTextPrinter.Print(rule, new NftRuleset(), stateless: true));
    }
}

public class BindingChainPrinterGoldenTests
{
    [Fact]
    public void JumpToABindingChainPrintsItsRulesInline()
    {
        var rs = new NftRuleset();
        rs.Chains.Add(new NftChain { Family = NftFamily.Inet, Table = "x", Name = "__chain0", Flags = 4 });
        rs.Rules.Add(new NftRule
        {
            Family = NftFamily.Inet, Table = "x", Chain = "__chain0", Comment = "c",
            Expressions = new Expression[] { new CounterExpression(), new ImmediateExpression { DestinationRegister = 0, Verdict = new NftVerdict(VerdictCode.Accept) } },
        });
        var outer = new NftRule
        {
            Family = NftFamily.Inet, Table = "x", Chain = "y",
            Expressions = new Expression[] { new ImmediateExpression { DestinationRegister = 0, Verdict = new NftVerdict(VerdictCode.Jump, "__chain0") } },
        };
        Assert.Equal("jump {\n\t\t\tcounter accept comment \"c\"\n\t\t}", RuleTextPrinter.Print(outer, rs, stateless: true));
    }
}
