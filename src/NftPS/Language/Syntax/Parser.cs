using NftPS.Language.Protocols;

namespace NftPS.Language.Syntax;

/// <summary>Recursive-descent parser for nft rules (nftables' parser_bison.y, rule part). Symbols stay unresolved:
/// `22`, `ssh`, `established` are <see cref="SymbolNode"/>s until the evaluator knows their type.</summary>
internal sealed partial class Parser
{
    private readonly List<Token> _tokens;
    private int _pos;
    private readonly Definitions _defs;
    private int _boundChainDepth;

    public Parser(SourceText source, Definitions? definitions = null)
    {
        _tokens = Lexer.Tokenize(source);
        _defs = definitions ?? new Definitions();
    }

    private Parser(List<Token> tokens, Definitions defs)
    {
        _tokens = tokens;
        _defs = defs;
    }

    /// <summary>Parses one rule (the part after `add rule FAMILY TABLE CHAIN`).</summary>
    public static RuleNode ParseRule(string text, Definitions? definitions = null) =>
        ParseRule(new SourceText(text), definitions);

    public static RuleNode ParseRule(SourceText source, Definitions? definitions = null)
    {
        var p = new Parser(source, definitions);
        while (p.Cur.Kind == TokenKind.Separator) p._pos++;
        var rule = p.ParseRuleBody(stopAtSeparator: true);
        while (p.Cur.Kind == TokenKind.Separator) p._pos++;
        if (p.Cur.Kind != TokenKind.EndOfInput) throw p.Unexpected();
        return rule;
    }

    // ------------------------------------------------------------------ token helpers

    // The token cursor is internal: the command grammar (Script's ScriptParser) walks the same tokens with it and
    // hands rule bodies, expressions and values back to this parser, so one position and one nesting count hold.
    internal Token Cur => _tokens[_pos];
    internal Token PeekTok(int n = 1) => _tokens[Math.Min(_pos + n, _tokens.Count - 1)];
    internal Token Take() => _tokens[_pos++];
    /// <summary>Steps over the current token (a separator the caller has looked at).</summary>
    internal void Skip() => _pos++;
    /// <summary>The token just taken, for the end of a span.</summary>
    internal Token Previous => _tokens[_pos - 1];
    internal bool AtWord(string w) => Cur.IsWord(w);
    internal bool AtPunct(string p) => Cur.IsPunct(p);
    private bool AtEnd => Cur.Kind is TokenKind.EndOfInput or TokenKind.Separator || AtPunct("}");

    internal bool AcceptWord(string w)
    {
        if (!AtWord(w)) return false;
        _pos++;
        return true;
    }

    internal bool AcceptPunct(string p)
    {
        if (!AtPunct(p)) return false;
        _pos++;
        return true;
    }

    internal NftSyntaxException Unexpected() => Unexpected(Cur);

    internal static NftSyntaxException Unexpected(Token t) => new(t.Span, $"syntax error, unexpected {t.Describe()}");

    internal Token ExpectWord()
    {
        if (Cur.Kind != TokenKind.Word) throw Unexpected();
        return Take();
    }

    internal Token ExpectWord(string w)
    {
        if (!AtWord(w)) throw new NftSyntaxException(Cur.Span, $"syntax error, unexpected {Cur.Describe()}, expecting {w}");
        return Take();
    }

    internal void ExpectPunct(string p)
    {
        if (!AcceptPunct(p)) throw new NftSyntaxException(Cur.Span, $"syntax error, unexpected {Cur.Describe()}, expecting {DescribePunct(p)}");
    }

    private static string DescribePunct(string p) => new Token(TokenKind.Punct, p, default, false).Describe();

