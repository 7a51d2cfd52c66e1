using NftPS.Language;
using NftPS.Language.Printing;
using NftPS.Language.DataTypes;
using NftPS.NfTables;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;

namespace NftPS.Tests.Language;

/// <summary>Golden cases: kernel expressions built by hand → the text nft 1.0.6 lists.</summary>
public class RuleTextPrinterGoldenTests
{
    private static MetaExpression Meta(MetaKey key, uint reg = 1) => new() { Key = key, DestinationRegister = reg };
    private static CmpExpression Cmp(CmpOperator op, params byte[] data) => new() { SourceRegister = 1, Operator = op, Data = data };
    private static CmpExpression Eq(params byte[] data) => Cmp(CmpOperator.Eq, data);
    private static PayloadExpression Load(PayloadBase b, uint offset, uint len) => new() { DestinationRegister = 1, Base = b, Offset = offset, Length = len };
    private static ImmediateExpression Verdict(VerdictCode code, string? chain = null) => new() { DestinationRegister = 0, Verdict = new NftVerdict(code, chain) };

    private static string Print(NftFamily family, params Expression[] exprs)
    {
        var rule = new NftRule { Family = family, Table = "t", Chain = "c", Expressions = exprs };
        return RuleTextPrinter.Print(rule, new NftRuleset(), stateless: true);
    }

    [Fact]
    public void TcpDportDropsImpliedL4protoDependency() =>
        Assert.Equal("tcp dport 22 accept", Print(NftFamily.Inet,
            Meta(MetaKey.L4Proto), Eq(6), Load(PayloadBase.Transport, 2, 2), Eq(0, 22), Verdict(VerdictCode.Accept)));

    [Fact]
    public void InetIpSaddrDropsNfprotoAndBytePrefixBecomesShortLoad() =>
        Assert.Equal("ip daddr 10.0.0.0/8 drop", Print(NftFamily.Inet,
            Meta(MetaKey.NfProto), Eq(2), Load(PayloadBase.Network, 16, 1), Eq(10), Verdict(VerdictCode.Drop)));

    [Fact]
    public void BitwisePrefix() =>
        Assert.Equal("ip saddr 10.0.0.0/7", Print(NftFamily.Ip,
            Load(PayloadBase.Network, 12, 4),
            new BitwiseExpression { SourceRegister = 1, DestinationRegister = 1, Length = 4, Mask = new byte[] { 0xfe, 0, 0, 0 }, Xor = new byte[4] },
            Eq(10, 0, 0, 0)));

    [Fact]
    public void CtStateFlags() =>
        Assert.Equal("ct state established,related accept", Print(NftFamily.Inet,
            new CtExpression { Key = CtKey.State, DestinationRegister = 1 },
            new BitwiseExpression { SourceRegister = 1, DestinationRegister = 1, Length = 4, Mask = new byte[] { 6, 0, 0, 0 }, Xor = new byte[4] },
            Cmp(CmpOperator.Neq, 0, 0, 0, 0), Verdict(VerdictCode.Accept)));

    [Fact]
    public void TcpFlagsMaskedCompare() =>
        Assert.Equal("tcp flags syn / fin,syn,rst,ack", Print(NftFamily.Ip,
            Meta(MetaKey.L4Proto), Eq(6), Load(PayloadBase.Transport, 13, 1),
            new BitwiseExpression { SourceRegister = 1, DestinationRegister = 1, Length = 1, Mask = new byte[] { 0x17 }, Xor = new byte[1] },
            Eq(2)));

    [Fact]
    public void MetaMarkPrintsEightHexDigits() =>
        Assert.Equal("meta mark 0x00000030 counter", Print(NftFamily.Ip,
            Meta(MetaKey.Mark), Eq(0x30, 0, 0, 0), new CounterExpression { Packets = 1, Bytes = 2 }));

    [Fact]
    public void RangeFromGteLte() =>
        Assert.Equal("udp dport 1-100", Print(NftFamily.Ip,
            Meta(MetaKey.L4Proto), Eq(17), Load(PayloadBase.Transport, 2, 2), Cmp(CmpOperator.Gte, 0, 1), Cmp(CmpOperator.Lte, 0, 100)));

    [Fact]
    public void InterfaceWildcard() =>
        Assert.Equal("iifname \"eth*\" jump other", Print(NftFamily.Ip,
            Meta(MetaKey.IifName), Eq((byte)'e', (byte)'t', (byte)'h'), Verdict(VerdictCode.Jump, "other")));

    [Fact]
    public void LimitOmitsDefaultBurst() =>
        Assert.Equal("limit rate 10/second", Print(NftFamily.Ip, new LimitExpression { Rate = 10, Unit = 1, Burst = 5 }));

    [Fact]
    public void NamedSetLookupInverted()
    {
        var exprs = new Expression[]
        {
            Load(PayloadBase.Network, 12, 4),
            new LookupExpression { SetName = "blocked", SourceRegister = 1, Flags = LookupFlags.Invert },
            Verdict(VerdictCode.Drop),
        };
        Assert.Equal("ip saddr != @blocked drop", Print(NftFamily.Ip, exprs));
    }

    [Fact]
    public void AnonymousSetElementsSorted()
    {
        var set = new NftSet
        {
            Family = NftFamily.Ip, Table = "t", Name = "__set0", Flags = 3, KeyType = 13, KeyLength = 2,
            Elements = { new NftSetElement { Key = new byte[] { 0, 80 } }, new NftSetElement { Key = new byte[] { 0, 22 } } },
        };
        var rs = new NftRuleset();
        rs.Sets.Add(set);
        var rule = new NftRule
        {
            Family = NftFamily.Ip, Table = "t", Chain = "c",
            Expressions = new Expression[]
            {
                Meta(MetaKey.L4Proto), Eq(6), Load(PayloadBase.Transport, 2, 2),
                new LookupExpression { SetName = "__set0", SourceRegister = 1 }, Verdict(VerdictCode.Accept),
            },
        };
        Assert.Equal("tcp dport { 22, 80 } accept", RuleTextPrinter.Print(rule, rs, stateless: true));
    }

    [Fact]
    public void UnknownExpressionIsVisible()
    {
        var rule = new NftRule { Family = NftFamily.Ip, Table = "t", Chain = "c", Expressions = new Expression[] { new UnknownExpression("frob", Array.Empty<byte>()) } };
        var (text, _, _, undecoded) = RuleTextPrinter.Describe(rule, new NftRuleset());
        Assert.True(undecoded);
        Assert.Contains("frob", text);
    }

    [Theory]
    [InlineData("2001:db8::1", new byte[] { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 })]
    [InlineData("::ffff:1.2.3.4", new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4 })]
    [InlineData("1:0:1::1", new byte[] { 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 })]
    [InlineData("::", new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    public void Ipv6LikeInetNtop(string expected, byte[] addr) => Assert.Equal(expected, ValueFormatter.FormatIpv6(addr));

    [Fact]
    public void TypeNamesOfConcatenations() =>
        Assert.Equal("ipv4_addr . inet_service", DataTypeRegistry.TypeName(0x1cd));
}
