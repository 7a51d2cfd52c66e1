using NftPS.Language.Script;
using NftPS.NfTables;

namespace NftPS.Language.Syntax;

/// <summary>nft file grammar (parser_bison.y, command part): commands, `table { }` blocks, define/include.
/// Rule bodies inside chains are parsed by the rule parser in place, so errors point into the file.</summary>
internal sealed partial class Parser
{
    /// <summary>Resolves `include "name"` from the file being parsed: returns the commands of the included file(s).</summary>
    internal Func<string, SourceSpan, Definitions, IEnumerable<ScriptCommand>>? IncludeHandler { get; init; }

    internal Parser(SourceText source, Definitions definitions, Func<string, SourceSpan, Definitions, IEnumerable<ScriptCommand>>? include)
        : this(source, definitions) => IncludeHandler = include;

    internal Definitions DefinitionsInScope => _defs;

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
            while (Cur.Kind == TokenKind.Separator) _pos++;
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
                    if (Cur.Kind == TokenKind.Separator) { _pos++; continue; }
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
            while (Cur.Kind is not (TokenKind.Separator or TokenKind.EndOfInput)) _pos++;
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

    // ------------------------------------------------------------------ table

    private void ParseTableCommand(ScriptVerb verb, Token first, List<ScriptCommand> into)
    {
        var family = ParseFamilyOpt();
        if (AcceptHandle(out ulong h, out var hs))
        {
            into.Add(new TableCommand { Verb = verb, Family = family, Table = "", Handle = h, Span = first.Span.To(hs) });
            return;
        }
        var name = ExpectName();
        var table = new TableCommand { Verb = verb, Family = family, Table = name.Text, Span = first.Span.To(name.Span) };
        if (verb is not (ScriptVerb.Add or ScriptVerb.Create) || !AtPunct("{"))
        {
            into.Add(table);
            return;
        }
        into.Add(table);
        Take();
        var chains = new List<ChainCommand>();
        var objects = new List<ScriptCommand>();
        var sets = new List<ScriptCommand>();
        var flowtables = new List<ScriptCommand>();
        var rules = new List<ScriptCommand>();
        while (true)
        {
            while (Cur.Kind == TokenKind.Separator) _pos++;
            if (AcceptPunct("}")) break;
            var t = Cur;
            if (t.Kind != TokenKind.Word) throw Unexpected();
            switch (t.Text)
            {
                case "flags":
                    Take();
                    do
                    {
                        var f = ExpectWord();
                        table.Flags |= f.Text switch
                        {
                            "dormant" => 1u, "owner" => 2u, "persist" => 4u,
                            _ => throw new NftSyntaxException(f.Span, $"unknown table option {f.Text}"),
                        };
                    } while (AcceptPunct(","));
                    break;
                case "comment":
                    Take();
                    table.Comment = ExpectComment();
                    break;
                case "chain":
                {
                    Take();
                    var cname = ExpectName();
                    var chain = new ChainCommand { Verb = ScriptVerb.Add, Family = family, Table = name.Text, Name = cname.Text, NameSpan = cname.Span, Span = t.Span.To(cname.Span) };
                    chains.Add(chain);
                    ParseChainBody(chain, rules);
                    break;
                }
                case "set" or "map":
                {
                    Take();
                    var sname = ExpectName();
                    var decl = new SetDecl();
                    sets.Add(new SetCommand { Verb = ScriptVerb.Add, Family = family, Table = name.Text, Name = sname.Text, NameSpan = sname.Span,
                        IsMap = t.Text == "map", Decl = decl, Span = t.Span.To(sname.Span) });
                    ParseSetBody(decl, t.Text == "map");
                    break;
                }
                case "counter" or "quota" or "limit" or "synproxy" or "secmark":
                    Take();
                    objects.Add(ParseObjectDecl(ScriptVerb.Add, t, family, name.Text, t.Text));
                    break;
                case "ct":
                {
                    Take();
                    var kind = ExpectWord();
                    if (kind.Text is not ("helper" or "timeout" or "expectation")) throw Unexpected(kind);
                    objects.Add(ParseObjectDecl(ScriptVerb.Add, t, family, name.Text, "ct " + kind.Text));
                    break;
                }
                case "flowtable":
                    Take();
                    flowtables.Add(ParseFlowtableDecl(ScriptVerb.Add, t, family, name.Text));
                    break;
                default: throw Unexpected();
            }
            if (Cur.Kind != TokenKind.Separator && !AtPunct("}"))
                throw new NftSyntaxException(Cur.Span, $"syntax error, unexpected {Cur.Describe()}, expecting newline or semicolon");
        }
        into.AddRange(chains);
        into.AddRange(objects);
        into.AddRange(sets);
        into.AddRange(flowtables);
        into.AddRange(rules);
    }