    /// <summary>A word or a quoted string (names of tables, chains, sets...).</summary>
    internal Token ExpectName()
    {
        if (Cur.Kind is TokenKind.Word or TokenKind.QuotedString) return Take();
        if (Cur.Kind == TokenKind.Variable)
        {
            var t = Take();
            var def = Resolve(t);
            var inner = def.Tokens.FirstOrDefault(x => x.Kind is TokenKind.Word or TokenKind.QuotedString);
            if (inner is null) throw new NftSyntaxException(t.Span, "syntax error, unexpected variable reference");
            return inner with { Span = t.Span };
        }
        throw Unexpected();
    }

    internal ulong ParseUnsigned(Token t)
    {
        string s = t.Text;
        bool ok = s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(s.AsSpan(2), System.Globalization.NumberStyles.HexNumber, null, out ulong v)
            : ulong.TryParse(s, out v);
        if (!ok) throw Unexpected(t);
        return v;
    }

    internal ulong ExpectNumber() => ParseUnsigned(ExpectWord());

    internal static bool IsNumber(Token t) => t.Kind == TokenKind.Word && t.Text.Length > 0 && char.IsDigit(t.Text[0]) &&
        (t.Text.All(char.IsDigit) || (t.Text.StartsWith("0x") && t.Text.Length > 2 && t.Text.Skip(2).All(Uri.IsHexDigit)));

    // ------------------------------------------------------------------ rules

    internal RuleNode ParseRuleBody(bool stopAtSeparator)
    {
        var rule = new RuleNode();
        int start = Cur.Span.Offset;
        var source = Cur.Span.Source;
        while (!AtEnd)
        {
            if (AtWord("comment"))
            {
                Take();
                rule.Comment = ExpectComment();
                continue;
            }
            rule.Statements.Add(ParseStatement());
        }
        int end = _pos > 0 ? _tokens[_pos - 1].Span.End : start;
        rule.Span = new SourceSpan(source, start, Math.Max(0, end - start));
        if (rule.Statements.Count == 0 && rule.Comment is null) throw Unexpected();
        return rule;
    }

    private string ExpectString()
    {
        if (Cur.Kind is TokenKind.QuotedString or TokenKind.Word) return Take().Text;
        if (Cur.Kind == TokenKind.Variable)
        {
            var t = Take();
            var def = Resolve(t);
            return def.Tokens.First().Text;
        }
        throw Unexpected();
    }

    private static readonly HashSet<string> Verdicts = new() { "accept", "drop", "continue", "return", "jump", "goto" };

    internal StatementNode ParseStatement()
    {
        Token first = Cur;
        StatementNode stmt = ParseStatementInner();
        if (stmt.Span.Source is null || stmt.Span.Length == 0)
            stmt.Span = first.Span.To(_tokens[_pos - 1].Span);
        return stmt;
    }

