using NftPS.Language.Syntax;

namespace NftPS.Language.Script;

/// <summary>The command grammar walks the Syntax parser's tokens: one cursor, one nesting count and one set of
/// definitions for the whole file, so a command's parts and the rule bodies, expressions and values inside it are read
/// as by a single parser. These members name the Syntax parser's cursor as the grammar code uses it.</summary>
internal sealed partial class ScriptParser
{
    private readonly Parser _p;
    private readonly Definitions _defs;

    private ScriptParser(Parser syntax, Definitions definitions)
    {
        _p = syntax;
        _defs = definitions;
    }

    private Token Cur => _p.Cur;
    private Token Previous => _p.Previous;
    private Token PeekTok(int n = 1) => _p.PeekTok(n);
    private Token Take() => _p.Take();
    private void Skip() => _p.Skip();
    private bool AtWord(string w) => _p.AtWord(w);
    private bool AtPunct(string p) => _p.AtPunct(p);
    private bool AcceptWord(string w) => _p.AcceptWord(w);
    private bool AcceptPunct(string p) => _p.AcceptPunct(p);
    private NftSyntaxException Unexpected() => _p.Unexpected();
    private static NftSyntaxException Unexpected(Token t) => Parser.Unexpected(t);
    private Token ExpectWord() => _p.ExpectWord();
    private Token ExpectWord(string w) => _p.ExpectWord(w);
    private void ExpectPunct(string p) => _p.ExpectPunct(p);
    private Token ExpectName() => _p.ExpectName();
    private Token ExpectStringToken() => _p.ExpectStringToken();
    private string ExpectComment() => _p.ExpectComment();
    private ulong ParseUnsigned(Token t) => _p.ParseUnsigned(t);
    private ulong ExpectNumber() => _p.ExpectNumber();
    private ulong ExpectNumberAtMost(ulong max) => _p.ExpectNumberAtMost(max);
    private static bool IsNumber(Token t) => Parser.IsNumber(t);
    private static ulong ParseTimeToken(Token t) => Parser.ParseTimeToken(t);

    /// <summary>nft's block grammars (table_block, chain_block, set_block, flowtable_block, the ct object blocks) end
    /// every item with a stmt_separator, so a block's closing brace right after an item is refused, as nft 1.0.6 does
    /// ("unexpected '}', expecting newline or semicolon", caret at the brace). <paramref name="alternatives"/> adds the
    /// tokens nft lists as well for the item just read.</summary>
    private void ExpectItemSeparator(string alternatives = "")
    {
        if (Cur.Kind != TokenKind.Separator)
            throw new NftSyntaxException(Cur.Span, $"syntax error, unexpected {Cur.Describe()}, expecting newline or semicolon{alternatives}");
    }
    private Definition Resolve(Token variable) => _p.Resolve(variable);
    private Node ExpandVariable(Token v, Func<Parser, Node> parse) => _p.ExpandVariable(v, parse);

    // What is inside a command is the rule grammar's.
    private RuleNode ParseRuleBody(bool stopAtSeparator) => _p.ParseRuleBody(stopAtSeparator);
    private StatementNode ParseStatement() => _p.ParseStatement();
    private Node ParseExpression(bool lhs) => _p.ParseExpression(lhs);
    private SetNode ParseSetLiteral() => _p.ParseSetLiteral();
    private void ParseQuotaSpec(Dictionary<string, object?> o) => _p.ParseQuotaSpec(o);
    private void ParseLimitSpec(Dictionary<string, object?> o) => _p.ParseLimitSpec(o);
}
