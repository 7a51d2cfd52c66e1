namespace NftPS.Language.Syntax;

/// <summary>Values given outside nft text — one cmdlet parameter value, one set element from the pipeline — are
/// parsed on their own, each from its own source, as exactly one value expression that must end where the input
/// ends. Nothing in such a value can become syntax: a `;`, `}`, `{` or newline is a token this entry never accepts
/// (not a place where another command starts), and variables are refused because a value has no definitions.
/// Kept apart from the rule grammar so the rule parser's own entry points stay as they are.</summary>
internal sealed partial class Parser
{
    /// <summary>One value: an atom (word, number, address, quoted string), a range `a-b`, a prefix `a/n`, a
    /// concatenation `a . b`, and `@set` when <paramref name="allowSetReference"/>.</summary>
    internal static Node ParseOneValue(SourceText source, string what, bool allowSetReference = false)
    {
        var p = ValueParser(source, what);
        Node value;
        if (allowSetReference && p.Cur.Kind == TokenKind.At)
        {
            var t = p.Take();
            value = new SetRefNode { Name = t.Text, Span = t.Span };
        }
        else value = p.ParseRhsValue();
        p.ExpectEndOfValue(what);
        return value;
    }

    /// <summary>One set element: a value as <see cref="ParseOneValue"/> takes it, its options (timeout, expires,
    /// comment, counter, limit, quota) and, in a map, `: data`. A second element, a nested `{ }` or anything after
    /// the element is refused.</summary>
    internal static Node ParseOneElement(SourceText source)
    {
        const string what = "set element";
        var p = ValueParser(source, what);
        var element = p.ParseSetElement();
        p.ExpectEndOfValue(what);
        return element;
    }

    /// <summary>The data of a map element given apart from its key: a verdict (`accept`, `jump c`) or one value.</summary>
    internal static Node ParseOneMapData(SourceText source)
    {
        const string what = "map value";
        var p = ValueParser(source, what);
        var value = p.Cur.Kind == TokenKind.Word && Verdicts.Contains(p.Cur.Text) ? p.ParseVerdict() : p.ParseRhsValue();
        p.ExpectEndOfValue(what);
        return value;
    }

    /// <summary>The left side of a match written by NftPS itself ("tcp dport", "ip saddr", "iifname"): constant text,
    /// never a user's.</summary>
    internal static Node ParseSelector(string constantText)
    {
        var p = new Parser(new SourceText(constantText));
        var selector = p.ParseExpression(lhs: true);
        p.ExpectEndOfValue("selector");
        return selector;
    }

    /// <summary>A statement written by NftPS itself ("counter", "accept", "ct state new,established").</summary>
    internal static StatementNode ParseConstantStatement(string constantText)
    {
        var p = new Parser(new SourceText(constantText));
        var statement = p.ParseStatement();
        p.ExpectEndOfValue("statement");
        return statement;
    }

    /// <summary>A limit as a value: `10/second`, `over 10/minute burst 5 packets`, `1 mbytes/second`, optionally
    /// written with its leading `limit rate`. Returns the statement and the text of the limit itself (what follows
    /// `limit rate`), which is the input's own text once it has parsed as exactly one limit.</summary>
    internal static (ActionStatement Limit, string Text) ParseLimitValue(SourceText source)
    {
        const string what = "limit";
        var p = ValueParser(source, what);
        if (p.AcceptWord("limit"))
        {
            if (!p.AtWord("rate")) throw new NftSyntaxException(p.Cur.Span, $"expected a limit rate such as 10/second: unexpected {p.Cur.Describe()}");
        }
        p.AcceptWord("rate");
        int start = p.Cur.Span.Offset;
        var s = new ActionStatement { Kind = "limit" };
        p.ParseLimitSpec(s.Options);
        p.ExpectEndOfValue(what);
        int end = p._tokens[p._pos - 1].Span.End;
        s.Span = new SourceSpan(source, start, end - start);
        return (s, source.Text[start..end]);
    }

    /// <summary>A set's key or data type as the user writes it ("ipv4_addr . inet_service", "ip saddr", "verdict",
    /// "interval ipv4_addr"): words joined by dots (and the odd `&`/`,`), never a token that ends the declaration or
    /// starts another command (`;`, newline, braces), a quoted string or a variable.</summary>
    internal static void CheckTypeExpression(SourceText source, string what)
    {
        var tokens = Lexer.Tokenize(source);
        if (tokens[0].Kind == TokenKind.EndOfInput) throw new NftSyntaxException(tokens[0].Span, $"{what} is empty");
        foreach (var t in tokens)
        {
            bool ok = t.Kind is TokenKind.Word or TokenKind.EndOfInput ||
                      t.Kind == TokenKind.Punct && t.Text is "." or "&" or "," or "/" or "-" or ":";
            if (!ok) throw new NftSyntaxException(t.Span, $"{what} is a type, not nft text: unexpected {t.Describe()}");
        }
    }

    private static Parser ValueParser(SourceText source, string what)
    {
        var p = new Parser(source);
        for (int i = 0; i < p._tokens.Count; i++)
        {
            var t = p._tokens[i];
            if (t.Kind == TokenKind.Variable)
                throw new NftSyntaxException(t.Span, $"a {what} is a value, not nft text: variables cannot be used here");
            // No value holds a brace or a separator: refusing them wherever they are keeps a value from ever
            // reaching grammar that nests (a bound chain after `jump`, a set literal) or ends a command.
            if (t.Kind == TokenKind.Separator || t.IsPunct("{") || t.IsPunct("}"))
                throw new NftSyntaxException(t.Span, i == 0
                    ? $"expected one {what}: unexpected {t.Describe()}"
                    : $"expected one {what} and nothing after it: unexpected {t.Describe()}");
        }
        if (p.Cur.Kind == TokenKind.EndOfInput) throw new NftSyntaxException(p.Cur.Span, $"expected a {what}, the text is empty");
        return p;
    }

    /// <summary>The value must end the input: whatever follows (a separator, a brace, another word) is refused,
    /// with the caret under it.</summary>
    private void ExpectEndOfValue(string what)
    {
        if (Cur.Kind == TokenKind.EndOfInput) return;
        throw new NftSyntaxException(Cur.Span, $"expected one {what} and nothing after it: unexpected {Cur.Describe()}");
    }
}
