using NftPS.Language.Syntax;
using NftPS.NfTables;

namespace NftPS.Language.Script;

/// <summary>Set and map commands and blocks, element commands.</summary>
internal sealed partial class ScriptParser
{
    // ------------------------------------------------------------------ sets and maps

    private void ParseSetCommand(ScriptVerb verb, Token first, bool isMap, List<ScriptCommand> into)
    {
        var (family, table) = ParseTableSpec();
        if (AcceptHandle(out ulong h, out var hs))
        {
            into.Add(new SetCommand { Verb = verb, Family = family, Table = table.Text, Name = "", Handle = h, IsMap = isMap, Span = first.Span.To(hs) });
            return;
        }
        var name = ExpectName();
        SetDecl? decl = null;
        if (verb is ScriptVerb.Add or ScriptVerb.Create)
        {
            decl = new SetDecl();
            ParseSetBody(decl, isMap);
        }
        into.Add(new SetCommand { Verb = verb, Family = family, Table = table.Text, Name = name.Text, NameSpan = name.Span, IsMap = isMap,
            Decl = decl, Span = first.Span.To(name.Span) });
    }

    private void ParseSetBody(SetDecl decl, bool isMap)
    {
        ExpectPunct("{");
        while (true)
        {
            while (Cur.Kind == TokenKind.Separator) Skip();
            if (AcceptPunct("}")) return;
            var t = Cur;
            if (t.Kind != TokenKind.Word) throw Unexpected();
            switch (t.Text)
            {
                case "type":
                {
                    Take();
                    var start = Cur.Span;
                    ParseTypeList(decl.KeyTypes);
                    decl.KeySpan = start.To(Previous.Span);
                    if (AcceptPunct(":"))
                    {
                        if (!isMap) throw new NftSyntaxException(Previous.Span, "syntax error, unexpected colon");
                        if (AcceptWord("interval")) decl.DataInterval = true;
                        var ds = Cur.Span;
                        decl.DataTypes = new List<Token>();
                        ParseTypeList(decl.DataTypes);
                        decl.DataSpan = ds.To(Previous.Span);
                    }
                    break;
                }
                case "typeof":
                {
                    Take();
                    decl.Typeof = true;
                    var start = Cur.Span;
                    decl.KeyExpr = ParseTypeofExpression();
                    decl.KeySpan = start.To(Previous.Span);
                    if (AcceptPunct(":"))
                    {
                        if (AcceptWord("interval")) decl.DataInterval = true;
                        var ds = Cur.Span;
                        if (AtWord("verdict") || AtWord("counter") || AtWord("quota") || AtWord("limit") || AtWord("secmark") || AtWord("synproxy"))
                            decl.DataTypes = new List<Token> { Take() };
                        else
                        {
                            decl.DataTypeof = true;
                            decl.DataExpr = ParseTypeofExpression();
                        }
                        decl.DataSpan = ds.To(Previous.Span);
                    }
                    break;
                }
                case "flags":
                    Take();
                    do decl.Flags.Add(ExpectWord()); while (AcceptPunct(","));
                    break;
                case "timeout": Take(); decl.TimeoutMs = ParseTimeToken(ExpectWord()); break;
                case "gc-interval": Take(); decl.GcIntervalMs = ParseTimeToken(ExpectWord()); break;
                case "size": Take(); decl.Size = (uint)ExpectNumberAtMost(uint.MaxValue); break;
                case "policy":
                {
                    Take();
                    var p = ExpectWord();
                    if (p.Text is not ("performance" or "memory")) throw Unexpected(p);
                    decl.Policy = p;
                    break;
                }
                case "auto-merge": Take(); decl.AutoMerge = true; break;
                case "comment": Take(); decl.Comment = ExpectComment(); break;
                case "elements":
                {
                    Take();
                    ExpectPunct("=");
                    var set = ParseElementsLiteral();
                    if (decl.Elements is null) decl.Elements = set;
                    else decl.Elements.Elements.AddRange(set.Elements);
                    break;
                }
                case "counter" or "limit" or "quota" or "last" or "ct":
                    do decl.Statements.Add(ParseStatement());
                    while (Cur.Kind == TokenKind.Word && Cur.Text is "counter" or "limit" or "quota" or "last");
                    break;
                default: throw Unexpected();
            }
            // nft's set_block takes `elements = { ... }` without a separator after it; every other item needs one,
            // and after a type list or a flag list nft also names the token that would have continued the list.
            if (t.Text != "elements") ExpectItemSeparator(t.Text switch { "type" => " or .", "flags" => " or comma", _ => "" });
        }
    }

    private void ParseTypeList(List<Token> into)
    {
        while (true)
        {
            var t = Cur.Kind == TokenKind.Variable ? ExpectName() : ExpectWord();
            foreach (var part in t.Text.Split('.', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                into.Add(t with { Text = part });
            if (!AcceptPunct(".")) break;
        }
    }

    private Node ParseTypeofExpression() => ParseExpression(lhs: true);

    private SetNode ParseElementsLiteral()
    {
        if (Cur.Kind == TokenKind.Variable)
        {
            var v = Take();
            var node = ExpandVariable(v, p => p.AtPunct("{") ? p.ParseSetLiteral() : p.ParseRhs());
            if (node is SetNode s) return s;
            var set = new SetNode { Span = v.Span };
            set.Elements.Add(node);
            return set;
        }
        if (!AtPunct("{")) throw Unexpected();
        return ParseSetLiteral();
    }

    private void ParseElementCommand(ScriptVerb verb, Token first, List<ScriptCommand> into)
    {
        var (family, table) = ParseTableSpec();
        var set = ExpectName();
        var elems = ParseElementsLiteral();
        into.Add(new ElementCommand { Verb = verb, Family = family, Table = table.Text, Set = set.Text, SetSpan = set.Span, Elements = elems,
            Span = first.Span.To(elems.Span) });
    }
}
