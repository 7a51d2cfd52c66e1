using NftPS.Cmdlets.Changes;
using NftPS.Language.Printing;
using NftPS.Language.Syntax;
using NftPS.NfTables;

namespace NftPS.Tests.Safety;

/// <summary>The language layer's one-value entries (Parser.Value.cs) without a kernel: a value is one value or it is
/// refused with the caret under what follows it; what is accepted prints back to text that parses to the same.</summary>
public class ValueParserTests
{
    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("10.0.0.0/8")]
    [InlineData("10.0.0.1-10.0.0.9")]
    [InlineData("10.0.0.1 . 22")]
    [InlineData("22 : accept")]
    [InlineData("80 : jump other")]
    [InlineData("10.0.0.1 timeout 1h comment \"a;b}\"")]
    [InlineData("\"eth0\"")]
    [InlineData("*")]
    [InlineData("::1")]
    [InlineData("ssh")]
    public void OneElementIsAccepted(string text)
    {
        var node = Parser.ParseOneElement(new SourceText(text));
        string printed = ValueText.Print(node);
        // What it prints parses to the same text again.
        Assert.Equal(printed, ValueText.Print(Parser.ParseOneElement(new SourceText(printed))));
    }

    [Theory]
    [InlineData("}", 0)]
    [InlineData(";", 0)]
    [InlineData("\"", 0)]
    [InlineData("add table ip evil", 4)]
    [InlineData("1.1.1.1 }; add table ip evil; add element inet t s { 2.2.2.2", 8)]
    [InlineData("1.1.1.1, 2.2.2.2", 7)]
    [InlineData("1.1.1.1\nadd table ip evil", 7)]
    [InlineData("{ 1.1.1.1 }", 0)]
    [InlineData("$x", 0)]
    [InlineData("1.1.1.1 2.2.2.2", 8)]
    [InlineData("80 : jump { accept }", 10)]
    [InlineData("80 : jump other; add table ip evil", 15)]
    public void AnythingButOneElementIsRefusedAtTheRightPlace(string text, int offset)
    {
        var ex = Assert.ThrowsAny<NftLanguageException>(() => Parser.ParseOneElement(new SourceText(text)));
        Assert.Equal((1, offset + 1), (ex.Line, ex.Column));
    }

    [Theory]
    [InlineData("22 meta mark set 5", "port")]
    [InlineData("10.0.0.1 counter", "address")]
    [InlineData("22;", "port")]
    [InlineData("22 }", "port")]
    public void OneValueRefusesWhatFollowsIt(string text, string what)
    {
        var ex = Assert.Throws<NftSyntaxException>(() => Parser.ParseOneValue(new SourceText(text), what));
        Assert.StartsWith($"expected one {what} and nothing after it", ex.Reason);
    }

    [Theory]
    [InlineData("10/second", "10/second")]
    [InlineData("limit rate 10/second", "10/second")]
    [InlineData("over 10/minute burst 5 packets", "over 10/minute burst 5 packets")]
    [InlineData("1 mbytes/second", "1 mbytes/second")]
    public void ALimitIsOneLimit(string text, string expected) =>
        Assert.Equal(expected, Parser.ParseLimitValue(new SourceText(text)).Text);

    [Theory]
    [InlineData("10/second; add table ip evil")]
    [InlineData("10/second counter")]
    [InlineData("limit name x")]
    [InlineData("10/second\nflush ruleset")]
    public void ALimitWithMoreIsRefused(string text) =>
        Assert.ThrowsAny<NftLanguageException>(() => Parser.ParseLimitValue(new SourceText(text)));

    [Theory]
    [InlineData("ipv4_addr; }; add table ip evil")]
    [InlineData("ipv4_addr }")]
    [InlineData("ipv4_addr\nadd table ip evil")]
    [InlineData("\"ipv4_addr\"")]
    public void ATypeExpressionIsOnlyATypeExpression(string text) =>
        Assert.Throws<NftSyntaxException>(() => Parser.CheckTypeExpression(new SourceText(text), "-Type"));

    [Theory]
    [InlineData("a\"b")]
    [InlineData("a\nb")]
    [InlineData("a\0b")]
    public void StringsNftCannotWriteAreRefused(string text) =>
        Assert.Throws<ArgumentException>(() => ValueText.Quote(text, "comment"));

    [Fact]
    public void HashtableOptionsAreTypedValues()
    {
        var table = new System.Collections.Hashtable { ["Key"] = "10.0.0.1", ["Comment"] = "}; add table ip evil", ["Timeout"] = TimeSpan.FromMinutes(5) };
        var node = Assert.IsType<SetElementNode>(ElementText.Parse(table, null, null));
        Assert.Equal("}; add table ip evil", node.Comment);
        Assert.Equal(300_000UL, node.TimeoutMs);
        Assert.Equal("10.0.0.1 timeout 5m comment \"}; add table ip evil\"", ElementText.Print(node));
        Assert.Throws<ArgumentException>(() => ElementText.Parse(new System.Collections.Hashtable { ["Key"] = "10.0.0.1", ["Comment"] = "a\"b" }, null, null));
        Assert.ThrowsAny<NftLanguageException>(() => ElementText.Parse(new System.Collections.Hashtable { ["Key"] = "10.0.0.1 timeout 1h" }, null, null));
    }

    [Fact]
    public void ParameterRulesAreBuiltFromValues()
    {
        var rule = new RuleTreeBuilder
        {
            Family = NftFamily.Inet, Protocol = "tcp", DestinationPort = new[] { "22", "80-90" }, InputInterface = new[] { "we;rd}" },
            LogPrefix = "x; add table ip evil", Action = NftRuleAction.Accept,
        }.Build();
        Assert.Equal("iifname \"we;rd}\" tcp dport { 22, 80-90 } log prefix \"x; add table ip evil\" accept", rule.Text);
        Assert.Equal(4, rule.Statements.Count);
        // The text is nft that parses to the same statements.
        Assert.Equal(4, Parser.ParseRule(rule.Text).Statements.Count);
        Assert.ThrowsAny<NftLanguageException>(() => new RuleTreeBuilder { Family = NftFamily.Inet, Protocol = "tcp", DestinationPort = new[] { "22 meta mark set 5" } }.Build());
        Assert.ThrowsAny<Exception>(() => new RuleTreeBuilder { Family = NftFamily.Inet, Protocol = "tcp accept", Action = NftRuleAction.Accept }.Build());
    }
}
