using NftPS.Language.Syntax;
using NftPS.NfTables;

namespace NftPS.Language.Script;

/// <summary>Stateful objects (counter, quota, limit, ct helper/timeout/expectation, synproxy, secmark) and flowtables.</summary>
internal sealed partial class ScriptParser
{
    // ------------------------------------------------------------------ stateful objects and flowtables

    private void ParseObjectCommand(ScriptVerb verb, Token first, string kind, List<ScriptCommand> into)
    {
        var (family, table) = ParseTableSpec();
        if (AcceptHandle(out ulong h, out var hs))
        {
            into.Add(new ObjectCommand { Verb = verb, Family = family, Table = table.Text, Kind = kind, Name = "", Handle = h, Span = first.Span.To(hs) });
            return;
        }
        into.Add(ParseObjectDecl(verb, first, family, table.Text, kind, allowBare: true));
    }

    private ObjectCommand ParseObjectDecl(ScriptVerb verb, Token first, NftFamily family, string table, string kind, bool allowBare = false)
    {
        var name = ExpectName();
        var obj = new ObjectCommand { Verb = verb, Family = family, Table = table, Kind = kind, Name = name.Text, NameSpan = name.Span, Span = first.Span.To(name.Span) };
        if (verb is not (ScriptVerb.Add or ScriptVerb.Create)) return obj;
        bool block = AcceptPunct("{");
        if (!block)
        {
            // add counter t c [packets N bytes N]; add quota t q [over] 10 mbytes; add limit t l rate 10/second
            ParseObjectSpec(obj, inline: true);
            return obj;
        }
        while (true)
        {
            while (Cur.Kind == TokenKind.Separator) Skip();
            if (AcceptPunct("}")) break;
            if (AtWord("comment")) { Take(); obj.Comment = ExpectComment(); }
            else ParseObjectSpec(obj, inline: false);
            // A ct helper/timeout/expectation block is a list of statements, each ended by a separator as in a
            // chain; the counter, quota, limit, synproxy and secmark blocks hold one spec whose separator is optional.
            if (kind.StartsWith("ct ", StringComparison.Ordinal)) ExpectItemSeparator();
            else if (Cur.Kind != TokenKind.Separator && !AtPunct("}"))
                throw new NftSyntaxException(Cur.Span, $"syntax error, unexpected {Cur.Describe()}, expecting newline or semicolon");
        }
        return obj;
    }

    private void ParseObjectSpec(ObjectCommand obj, bool inline)
    {
        var o = obj.Options;
        switch (obj.Kind)
        {
            case "counter":
                while (AtWord("packets") || AtWord("bytes"))
                {
                    string k = Take().Text;
                    o[k] = ExpectNumber();
                    obj.HasSpec = true;
                }
                break;
            case "quota":
                if (inline && (Cur.Kind is TokenKind.Separator or TokenKind.EndOfInput)) break;
                ParseQuotaSpec(o);
                obj.HasSpec = true;
                break;
            case "limit":
                if (inline && (Cur.Kind is TokenKind.Separator or TokenKind.EndOfInput)) break;
                ExpectWord("rate");
                ParseLimitSpec(o);
                obj.HasSpec = true;
                break;
            case "ct helper":
                while (Cur.Kind == TokenKind.Word)
                {
                    var k = Take();
                    switch (k.Text)
                    {
                        case "type":
                            o["type"] = ExpectStringToken();
                            ExpectWord("protocol");
                            o["protocol"] = ExpectWord();
                            break;
                        case "l3proto": o["l3proto"] = ExpectWord(); break;
                        default: throw Unexpected(k);
                    }
                    if (Cur.Kind == TokenKind.Separator && PeekTok().Kind == TokenKind.Word && PeekTok().Text is "l3proto") Skip();
                }
                obj.HasSpec = true;
                break;
            case "ct timeout" when !inline:
                ParseCtTimeoutStatement(o);
                obj.HasSpec = true;
                break;
            default:
                // ct expectation, synproxy, secmark: keep the raw words.
                var words = new List<Token>();
                while (Cur.Kind is not (TokenKind.Separator or TokenKind.EndOfInput) && !AtPunct("}")) words.Add(Take());
                o.TryAdd("words", new List<Token>());
                ((List<Token>)o["words"]!).AddRange(words);
                obj.HasSpec = true;
                break;
        }
    }

    /// <summary>One statement of a ct timeout block, as nft 1.0.6 reads it: `protocol tcp|udp`, `l3proto FAMILY`, or
    /// `policy = { STATE : SECONDS, ... }` (several policy lines add up). States are checked by the evaluator, which
    /// knows the protocol.</summary>
    private void ParseCtTimeoutStatement(Dictionary<string, object?> o)
    {
        var k = ExpectWord();
        switch (k.Text)
        {
            case "protocol":
                var p = ExpectWord();
                if (p.Text is not ("tcp" or "udp"))
                    throw new NftSyntaxException(p.Span, $"syntax error, unexpected {p.Text}, expecting udp or tcp");
                o["protocol"] = p;
                break;
            case "l3proto": o["l3proto"] = ExpectWord(); break;
            case "policy":
                ExpectPunct("=");
                ExpectPunct("{");
                if (!o.TryGetValue("policy", out var existing) || existing is not List<(Token State, ulong Seconds)> states)
                    o["policy"] = states = new List<(Token, ulong)>();
                do
                {
                    var state = ExpectWord();
                    ExpectPunct(":");
                    states.Add((state, ExpectNumberAtMost(uint.MaxValue)));
                } while (AcceptPunct(","));
                ExpectPunct("}");
                break;
            default: throw Unexpected(k);
        }
    }

    private void ParseFlowtableCommand(ScriptVerb verb, Token first, List<ScriptCommand> into)
    {
        var (family, table) = ParseTableSpec();
        if (AcceptHandle(out ulong h, out var hs))
        {
            into.Add(new FlowtableCommand { Verb = verb, Family = family, Table = table.Text, Name = "", Handle = h, Span = first.Span.To(hs) });
            return;
        }
        into.Add(ParseFlowtableDecl(verb, first, family, table.Text));
    }

    private FlowtableCommand ParseFlowtableDecl(ScriptVerb verb, Token first, NftFamily family, string table)
    {
        var name = ExpectName();
        var ft = new FlowtableCommand { Verb = verb, Family = family, Table = table, Name = name.Text, Span = first.Span.To(name.Span) };
        if (!AcceptPunct("{")) return ft;
        while (true)
        {
            while (Cur.Kind == TokenKind.Separator) Skip();
            if (AcceptPunct("}")) break;
            var t = ExpectWord();
            switch (t.Text)
            {
                case "hook":
                    ft.Hook = ExpectWord();
                    ExpectWord("priority");
                    var (n, off, span) = ParsePriority();
                    ft.PriorityName = n; ft.PriorityOffset = off; ft.PrioritySpan = span;
                    break;
                case "devices": ExpectPunct("="); ft.Devices.AddRange(ParseDeviceList()); break;
                case "counter": ft.Counter = true; break;
                case "flags": do { if (ExpectWord().Text == "offload") ft.Offload = true; } while (AcceptPunct(",")); break;
                default: throw Unexpected(t);
            }
            ExpectItemSeparator();
        }
        return ft;
    }
}
