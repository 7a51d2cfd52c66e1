using NftPS.Language.Syntax;
using NftPS.NfTables;

namespace NftPS.Language.Script;

/// <summary>nft file grammar (parser_bison.y, command part): commands, `table { }` blocks, define/include.
/// The commands are this parser's; everything inside them (rule bodies, expressions, set literals, values, limits and
/// quotas, the nesting bound) is the Syntax <see cref="Parser"/>'s, reached through its internal token cursor
/// (<c>ScriptParser.Cursor.cs</c>), so errors point into the file exactly as one parser's would.</summary>
internal sealed partial class ScriptParser
{
    /// <summary>Resolves `include "name"` from the file being parsed: returns the commands of the included file(s).</summary>
    internal Func<string, SourceSpan, Definitions, IEnumerable<ScriptCommand>>? IncludeHandler { get; init; }

    internal ScriptParser(SourceText source, Definitions definitions, Func<string, SourceSpan, Definitions, IEnumerable<ScriptCommand>>? include)
        : this(new Parser(source, definitions), definitions) => IncludeHandler = include;

    private static readonly Dictionary<string, NftFamily> FamilyWords = new()
    {
        ["ip"] = NftFamily.Ip, ["ip6"] = NftFamily.Ip6, ["inet"] = NftFamily.Inet, ["arp"] = NftFamily.Arp,
        ["bridge"] = NftFamily.Bridge, ["netdev"] = NftFamily.Netdev,
    };

    /// <summary>Parses a whole file into commands (table blocks expanded in nft's order).</summary>
    internal List<ScriptCommand> ParseScript()
    {
        var commands = new List<ScriptCommand>();
        while (true)
        {
            while (Cur.Kind == TokenKind.Separator) Skip();
            if (Cur.Kind == TokenKind.EndOfInput) break;
            ParseCommand(commands);
            if (Cur.Kind is not (TokenKind.Separator or TokenKind.EndOfInput))
                throw new NftSyntaxException(Cur.Span, $"syntax error, unexpected {Cur.Describe()}, expecting newline or semicolon");
        }
        return commands;
    }

    /// <summary>A definition's `$names` must already be defined (nft: "unknown identifier"); each is bound to the
    /// definition it names now, so no later (re)definition can make `$a` reach itself. A definition that is one variable
    /// takes that variable's tokens: a chain of 20,000 such aliases (nft loads it) expands in one step, not 20,000 nested
    /// ones.</summary>
    private List<Token> BindVariables(List<Token> tokens)
    {
        for (int i = 0; i < tokens.Count; i++)
            if (tokens[i].Kind == TokenKind.Variable && tokens[i].Bound is null)
                tokens[i] = tokens[i] with { Bound = Resolve(tokens[i]) };
        return tokens.Count == 1 && tokens[0].Bound is { } alias ? new List<Token>(alias.Tokens) : tokens;
    }

