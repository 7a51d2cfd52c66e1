using NftPS.Language.Syntax;
using NftPS.NfTables;

namespace NftPS.Language.Script;

/// <summary>Table blocks, chains (hook, policy, devices, priority) and rule commands.</summary>
internal sealed partial class ScriptParser
{
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
            while (Cur.Kind == TokenKind.Separator) Skip();
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
            ExpectItemSeparator();
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
            while (Cur.Kind == TokenKind.Separator) Skip();
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
            ExpectItemSeparator();
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
            while (Cur.Kind == TokenKind.Separator) Skip();
            if (AcceptPunct("}")) break;
            if (Cur.Kind == TokenKind.Variable) list.AddRange(ParseDeviceList());
            else
            {
                var dev = ExpectName();
                // `eth*`: a wildcard device name glued to its asterisk.
                if (AtPunct("*") && !Cur.SpaceBefore) { Take(); list.Add(dev.Text + "*"); }
                else list.Add(dev.Text);
            }
            while (Cur.Kind == TokenKind.Separator) Skip();
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
            var sub = new ScriptParser(_p.VariableParser(v), _defs);
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
        return (name, value, start.Span.To(Previous.Span));
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
            Rule = rule, Handle = handle, Position = position, Index = index, Span = first.Span.To(Previous.Span) });
    }
}