    private StatementNode ParseStatementInner()
    {
        Token t = Cur;
        if (t.Kind == TokenKind.Word)
        {
            switch (t.Text)
            {
                case "accept" or "drop" or "continue" or "return" or "jump" or "goto":
                    return new VerdictStatement { Verdict = ParseVerdict() };
                case "counter": return ParseCounter();
                case "last": return ParseLast();
                case "log": return ParseLog();
                case "limit": return ParseLimit();
                case "quota": return ParseQuota();
                case "reject": return ParseReject();
                case "snat" or "dnat": return ParseNat(Take().Text);
                case "masquerade" or "redirect": return ParseMasqRedirect(Take().Text);
                case "tproxy": return ParseTproxy();
                case "notrack": Take(); return new ActionStatement { Kind = "notrack" };
                case "queue": return ParseQueue();
                case "dup": return ParseDupFwd("dup");
                case "fwd": return ParseDupFwd("fwd");
                case "synproxy": return ParseSynproxy();
                case "reset" when PeekTok().IsWord("tcp") && PeekTok(2).IsWord("option"):
                {
                    // parser_bison.y's optstrip_stmt: remove a TCP option from the packet.
                    Take();
                    var option = (ExthdrNode)ParseOption(ExthdrOp.TcpOption, ExtensionHeaders.TcpOptions, typeOnly: true);
                    return new ActionStatement { Kind = "reset", Options = { ["option"] = option } };
                }
                case "flow" when PeekTok().IsWord("add") || PeekTok().IsWord("offload"):
                {
                    Take(); Take();
                    var at = Take();
                    if (at.Kind != TokenKind.At) throw Unexpected(at);
                    return new ActionStatement { Kind = "flow", Options = { ["table"] = at.Text } };
                }
                case "add" or "update" or "delete" when PeekTok().Kind == TokenKind.At:
                    return ParseDynset();
                case "meter": return ParseMeter();
                case "set" when PeekTok().Kind == TokenKind.At:
                    return ParseDynset();
                case "ct" when PeekTok().IsWord("helper") && PeekTok(2).IsWord("set"):
                    Take(); Take(); Take();
                    return new ObjectRefStatement { ObjectType = 3, Name = ParseObjRefName() };
                case "ct" when PeekTok().IsWord("timeout") && PeekTok(2).IsWord("set"):
                    Take(); Take(); Take();
                    return new ObjectRefStatement { ObjectType = 7, Name = ParseObjRefName() };
                case "ct" when PeekTok().IsWord("expectation") && PeekTok(2).IsWord("set"):
                    Take(); Take(); Take();
                    return new ObjectRefStatement { ObjectType = 9, Name = ParseRhsValue() };
                case "ct" when PeekTok().IsWord("count"):
                {
                    Take(); Take();
                    var s = new ActionStatement { Kind = "connlimit" };
                    if (AcceptWord("over")) s.Options["over"] = true;
                    s.Options["count"] = ExpectNumber();
                    return s;
                }
                case "meta" when PeekTok().IsWord("secmark") && PeekTok(2).IsWord("set"):
                    Take(); Take(); Take();
                    return new ObjectRefStatement { ObjectType = 8, Name = ParseRhsValue() };
            }
        }
        var left = ParseExpression(lhs: true);
        if (AtWord("set"))
        {
            Take();
            var value = ParseExpression(lhs: false);
            // `ct event set new,destroy`: a comma list of symbols (parser_bison.y's list_stmt_expr).
            if (value is SymbolNode && AtPunct(",") && left is CtNode { Key.Token: "event" })
            {
                var list = new ListNode();
                list.Items.Add(value);
                while (AcceptPunct(",")) list.Items.Add(ParseAtom());
                list.Span = value.Span.To(list.Items[^1].Span);
                value = list;
            }
            return new SetStatement { Target = left, Value = value };
        }
        if (AtWord("vmap"))
        {
            var vt = Take();
            var map = ParseMapTarget();
            return new VerdictStatement { Verdict = new MapLookupNode { Key = left, Map = map, IsVerdictMap = true, Span = left.Span.To(map.Span) } };
        }
        var m = new MatchStatement { Left = left, Right = null!, Op = RelOp.Implicit };
        if (TryRelOp(out var op, out var opSpan))
        {
            m.Op = op;
            m.OpSpan = opSpan;
        }
        if (AtEnd) throw Unexpected();
        m.Right = ParseRhs();
        return m;
    }

    private bool TryRelOp(out RelOp op, out SourceSpan span)
    {
        span = Cur.Span;
        op = Cur.Text switch
        {
            "==" or "eq" => RelOp.Eq,
            "!=" or "ne" => RelOp.Neq,
            "<" or "lt" => RelOp.Lt,
            ">" or "gt" => RelOp.Gt,
            "<=" or "le" => RelOp.Lte,
            ">=" or "ge" => RelOp.Gte,
            "!" => RelOp.Neg,
            _ => RelOp.Implicit,
        };
        if (op == RelOp.Implicit || Cur.Kind is not (TokenKind.Punct or TokenKind.Word)) { op = RelOp.Implicit; return false; }
        _pos++;
        return true;
    }

