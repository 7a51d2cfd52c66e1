using NftPS.Language;
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
    public void RawTransportPayloadKeepsL4protoDependency() =>
        Assert.Equal("meta l4proto 91 @th,400,16 0x0 accept", Print(NftFamily.Inet,
            Meta(MetaKey.L4Proto), Eq(91), Load(PayloadBase.Transport, 50, 2), Eq(0, 0), Verdict(VerdictCode.Accept)));
}
