using NftPS.Language.Evaluate;
using NftPS.Language.Linearize;
using NftPS.Language.Syntax;
using NftPS.NfTables;

namespace NftPS.Tests.Compiler;

public class CompilerUnitTests
{
    private static CompiledRule Compile(string rule, NftFamily family = NftFamily.Ip) =>
        RuleCompiler.Compile(rule, new CompileContext { Family = family, Table = "t" });

    [Fact]
    public void Lexer_keeps_positions_and_splits_addresses_ranges_and_prefixes()
    {
        var toks = Lexer.Tokenize(new SourceText("ip saddr 10.0.0.0/8 tcp dport 22-80 ether saddr 00:0f:54:0c:11:04"));
        Assert.Equal(new[] { "ip", "saddr", "10.0.0.0", "/", "8", "tcp", "dport", "22", "-", "80", "ether", "saddr", "00:0f:54:0c:11:04", "" },
            toks.Select(t => t.Text));
        Assert.Equal(10, toks[2].Span.Column);
        Assert.Equal(8, toks[2].Span.Length);
    }

    [Fact]
    public void Service_out_of_range_points_at_the_value_like_nft()
    {
        var e = Assert.Throws<NftEvaluationException>(() => Compile("tcp dport 99999 accept"));
        Assert.Equal("Service out of range", e.Reason);
        Assert.Equal("Error: Service out of range\ntcp dport 99999 accept\n          ^^^^^", e.Message);
    }

    [Fact]
    public void Syntax_error_names_the_unexpected_token()
    {
        var e = Assert.Throws<NftSyntaxException>(() => Compile("tcp dport"));
        Assert.StartsWith("syntax error, unexpected", e.Reason);
    }

    [Fact]
    public void Inet_tcp_dport_set_gets_l4proto_dependency_and_anonymous_set()
    {
        var r = Compile("tcp dport { 443, 9418 } accept", NftFamily.Inet);
        Assert.Equal(new[] { "meta", "cmp", "payload", "lookup", "immediate" }, r.Expressions.Select(x => x.Name));
        var (set, elems) = Assert.Single(r.AnonymousSets);
        Assert.Equal("__set%d", set.Name);
        Assert.Equal(3u, set.Flags);
        Assert.Equal(2u, set.Size);
        Assert.Equal(new byte[] { 0x01, 0xbb }, elems[0].Key);
    }

    [Fact]
    public void Interval_set_uses_old_style_end_elements()
    {
        var r = Compile("ip daddr { 1.2.3.0/24, 5.6.7.8 } accept");
        var (set, elems) = Assert.Single(r.AnonymousSets);
        Assert.Equal(7u, set.Flags);
        Assert.Equal(5, elems.Count);
        Assert.Equal(1u, elems[0].Flags);
        Assert.Equal(new byte[] { 1, 2, 4, 0 }, elems[2].Key);
        Assert.Equal(1u, elems[2].Flags);
    }

    [Fact]
    public void Range_is_cmp_gte_and_lte_and_negated_range_uses_range()
    {
        Assert.Equal(new[] { "meta", "cmp", "payload", "cmp", "cmp" }, Compile("tcp dport 22-80").Expressions.Select(x => x.Name));
        Assert.Equal(new[] { "meta", "cmp", "payload", "range" }, Compile("tcp dport != 22-80").Expressions.Select(x => x.Name));
    }
}