    private Node ParseVerdict()
    {
        var t = Take();
        if (t.Text is "jump" or "goto")
        {
            if (AtPunct("{")) return ParseBoundChain(t);
            if (Cur.Kind == TokenKind.Variable)
            {
                var v = Take();
                var def = Resolve(v);
                return new VerdictNode { Verdict = t.Text, Chain = def.Tokens.First().Text, Span = t.Span.To(v.Span) };
            }
            var c = ExpectName();
            return new VerdictNode { Verdict = t.Text, Chain = c.Text, Span = t.Span.To(c.Span) };
        }
        return new VerdictNode { Verdict = t.Text, Span = t.Span };
    }

    /// <summary>`jump { rule; rule }`: an anonymous chain whose rules are written in place, one per line or
    /// separated by semicolons (parser_bison.y's chain_stmt).</summary>
    private VerdictNode ParseBoundChain(Token verdict)
    {
        // The kernel binds one level only (a bound chain's rules cannot bind chains themselves); nft says so.
        if (_boundChainDepth > 0) throw new NftSyntaxException(Cur.Span, "too many levels of nesting");
        ExpectPunct("{");
        var rules = new List<RuleNode>();
        _boundChainDepth++;
        try
        {
            while (true)
            {
                while (Cur.Kind == TokenKind.Separator) _pos++;
                if (AtPunct("}") || Cur.Kind == TokenKind.EndOfInput) break;
                rules.Add(ParseRuleBody(stopAtSeparator: true));
            }
        }
        finally { _boundChainDepth--; }
        var close = Cur;
        ExpectPunct("}");
        if (rules.Count == 0) throw new NftSyntaxException(close.Span, "syntax error, unexpected '}'");
        return new VerdictNode { Verdict = verdict.Text, Body = rules, Span = verdict.Span.To(close.Span) };
    }

    // ------------------------------------------------------------------ action statements

    private StatementNode ParseCounter()
    {
        var t = Take();
        if (AcceptWord("name"))
            {
            var objName = ParseObjRefName();
            if (objName is MapLookupNode) return new ObjectRefStatement { ObjectType = 1, Name = objName };
            return new ActionStatement { Kind = "objref", Span = t.Span, Options = { ["type"] = 1, ["name"] = objName } };
        }
        var s = new ActionStatement { Kind = "counter" };
        while (AtWord("packets") || AtWord("bytes"))
        {
            string k = Take().Text;
            s.Options[k] = ExpectNumber();
        }
        return s;
    }

    /// <summary>`last`, `last used never`, `last used 1d2h`: nft 1.1's last_stmt (the time is how long ago the rule
    /// last matched; `never` is the same as a bare `last`).</summary>
    private ActionStatement ParseLast()
    {
        Take();
        var s = new ActionStatement { Kind = "last" };
        if (AcceptWord("used"))
        {
            var t = ExpectWord();
            if (t.Text != "never") s.Options["used"] = ParseTimeToken(t);
        }
        return s;
    }

    /// <summary>An object name, or `EXPR map @m` / `EXPR map { ... }` choosing the object by key.</summary>
    private Node ParseObjRefName()
    {
        int save = _pos, level = _nesting;
        if (Cur.Kind == TokenKind.Word && !IsNumber(Cur))
        {
            try
            {
                var e = ParseExpression(lhs: true);
                if (e is MapLookupNode) return e;
            }
            catch (NftSyntaxException) { }
            _pos = save;
            _nesting = level;
        }
        return ParseRhsValue();
    }