    private void ParseCommand(List<ScriptCommand> into)
    {
        var first = Cur;
        if (first.Kind != TokenKind.Word) throw Unexpected();
        switch (first.Text)
        {
            case "define" or "redefine":
            {
                Take();
                var name = ExpectWord();
                ExpectPunct("=");
                var tokens = new List<Token>();
                int depth = 0;
                while (Cur.Kind != TokenKind.EndOfInput && !(depth == 0 && Cur.Kind == TokenKind.Separator))
                {
                    if (AtPunct("{")) depth++;
                    else if (AtPunct("}")) depth--;
                    if (Cur.Kind == TokenKind.Separator) { Skip(); continue; }
                    tokens.Add(Take());
                }
                if (tokens.Count == 0) throw Unexpected();
                // As nft: `define` of a name visible here is an error; `redefine` is how a file replaces one.
                if (first.Text == "define" && _defs.Lookup(name.Text) is not null)
                    throw new NftSyntaxException(name.Span, $"redefinition of symbol '{name.Text}'");
                _defs.Define(name.Text, BindVariables(tokens), name.Span);
                return;
            }
            case "undefine":
            {
                Take();
                var name = ExpectWord();
                if (!_defs.Undefine(name.Text)) throw new NftSyntaxException(name.Span, $"undefined symbol '{name.Text}'");
                return;
            }
            case "include":
            {
                Take();
                var file = Cur;
                if (file.Kind != TokenKind.QuotedString) throw Unexpected();
                Take();
                if (IncludeHandler is null) throw new NftSyntaxException(file.Span, "include is not allowed here");
                // nft points its include errors at the whole statement.
                into.AddRange(IncludeHandler(file.Text, first.Span.To(file.Span), _defs));
                return;
            }
        }
        ScriptVerb verb;
        switch (first.Text)
        {
            case "add": verb = ScriptVerb.Add; Take(); break;
            case "create": verb = ScriptVerb.Create; Take(); break;
            case "insert": verb = ScriptVerb.Insert; Take(); break;
            case "replace": verb = ScriptVerb.Replace; Take(); break;
            case "delete": verb = ScriptVerb.Delete; Take(); break;
            case "destroy": verb = ScriptVerb.Destroy; Take(); break;
            case "flush": verb = ScriptVerb.Flush; Take(); break;
            case "reset": verb = ScriptVerb.Reset; Take(); break;
            case "rename": verb = ScriptVerb.Rename; Take(); break;
            case "list": verb = ScriptVerb.List; Take(); break;
            case "table" or "chain" or "rule" or "set" or "map" or "element" or "counter" or "quota" or "limit" or "ct"
                or "flowtable" or "synproxy" or "secmark":
                verb = ScriptVerb.Add; break;
            default: throw Unexpected();
        }
        var objTok = Cur;
        if (objTok.Kind != TokenKind.Word) throw Unexpected();
        if (verb == ScriptVerb.List)
        {
            // Listing commands change nothing; skip to the end of the command.
            while (Cur.Kind is not (TokenKind.Separator or TokenKind.EndOfInput)) Skip();
            return;
        }
        switch (objTok.Text)
        {
            case "ruleset":
            {
                Take();
                if (verb is not (ScriptVerb.Flush or ScriptVerb.Reset)) throw Unexpected(objTok);
                var fam = NftFamily.Unspecified;
                if (Cur.Kind == TokenKind.Word && FamilyWords.TryGetValue(Cur.Text, out var f)) { Take(); fam = f; }
                into.Add(new RulesetCommand { Verb = verb, Family = fam, Span = first.Span.To(objTok.Span) });
                return;
            }
            case "table": Take(); ParseTableCommand(verb, first, into); return;
            case "chain": Take(); ParseChainCommand(verb, first, into); return;
            case "rule": Take(); ParseRuleCommand(verb, first, into); return;
            case "set" or "map": Take(); ParseSetCommand(verb, first, objTok.Text == "map", into); return;
            case "element": Take(); ParseElementCommand(verb, first, into); return;
            case "counter" or "quota" or "limit" or "synproxy" or "secmark":
                Take(); ParseObjectCommand(verb, first, objTok.Text, into); return;
            case "counters" or "quotas" when verb == ScriptVerb.Reset:
                Take(); ParseObjectsReset(first, objTok, objTok.Text == "quotas" ? "quota" : "counter", into); return;
            case "counters" or "quotas" or "limits" or "sets" or "maps" or "chains" or "tables" or "rules" or "elements":
                throw new NftSyntaxException(objTok.Span, $"{objTok.Text}: not supported in a batch");
            case "ct":
            {
                Take();
                var kind = ExpectWord();
                if (kind.Text is not ("helper" or "timeout" or "expectation")) throw Unexpected(kind);
                ParseObjectCommand(verb, first, "ct " + kind.Text, into);
                return;
            }
            case "flowtable": Take(); ParseFlowtableCommand(verb, first, into); return;
        }
        throw Unexpected(objTok);
    }

    /// <summary>nft 1.0.6's `reset counters [family]` / `reset counters table [family] name` (and quotas).</summary>
    private void ParseObjectsReset(Token first, Token word, string kind, List<ScriptCommand> into)
    {
        if (AtWord("table"))
        {
            Take();
            var (family, table) = ParseTableSpec();
            into.Add(new ObjectsResetCommand { Verb = ScriptVerb.Reset, Family = family, Table = table.Text, Kind = kind, Span = first.Span.To(table.Span) });
            return;
        }
        var fam = NftFamily.Unspecified;
        var end = word.Span;
        if (Cur.Kind == TokenKind.Word && FamilyWords.TryGetValue(Cur.Text, out var f)) { end = Cur.Span; Take(); fam = f; }
        into.Add(new ObjectsResetCommand { Verb = ScriptVerb.Reset, Family = fam, Kind = kind, Span = first.Span.To(end) });
    }

    // ------------------------------------------------------------------ object names

    private NftFamily ParseFamilyOpt()
    {
        if (Cur.Kind == TokenKind.Word && FamilyWords.TryGetValue(Cur.Text, out var f) &&
            PeekTok().Kind is TokenKind.Word or TokenKind.QuotedString or TokenKind.Variable)
        {
            Take();
            return f;
        }
        return NftFamily.Ip;
    }

    private (NftFamily Family, Token Table) ParseTableSpec() => (ParseFamilyOpt(), ExpectName());

    private bool AcceptHandle(out ulong handle, out SourceSpan span)
    {
        handle = 0;
        span = Cur.Span;
        if (!AtWord("handle")) return false;
        Take();
        var t = ExpectWord();
        handle = ParseUnsigned(t);
        span = t.Span;
        return true;
    }
}