    // ------------------------------------------------------------------ chain

    private void ParseChainCommand(ScriptVerb verb, Token first, List<ScriptCommand> into)
    {
        var (family, table) = ParseTableSpec();
        if (AcceptHandle(out ulong h, out var hs))
        {
            into.Add(new ChainCommand { Verb = verb, Family = family, Table = table.Text, Name = "", Handle = h, Span = first.Span.To(hs) });
            return;
        }
        var name = ExpectName();
        if (verb == ScriptVerb.Rename)
        {
            var newName = ExpectName();
            into.Add(new ChainCommand { Verb = verb, Family = family, Table = table.Text, Name = name.Text, NameSpan = name.Span, NewName = newName.Text,
                Span = first.Span.To(newName.Span) });
            return;
        }
        var chain = new ChainCommand { Verb = verb, Family = family, Table = table.Text, Name = name.Text, NameSpan = name.Span, Span = first.Span.To(name.Span) };
        into.Add(chain);
        if (verb is ScriptVerb.Add or ScriptVerb.Create && AtPunct("{"))
        {
            var rules = new List<ScriptCommand>();
            ParseChainBody(chain, rules);
            into.AddRange(rules);
        }
    }

    private void ParseChainBody(ChainCommand chain, List<ScriptCommand> rules)
    {
        ExpectPunct("{");
        while (true)
        {
            while (Cur.Kind == TokenKind.Separator) _pos++;
            if (AcceptPunct("}")) return;
            var t = Cur;
            if (t.IsWord("type") && PeekTok().Kind == TokenKind.Word && (PeekTok(2).IsWord("hook")))
            {
                chain.Hook = ParseHookSpec();
            }
            else if (t.IsWord("policy") && PeekTok().Kind is TokenKind.Word or TokenKind.Variable)
            {
                Take();
                var p = ExpectName();
                if (p.Text is not ("accept" or "drop")) throw new NftSyntaxException(p.Span, $"syntax error, unexpected {p.Text}");
                chain.Policy = p;
            }
            else if (t.IsWord("comment"))
            {
                Take();
                chain.Comment = ExpectComment();
            }
            else if (t.IsWord("devices") && PeekTok().IsPunct("="))
            {
                // `devices = { ... }` on its own line (newer syntax); attach to the hook.
                Take(); Take();
                var devs = ParseDeviceList();
                chain.Hook?.Devices.AddRange(devs);
            }
            else
            {
                var rule = ParseRuleBody(stopAtSeparator: true);
                rules.Add(new RuleCommand { Verb = ScriptVerb.Add, Family = chain.Family, Table = chain.Table, Chain = chain.Name,
                    ChainSpan = chain.NameSpan, Rule = rule, Span = rule.Span });
            }
            if (Cur.Kind != TokenKind.Separator && !AtPunct("}"))
                throw new NftSyntaxException(Cur.Span, $"syntax error, unexpected {Cur.Describe()}, expecting newline or semicolon");
        }
    }