    private ActionStatement ParseLog()
    {
        Take();
        var s = new ActionStatement { Kind = "log" };
        while (Cur.Kind == TokenKind.Word)
        {
            switch (Cur.Text)
            {
                case "prefix":
                    Take();
                    // Like nft's grammar: a verdict or statement keyword is not a prefix (`log prefix accept`).
                    if (Cur.Kind == TokenKind.Word && Cur.Text is "accept" or "drop" or "reject" or "continue" or "return" or "jump" or "goto"
                            or "queue" or "counter" or "log" or "limit")
                        throw new NftSyntaxException(Cur.Span, $"syntax error, unexpected {Cur.Text}, expecting string or quoted string");
                    s.Options["prefix"] = ExpectStringToken();
                    break;
                case "level": Take(); s.Options["level"] = ExpectWord(); break;
                case "group": Take(); s.Options["group"] = ExpectNumber(); break;
                case "snaplen": Take(); s.Options["snaplen"] = ExpectNumber(); break;
                case "queue-threshold": Take(); s.Options["queue-threshold"] = ExpectNumber(); break;
                case "flags":
                {
                    Take();
                    // parser_bison.y's log_flags: `tcp sequence,options`, `ip options`, `skuid`, `ether`, `all`;
                    // the comma list belongs to `tcp` only (`flags tcp sequence,options flags ip options`).
                    var flags = new List<Token>();
                    var f = ExpectWord();
                    if (f.Text == "tcp")
                    {
                        do
                        {
                            var g = ExpectWord();
                            flags.Add(f with { Text = "tcp " + g.Text, Span = f.Span.To(g.Span) });
                        } while (AcceptPunct(","));
                    }
                    else if (f.Text == "ip")
                    {
                        var g = ExpectWord();
                        flags.Add(f with { Text = "ip " + g.Text, Span = f.Span.To(g.Span) });
                    }
                    else flags.Add(f);
                    s.Options.TryAdd("flags", new List<Token>());
                    ((List<Token>)s.Options["flags"]!).AddRange(flags);
                    break;
                }
                default: return s;
            }
        }
        return s;
    }

    internal Token ExpectStringToken()
    {
        if (Cur.Kind is TokenKind.QuotedString or TokenKind.Word) return Take();
        if (Cur.Kind == TokenKind.Variable)
        {
            var v = Take();
            var def = Resolve(v);
            return def.Tokens.First() with { Span = v.Span };
        }
        throw Unexpected();
    }

    private StatementNode ParseLimit()
    {
        var t = Take();
        if (AcceptWord("name"))
            {
            var objName = ParseObjRefName();
            if (objName is MapLookupNode) return new ObjectRefStatement { ObjectType = 4, Name = objName };
            return new ActionStatement { Kind = "objref", Span = t.Span, Options = { ["type"] = 4, ["name"] = objName } };
        }
        ExpectWord("rate");
        var s = new ActionStatement { Kind = "limit" };
        ParseLimitSpec(s.Options);
        return s;
    }

    /// <summary>[over|until] N [bytes-unit] / time-unit [burst N [packets|bytes-unit]]</summary>
    internal void ParseLimitSpec(Dictionary<string, object?> o)
    {
        if (AcceptWord("over")) o["over"] = true;
        else AcceptWord("until");
        if (GluedByteAmount() is { } rate) (o["rate"], o["rateUnit"]) = rate;
        else
        {
            o["rate"] = ExpectNumber();
            if (Cur.Kind == TokenKind.Word && !IsNumber(Cur)) o["rateUnit"] = ExpectWord().Text;
        }
        ExpectPunct("/");
        o["per"] = ExpectWord();
        if (AcceptWord("burst"))
        {
            if (GluedByteAmount() is { } burst) (o["burst"], o["burstUnit"]) = burst;
            else
            {
                o["burst"] = ExpectNumber();
                if (AtWord("packets")) Take();
                else if (Cur.Kind == TokenKind.Word && Cur.Text.EndsWith("bytes")) o["burstUnit"] = Take().Text;
            }
        }
    }

