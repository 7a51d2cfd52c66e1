using System.Text;

namespace NftPS.Tests.Safety;

/// <summary>Input whose depth the user controls (nesting, define chains, operator chains) used to overflow the stack and
/// kill pwsh (exit 134). Each case runs in a child process (tools/NftPS.Fuzz -Try) so a regression fails here instead of
/// killing the test host; each must end in a designed error that says what was too deep, or load as nft loads it.</summary>
public class ParserDepthTests
{
    private const string Nesting = "too many levels of nesting";

    private static string Repeat(string s, int n) => new StringBuilder(s.Length * n).Insert(0, s, n).ToString();

    [Theory]
    [InlineData("(", ")")]
    [InlineData("{ ", " }")]
    [InlineData("[", "]")]
    public void Hundred_thousand_nested_brackets_in_a_rule_are_refused_as_too_deep(string open, string close)
    {
        string rule = "ip ttl " + Repeat(open, 100_000) + "1" + Repeat(close, 100_000);
        string outcome = FuzzToolProcess.Try("rule", rule, "ip");
        Assert.StartsWith("refused (Nft", outcome);
        if (open != "[") Assert.Contains(Nesting, outcome);
    }

    [Fact]
    public void Hundred_thousand_nested_parentheses_in_a_file_are_refused_with_the_line()
    {
        string file = "table ip t {\n\tchain c {\n\t\tip ttl " + Repeat("(", 100_000) + "1" + Repeat(")", 100_000) + "\n\t}\n}\n";
        string outcome = FuzzToolProcess.Try("script", file);
        Assert.StartsWith("refused (NftSyntaxException", outcome);
        Assert.Contains(":3:", outcome);
        Assert.Contains(Nesting, outcome);
    }

    [Fact]
    public void A_chain_of_a_hundred_thousand_operators_is_refused_as_too_deep()
    {
        string outcome = FuzzToolProcess.Try("rule", "ip ttl 1" + Repeat(" | 1", 100_000), "ip");
        Assert.StartsWith("refused (NftSyntaxException", outcome);
        Assert.Contains(Nesting, outcome);
    }

    [Fact]
    public void Nesting_within_the_bound_still_compiles()
    {
        string outcome = FuzzToolProcess.Try("rule", "ip ttl " + Repeat("(", 200) + "1" + Repeat(")", 200), "ip");
        Assert.StartsWith("accepted", outcome);
    }

    [Fact]
    public void Define_cycle_is_refused_as_nft_does_at_the_first_unknown_name()
    {
        string outcome = FuzzToolProcess.Try("script", "define a = $b\ndefine b = $a\ntable ip t {\n\tchain c {\n\t\tip ttl $a\n\t}\n}\n");
        Assert.StartsWith("refused (NftSyntaxException", outcome);
        Assert.Contains(":1:12-13: Error: unknown identifier 'b'", outcome);
    }

    [Fact]
    public void Define_of_itself_is_refused_as_nft_does()
    {
        string outcome = FuzzToolProcess.Try("script", "define a = $a\ntable ip t {\n\tchain c {\n\t\tip ttl $a\n\t}\n}\n");
        Assert.Contains(":1:12-13: Error: unknown identifier 'a'", outcome);
    }

    [Fact]
    public void A_second_define_of_a_name_is_refused_as_nft_does_and_redefine_replaces_it()
    {
        string twice = FuzzToolProcess.Try("script", "define a = 1\ndefine a = 2\ntable ip t {\n\tchain c {\n\t\tip ttl $a\n\t}\n}\n");
        Assert.StartsWith("refused (NftSyntaxException", twice);
        Assert.Contains(":2:8-8: Error: redefinition of symbol 'a'", twice);
        Assert.StartsWith("accepted", FuzzToolProcess.Try("script", "define a = 1\nredefine a = 2\ntable ip t {\n\tchain c {\n\t\tip ttl $a\n\t}\n}\n"));
    }

    [Fact]
    public void A_chain_of_twenty_thousand_aliases_loads_as_in_nft()
    {
        var sb = new StringBuilder("define a0 = 5\n");
        for (int i = 1; i <= 20_000; i++) sb.Append("define a").Append(i).Append(" = $a").Append(i - 1).Append('\n');
        sb.Append("table ip t {\n\tchain c {\n\t\tip ttl $a20000\n\t}\n}\n");
        Assert.StartsWith("accepted", FuzzToolProcess.Try("script", sb.ToString()));
    }

    [Fact]
    public void A_chain_of_twenty_thousand_nested_set_defines_is_refused_as_too_deep()
    {
        // nft segfaults on this one; we say how deep is too deep.
        var sb = new StringBuilder("define a0 = 5\n");
        for (int i = 1; i <= 20_000; i++) sb.Append("define a").Append(i).Append(" = { $a").Append(i - 1).Append(" }\n");
        sb.Append("table ip t {\n\tchain c {\n\t\tip ttl $a20000\n\t}\n}\n");
        string outcome = FuzzToolProcess.Try("script", sb.ToString());
        Assert.StartsWith("refused (NftSyntaxException", outcome);
        Assert.Contains(Nesting, outcome);
    }
}
