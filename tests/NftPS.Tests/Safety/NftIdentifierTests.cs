using NftPS.Language.Syntax;
using NftPS.NfTables.Model;

namespace NftPS.Tests.Safety;

/// <summary>The one validator every way in uses: limits measured against nft 1.0.6 and the kernel, and the text
/// forms that read back as the same single value.</summary>
public class NftIdentifierTests
{
    [Theory]
    [InlineData("filter", null)]
    [InlineData("with space", null)]
    [InlineData("ü名", null)]
    [InlineData("a;b}{", null)]
    [InlineData("", "empty")]
    [InlineData("a\"b", "double quote")]
    [InlineData("a\nb", "line break")]
    [InlineData("a\rb", "line break")]
    [InlineData("a\0b", "NUL")]
    [InlineData("a\tb", "control character")]
    [InlineData("a\u001bb", "control character")]
    public void NameProblems(string name, string? problem)
    {
        string? p = NftIdentifier.NameProblem(name);
        if (problem is null) Assert.Null(p);
        else Assert.Contains(problem, p);
    }

    // Built in code: theory data would replace a lone surrogate with U+FFFD on its way to the test.
    [Fact]
    public void LoneSurrogateIsRefused() => Assert.Contains("surrogate", NftIdentifier.NameProblem("a" + (char)0xD800));

    [Fact]
    public void LengthLimitsCountUtf8Bytes()
    {
        Assert.Null(NftIdentifier.NameProblem(new string('a', 255)));
        Assert.Contains("256 bytes", NftIdentifier.NameProblem(new string('a', 256)));
        Assert.Null(NftIdentifier.NameProblem(new string('a', 253) + "ü"));
        Assert.NotNull(NftIdentifier.NameProblem(new string('a', 254) + "ü"));
        Assert.Null(NftIdentifier.CommentProblem(new string('ü', 64)));
        Assert.Contains("at most 128", NftIdentifier.CommentProblem(new string('ü', 64) + "a"));
        Assert.Null(NftIdentifier.CommentProblem("tab\tis kept"));
        Assert.Null(NftIdentifier.InterfaceNameProblem("0123456789abcde"));
        Assert.Contains("at most 15", NftIdentifier.InterfaceNameProblem("0123456789abcdef"));
    }

    [Theory]
    [InlineData("filter", "filter")]
    [InlineData("a.b-c_d", "a.b-c_d")]
    [InlineData("with space", "\"with space\"")]
    [InlineData("1ab", "\"1ab\"")]
    [InlineData("end-", "\"end-\"")]
    [InlineData("x;y", "\"x;y\"")]
    public void NamesPrintBareOrQuoted(string name, string text) => Assert.Equal(text, NftIdentifier.Name(name));

    [Theory]
    [InlineData("x\nadd table ip evil")]
    [InlineData("q\"q")]
    [InlineData("")]
    public void UnprintableNamesAreRefusedForTextAndEscapedForDisplay(string name)
    {
        Assert.Throws<NftUnprintableException>(() => NftIdentifier.Name(name));
        string shown = NftIdentifier.Display(name);
        Assert.DoesNotContain('\n', shown);
        Assert.Equal(2, shown.Count(c => c == '"'));
    }

    [Theory]
    [InlineData("update @m { ip saddr : 0x00000001 }", true)]
    [InlineData("jump {\n\t\taccept\n\t}", true)]
    [InlineData("accept\nflush ruleset", false)]
    [InlineData("accept; flush ruleset", false)]
    [InlineData("accept } table ip evil {", false)]
    [InlineData("counter # the rest", false)]
    [InlineData("log prefix \"unterminated", false)]
    [InlineData("", false)]
    public void ConfinedTextStaysOneStatement(string text, bool confined) =>
        Assert.Equal(confined, ConfinedText.Problem(text) is null);
}