    /// <summary>`512bytes`, `10kbytes`: an amount with its byte unit in one word (the lexer keeps them together).</summary>
    private (object Amount, object Unit)? GluedByteAmount()
    {
        if (Cur.Kind != TokenKind.Word) return null;
        var m = System.Text.RegularExpressions.Regex.Match(Cur.Text, @"^([0-9]+)([km]?bytes)$");
        if (!m.Success) return null;
        var t = Take();
        if (!ulong.TryParse(m.Groups[1].Value, out ulong amount)) throw new NftEvaluationException(t.Span, "value too large");
        return (amount, m.Groups[2].Value);
    }

    private StatementNode ParseQuota()
    {
        var t = Take();
        if (AcceptWord("name"))
            {
            var objName = ParseObjRefName();
            if (objName is MapLookupNode) return new ObjectRefStatement { ObjectType = 2, Name = objName };
            return new ActionStatement { Kind = "objref", Span = t.Span, Options = { ["type"] = 2, ["name"] = objName } };
        }
        var s = new ActionStatement { Kind = "quota" };
        ParseQuotaSpec(s.Options);
        return s;
    }

    internal void ParseQuotaSpec(Dictionary<string, object?> o)
    {
        if (AcceptWord("over")) o["over"] = true;
        else AcceptWord("until");
        o["bytes"] = ExpectNumber();
        o["unit"] = ExpectWord();
        if (AcceptWord("used"))
        {
            o["used"] = ExpectNumber();
            o["usedUnit"] = ExpectWord();
        }
    }

    private ActionStatement ParseReject()
    {
        Take();
        var s = new ActionStatement { Kind = "reject" };
        if (AcceptWord("with"))
        {
            var kind = ExpectWord();
            s.Options["with"] = kind;
            if (kind.Text == "tcp") { ExpectWord("reset"); }
            else
            {
                if (AtWord("type")) Take();
                s.Options["code"] = ExpectWord();
            }
        }
        return s;
    }

    private ActionStatement ParseNat(string kind)
    {
        var s = new ActionStatement { Kind = kind };
        if (AtWord("ip") || AtWord("ip6"))
        {
            s.Options["family"] = Take().Text;
        }
        if (AtWord("prefix") || AtWord("interval")) { s.Options[Take().Text] = true; }
        if (AcceptWord("to"))
        {
            if (AtPunct(":"))
            {
                Take();
                s.Options["port"] = ParseNatValue();
            }
            else
            {
                if (AtWord("prefix") || AtWord("interval")) { s.Options[Take().Text] = true; }
                ParseNatAddressPort(s);
            }
        }
        ParseNatFlags(s);
        return s;
    }

    private void ParseNatAddressPort(ActionStatement s)
    {
        if (AtPunct("["))
        {
            Take();
            Node addr = ParseNatValue();
            var close = Cur;
            ExpectPunct("]");
            // `[a::1]-[a::2]` and `[a::]/64`: ranges and prefixes of bracketed IPv6 addresses.
            if (AtPunct("-") && PeekTok().IsPunct("["))
            {
                Take(); Take();
                var high = ParseNatValue();
                close = Cur;
                ExpectPunct("]");
                addr = new RangeNode { Low = addr, High = high, Span = addr.Span.To(high.Span) };
            }
            else if (AtPunct("/") && IsNumber(PeekTok()))
            {
                Take();
                var n = Take();
                addr = new PrefixNode { Inner = addr, PrefixLength = ParseUnsigned(n) is var pl && pl <= 128 ? (int)pl : throw new NftEvaluationException(n.Span, "value too large"), Span = addr.Span.To(n.Span) };
            }
            s.Options["addr"] = addr;
        }
        else
            s.Options["addr"] = ParseNatValue(allowMap: true);
        if (AcceptPunct(":")) s.Options["port"] = ParseNatValue();
    }

    // A nat address or port: a value, a range, an expression, or `expr map { }`.
    private Node ParseNatValue(bool allowMap = true) => ParseExpression(lhs: false, natContext: true);