    private ChainHookDecl ParseHookSpec()
    {
        ExpectWord("type");
        var type = ExpectWord();
        ExpectWord("hook");
        var hook = ExpectWord();
        var devices = new List<string>();
        if (AcceptWord("device"))
        {
            if (AtPunct("{")) devices.AddRange(ParseDeviceList());
            else devices.Add(ExpectName().Text);
        }
        else if (AtWord("devices"))
        {
            Take();
            ExpectPunct("=");
            devices.AddRange(ParseDeviceList());
        }
        Token? prioName = null;
        int offset = 0;
        SourceSpan prioSpan = Cur.Span;
        if (AcceptWord("priority"))
            (prioName, offset, prioSpan) = ParsePriority();
        var decl = new ChainHookDecl { Type = type, Hook = hook, PriorityName = prioName, PriorityOffset = offset, PrioritySpan = prioSpan };
        decl.Devices.AddRange(devices);
        return decl;
    }

    private List<string> ParseDeviceList()
    {
        var list = new List<string>();
        if (Cur.Kind == TokenKind.Variable)
        {
            var v = Take();
            var def = Resolve(v);
            foreach (var t in def.Tokens)
                if (t.Kind is TokenKind.Word or TokenKind.QuotedString) list.Add(t.Text);
            return list;
        }
        if (!AtPunct("{"))
        {
            list.Add(ExpectName().Text);
            return list;
        }
        Take();
        while (true)
        {
            while (Cur.Kind == TokenKind.Separator) _pos++;
            if (AcceptPunct("}")) break;
            if (Cur.Kind == TokenKind.Variable) list.AddRange(ParseDeviceList());
            else
            {
                var dev = ExpectName();
                // `eth*`: a wildcard device name glued to its asterisk.
                if (AtPunct("*") && !Cur.SpaceBefore) { Take(); list.Add(dev.Text + "*"); }
                else list.Add(dev.Text);
            }
            while (Cur.Kind == TokenKind.Separator) _pos++;
            AcceptPunct(",");
        }
        return list;
    }

    /// <summary>`filter`, `filter + 10`, `-10`, `$var`: a name (or null) and an offset.</summary>
    private (Token? Name, int Offset, SourceSpan Span) ParsePriority()
    {
        var start = Cur;
        if (Cur.Kind == TokenKind.Variable)
        {
            var v = Take();
            var def = Resolve(v);
            var sub = new Parser(new List<Token>(def.Tokens) { new(TokenKind.EndOfInput, "", v.Span, false) }, _defs) { _nesting = _nesting };
            sub.Deeper(v);
            var (n, o, _) = sub.ParsePriority();
            return (n is null ? null : n with { Span = v.Span }, o, v.Span);
        }
        Token? name = null;
        int value = 0;
        if (AcceptPunct("-")) value = PriorityNumber(ExpectWord(), negative: true);
        else if (IsNumber(Cur)) value = PriorityNumber(Take(), negative: false);
        else if (Cur.Kind is TokenKind.Word or TokenKind.QuotedString) name = Take();
        else throw Unexpected();
        if (name is not null)
        {
            if (AcceptPunct("+")) value = PriorityNumber(ExpectWord(), negative: false);
            else if (AcceptPunct("-")) value = PriorityNumber(ExpectWord(), negative: true);
        }
        return (name, value, start.Span.To(_tokens[_pos - 1].Span));
    }

    /// <summary>A chain priority is a signed 32-bit number; nft wraps larger ones silently (`raw - 2147483647` becomes
    /// 2147483349), we refuse them. The sum with a named priority is checked by the evaluator.</summary>
    private int PriorityNumber(Token t, bool negative)
    {
        ulong v = ParseUnsigned(t);
        if (v > (negative ? 2147483648UL : int.MaxValue))
            throw new NftEvaluationException(t.Span, $"priority value out of range: a chain priority is a 32-bit signed number ({int.MinValue} to {int.MaxValue})");
        return negative ? (int)-(long)v : (int)v;
    }

    // ------------------------------------------------------------------ rule

