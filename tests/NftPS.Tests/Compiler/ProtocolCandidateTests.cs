using NftPS.Language.Evaluate;
using NftPS.Language.Linearize;
using NftPS.Language.Syntax;
using NftPS.NfTables;

namespace NftPS.Tests.Compiler;

/// <summary>A protocol match against a set (`meta l4proto { tcp, udp }`) leaves every protocol of the set possible;
/// nft 1.0.6 then refuses a header of one of them ("conflicting protocols specified: udp vs. tcp" at the header),
/// while `th dport` and negated sets stay accepted.</summary>
public class ProtocolCandidateTests
{
    private static CompiledRule Compile(string rule) =>
        RuleCompiler.Compile(rule, new CompileContext { Family = NftFamily.Inet, Table = "t" });

    [Theory]
    [InlineData("ip protocol { tcp, udp } tcp dport 20 dnat to 1.1.1.1:80", "udp vs. tcp", 25)]
    [InlineData("meta l4proto { tcp, udp } udp dport 20 accept", "tcp vs. udp", 26)]
    public void HeaderOfOneCandidateConflictsWithTheOthers(string rule, string conflict, int column)
    {
        var e = Assert.ThrowsAny<NftLanguageException>(() => Compile(rule));
        Assert.Contains($"conflicting protocols specified: {conflict}", e.Message);
        Assert.Equal(column, e.Span.Offset);
    }

    [Theory]
    [InlineData("ip protocol { tcp, udp } th dport 20 accept")]
    [InlineData("ip protocol != { tcp, udp } tcp dport 20 accept")]
    [InlineData("meta l4proto { tcp, udp } meta mark 1 accept")]
    public void OtherUsesStayAccepted(string rule) => Assert.NotEmpty(Compile(rule).Expressions);
}