    private void ParseNatFlags(ActionStatement s)
    {
        var flags = new List<Token>();
        while (AtWord("random") || AtWord("fully-random") || AtWord("persistent") || AtWord("netmap"))
        {
            flags.Add(Take());
            if (!AcceptPunct(",")) continue;
        }
        if (flags.Count > 0) s.Options["flags"] = flags;
    }

    private ActionStatement ParseMasqRedirect(string kind)
    {
        var s = new ActionStatement { Kind = kind };
        if (AcceptWord("to"))
        {
            AcceptPunct(":");
            s.Options["port"] = ParseNatValue();
        }
        ParseNatFlags(s);
        return s;
    }

    private ActionStatement ParseTproxy()
    {
        Take();
        var s = new ActionStatement { Kind = "tproxy" };
        if (AtWord("ip") || AtWord("ip6")) s.Options["family"] = Take().Text;
        ExpectWord("to");
        // Address and port are statement expressions, as in nat: `to 127.0.0.1:symhash mod 2 map { 0 : 23, 1 : 42 }`.
        if (AtPunct(":"))
        {
            Take();
            s.Options["port"] = ParseNatValue();
            return s;
        }
        if (AtPunct("["))
        {
            Take();
            s.Options["addr"] = ParseNatValue();
            ExpectPunct("]");
        }
        else s.Options["addr"] = ParseNatValue();
        if (AcceptPunct(":")) s.Options["port"] = ParseNatValue();
        return s;
    }

    private ActionStatement ParseQueue()
    {
        Take();
        var s = new ActionStatement { Kind = "queue" };
        while (true)
        {
            if (AcceptWord("num") || AcceptWord("to")) s.Options["num"] = ParseExpression(lhs: false);
            else if (AtWord("bypass") || AtWord("fanout"))
            {
                s.Options[Take().Text] = true;
                AcceptPunct(",");
            }
            else if (AcceptWord("flags"))
            {
                do s.Options[ExpectWord().Text] = true; while (AcceptPunct(","));
            }
            else break;
        }
        return s;
    }

    private ActionStatement ParseDupFwd(string kind)
    {
        Take();
        var s = new ActionStatement { Kind = kind };
        if (AtWord("ip") || AtWord("ip6")) s.Options["family"] = Take().Text;
        if (AcceptWord("to")) s.Options["to"] = ParseExpression(lhs: false);
        if (AcceptWord("device")) s.Options["device"] = ParseExpression(lhs: false);
        // nft's grammar needs a target: `dup to …`, `fwd to …`, `fwd ip to … device …`.
        if (!s.Options.ContainsKey("to") && !s.Options.ContainsKey("device"))
            throw new NftSyntaxException(Cur.Span, $"syntax error, unexpected {Cur.Describe()}, expecting to{(kind == "fwd" ? " or ip or ip6" : "")}");
        return s;
    }

    private StatementNode ParseSynproxy()
    {
        Take();
        var s = new ActionStatement { Kind = "synproxy" };
        while (Cur.Kind == TokenKind.Word)
        {
            if (AcceptWord("mss")) s.Options["mss"] = ExpectNumber();
            else if (AcceptWord("wscale")) s.Options["wscale"] = ExpectNumber();
            else if (AtWord("timestamp") || AtWord("sack-perm")) s.Options[Take().Text] = true;
            else if (AcceptWord("name"))
            {
                // `synproxy name ip saddr map { ... : "obj" }` selects the synproxy object by key (objref map).
                var name = ParseObjRefName();
                if (name is MapLookupNode) return new ObjectRefStatement { ObjectType = 10, Name = name };
                s.Options["name"] = name;
            }
            else break;
        }
        return s;
    }

    private DynsetStatement ParseDynset()
    {
        var op = Take();
        var at = Take();
        ExpectPunct("{");
        var key = ParseExpression(lhs: false);
        var d = new DynsetStatement { Operation = op.Text == "set" ? "update" : op.Text, SetName = at.Text, SetSpan = at.Span, Key = key };
        ParseDynsetTail(d);
        return d;
    }