    private void ParseRuleCommand(ScriptVerb verb, Token first, List<ScriptCommand> into)
    {
        var (family, table) = ParseTableSpec();
        var chain = ExpectName();
        ulong? handle = null, position = null, index = null;
        if (AtWord("handle")) { Take(); handle = ExpectNumber(); }
        else if (AtWord("position")) { Take(); position = ExpectNumber(); }
        else if (AtWord("index")) { Take(); index = ExpectNumber(); }
        RuleNode? rule = null;
        if (verb is not (ScriptVerb.Delete or ScriptVerb.Destroy or ScriptVerb.Reset))
            rule = ParseRuleBody(stopAtSeparator: true);
        if (verb == ScriptVerb.Replace && handle is null) throw new NftSyntaxException(chain.Span, "replace rule needs a handle");
        if (verb is ScriptVerb.Delete or ScriptVerb.Destroy && handle is null)
            throw new NftSyntaxException(Cur.Span, $"syntax error, unexpected {Cur.Describe()}, expecting handle");
        if (verb is ScriptVerb.Add or ScriptVerb.Insert && handle is not null) { position = handle; handle = null; }
        into.Add(new RuleCommand { Verb = verb, Family = family, Table = table.Text, Chain = chain.Text, ChainSpan = chain.Span,
            Rule = rule, Handle = handle, Position = position, Index = index, Span = first.Span.To(_tokens[_pos - 1].Span) });
    }

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
            while (Cur.Kind == TokenKind.Separator) _pos++;
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
                    decl.KeySpan = start.To(_tokens[_pos - 1].Span);
                    if (AcceptPunct(":"))
                    {
                        if (!isMap) throw new NftSyntaxException(_tokens[_pos - 1].Span, "syntax error, unexpected colon");
                        if (AcceptWord("interval")) decl.DataInterval = true;
                        var ds = Cur.Span;
                        decl.DataTypes = new List<Token>();
                        ParseTypeList(decl.DataTypes);
                        decl.DataSpan = ds.To(_tokens[_pos - 1].Span);
                    }
                    break;
                }
                case "typeof":
                {
                    Take();
                    decl.Typeof = true;
                    var start = Cur.Span;
                    decl.KeyExpr = ParseTypeofExpression();
                    decl.KeySpan = start.To(_tokens[_pos - 1].Span);
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
                        decl.DataSpan = ds.To(_tokens[_pos - 1].Span);
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
            if (Cur.Kind != TokenKind.Separator && !AtPunct("}"))
                throw new NftSyntaxException(Cur.Span, $"syntax error, unexpected {Cur.Describe()}, expecting newline or semicolon");
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
            while (Cur.Kind == TokenKind.Separator) _pos++;
            if (AcceptPunct("}")) break;
            if (AtWord("comment")) { Take(); obj.Comment = ExpectComment(); }
            else ParseObjectSpec(obj, inline: false);
            if (Cur.Kind != TokenKind.Separator && !AtPunct("}"))
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
                    if (Cur.Kind == TokenKind.Separator && PeekTok().Kind == TokenKind.Word && PeekTok().Text is "l3proto") _pos++;
                }
                obj.HasSpec = true;
                break;
            default:
                // ct timeout/expectation, synproxy, secmark: keep the raw words.
                var words = new List<Token>();
                while (Cur.Kind is not (TokenKind.Separator or TokenKind.EndOfInput) && !AtPunct("}")) words.Add(Take());
                o.TryAdd("words", new List<Token>());
                ((List<Token>)o["words"]!).AddRange(words);
                obj.HasSpec = true;
                break;
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
            while (Cur.Kind == TokenKind.Separator) _pos++;
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
            if (Cur.Kind != TokenKind.Separator && !AtPunct("}"))
                throw new NftSyntaxException(Cur.Span, $"syntax error, unexpected {Cur.Describe()}, expecting newline or semicolon");
        }
        return ft;
    }
}