    private void ParseDynsetTail(DynsetStatement d)
    {
        while (!AtPunct("}") && !AtPunct(":"))
        {
            if (AcceptWord("timeout")) d.TimeoutMs = ParseTimeToken(ExpectWord());
            else if (AtWord("counter") || AtWord("limit") || AtWord("quota") || AtWord("ct") || AtWord("last"))
                d.Statements.Add(ParseStatement());
            else throw Unexpected();
        }
        if (AcceptPunct(":")) d.Data = ParseExpression(lhs: false);
        ExpectPunct("}");
    }

    private DynsetStatement ParseMeter()
    {
        Take();
        var name = ExpectName();
        uint? size = null;
        if (AcceptWord("size")) size = (uint)ExpectNumberAtMost(uint.MaxValue);
        ExpectPunct("{");
        var key = ParseExpression(lhs: false);
        // nft 1.0.6 adds (or, with a timeout, updates) the element of the meter's own set
        var d = new DynsetStatement { Operation = "add", SetName = name.Text, SetSpan = name.Span, Key = key, IsMeter = true, MeterSize = size };
        if (AcceptWord("timeout")) { d.TimeoutMs = ParseTimeToken(ExpectWord()); d.Operation = "update"; }
        // A meter holds exactly one statement (nft's grammar: `{ key stmt }`), a stateful one.
        if (!(AtWord("counter") || AtWord("limit") || AtWord("quota") || AtWord("ct") || AtWord("last"))) throw Unexpected();
        d.Statements.Add(ParseStatement());
        ExpectPunct("}");
        return d;
    }

    /// <summary>nft time strings: 1d2h3m4s5ms, a bare number is seconds.</summary>
    public static ulong ParseTimeToken(Token t) => ParseTime(t.Text, t.Span);

    public static ulong ParseTime(string s, SourceSpan span)
    {
        // An empty string (`ct expiration ""`) is no time: nft takes it as 0 and then lists a rule it cannot read back.
        if (s.Length == 0) throw new NftEvaluationException(span, "Wrong time format, expecting [d][h][m][s][ms]");
        ulong total = 0;
        int i = 0;
        try
        {
            while (i < s.Length)
            {
                int st = i;
                while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
                if (st == i) throw new NftEvaluationException(span, "Wrong time format, expecting [d][h][m][s][ms]");
                ulong n = ulong.Parse(s.AsSpan(st, i - st), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture);
                int us = i;
                while (i < s.Length && char.IsLetter(s[i])) i++;
                string unit = s[us..i];
                total = checked(total + unit switch
                {
                    "d" => n * 86400000, "h" => n * 3600000, "m" => n * 60000, "s" => n * 1000, "ms" => n, "" => n * 1000,
                    _ => throw new NftEvaluationException(span, "Wrong time format, expecting [d][h][m][s][ms]"),
                });
            }
        }
        catch (OverflowException)
        {
            throw new NftEvaluationException(span, "value too large");
        }
        return total;
    }
}

/// <summary>`define NAME = VALUE` definitions in scope (tokens, re-parsed at each use so nodes are never shared).</summary>
internal sealed class Definitions
{
    private readonly Dictionary<string, Definition> _defs = new();
    private readonly Definitions? _parent;

    public Definitions(Definitions? parent = null) => _parent = parent;

    public void Define(string name, List<Token> tokens, SourceSpan span) => _defs[name] = new Definition(name, tokens, span);
    public bool Undefine(string name) => _defs.Remove(name);
    public Definition? Lookup(string name) => _defs.TryGetValue(name, out var d) ? d : _parent?.Lookup(name);
}

internal sealed record Definition(string Name, List<Token> Tokens, SourceSpan Span);
