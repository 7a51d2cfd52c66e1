using NftPS.Language.DataTypes;
using NftPS.Language.Evaluate;
using NftPS.Language.Linearize;
using NftPS.Language.Syntax;
using NftPS.NfTables;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;
using NftPS.NfTables.Operations;
using NftPS.NfTables.Writing;

namespace NftPS.Language.Script;

/// <summary>Turns script commands into batch operations, tracking the sets the script creates so later rules and
/// element commands can use them.</summary>
internal sealed class ScriptEvaluator
{
    private readonly ScriptContext _ctx;
    private readonly Dictionary<(NftFamily, string, string), (SetDescriptor Desc, NamedSet Built, uint? Id)> _sets = new();
    private readonly HashSet<(NftFamily, string)> _droppedTables = new();
    private bool _rulesetFlushed;

    public ScriptEvaluator(ScriptContext context) => _ctx = context;

    public void Queue(IEnumerable<ScriptCommand> commands, NftBatch batch)
    {
        foreach (var cmd in commands)
        {
            try
            {
                QueueOne(cmd, batch);
            }
            catch (ArgumentException e)
            {
                // A name, comment or device the batch writer refused (NftInvalidValueException), or a chain it
                // cannot create: point at the command it came from (and, for JSON, at its node).
                throw Error(cmd.Span, e.Message);
            }
        }
    }

    private void QueueOne(ScriptCommand cmd, NftBatch batch)
    {
        if (cmd.Verb == ScriptVerb.Reset && (cmd is not RulesetCommand || _ctx.Resets is not null))
        {
            if (_ctx.Resets is null) throw ScriptResets.NotInBatch(cmd);
            _ctx.Resets.Add(new ScriptReset(ScriptResets.InFile(cmd), cmd.Span));
            return;
        }
        switch (cmd)
        {
            case RulesetCommand r: QueueRuleset(r, batch); break;
            case TableCommand t: QueueTable(t, batch); break;
            case ChainCommand c: QueueChain(c, batch); break;
            case RuleCommand r: QueueRule(r, batch); break;
            case SetCommand s: QueueSet(s, batch); break;
            case ElementCommand e: QueueElements(e, batch); break;
            case ObjectCommand o: QueueObject(o, batch); break;
            case FlowtableCommand f: QueueFlowtable(f, batch); break;
        }
    }

    private static NftEvaluationException Error(SourceSpan span, string message) => new(span, message);

    private static void CheckFamily(ScriptCommand c)
    {
        if (c.Family == NftFamily.Unspecified) throw Error(c.Span, "unknown family");
    }

    // ------------------------------------------------------------------ ruleset, tables

    private void QueueRuleset(RulesetCommand r, NftBatch batch)
    {
        if (r.Verb != ScriptVerb.Flush) throw Error(r.Span, "reset ruleset is not supported in a batch");
        batch.FlushRuleset(r.Family);
        if (r.Family == NftFamily.Unspecified) { _rulesetFlushed = true; _sets.Clear(); }
        else
        {
            foreach (var k in _sets.Keys.Where(k => k.Item1 == r.Family).ToList()) _sets.Remove(k);
            _droppedTables.Add((r.Family, "*"));
        }
    }

    private void QueueTable(TableCommand t, NftBatch batch)
    {
        switch (t.Verb)
        {
            case ScriptVerb.Add or ScriptVerb.Create:
                batch.AddTable(t.Family, t.Table, t.Flags, t.Comment, create: t.Verb == ScriptVerb.Create);
                break;
            case ScriptVerb.Delete or ScriptVerb.Destroy:
                batch.DeleteTable(t.Family, t.Table, t.Handle, destroy: t.Verb == ScriptVerb.Destroy);
                foreach (var k in _sets.Keys.Where(k => k.Item1 == t.Family && k.Item2 == t.Table).ToList()) _sets.Remove(k);
                _droppedTables.Add((t.Family, t.Table));
                break;
            case ScriptVerb.Flush:
                batch.FlushTable(t.Family, t.Table);
                break;
            default: throw Error(t.Span, $"{t.Verb.ToString().ToLowerInvariant()} table is not supported");
        }
    }

    // ------------------------------------------------------------------ chains

    private void QueueChain(ChainCommand c, NftBatch batch)
    {
        switch (c.Verb)
        {
            case ScriptVerb.Add or ScriptVerb.Create:
            {
                ChainHookSpec? hook = null;
                if (c.Hook is { } h) hook = HookSpec(c.Family, h);
                // `chain t c { policy drop; }` alone changes the policy of an existing base chain (nft sends the
                // policy without a hook; the kernel refuses it for a regular or missing chain).
                if (c.Policy is { } p && hook is null && c.Verb == ScriptVerb.Add && c.Comment is null)
                {
                    batch.SetChainPolicy(c.Family, c.Table, c.Name, p.Text);
                    break;
                }
                if (c.Policy is { } q && hook is null) throw Error(q.Span, "policy can only be set on base chains");
                batch.AddChain(c.Family, c.Table, c.Name, hook, c.Policy?.Text, c.Comment, create: c.Verb == ScriptVerb.Create);
                break;
            }
            case ScriptVerb.Delete or ScriptVerb.Destroy:
                batch.DeleteChain(c.Family, c.Table, c.Name, c.Handle, destroy: c.Verb == ScriptVerb.Destroy);
                break;
            case ScriptVerb.Flush:
                batch.FlushChain(c.Family, c.Table, c.Name);
                break;
            case ScriptVerb.Rename when c.NewName is { } newName:
            {
                // nft renames a chain it finds in its cache of the kernel's ruleset: one created by the same batch is
                // not there (and the kernel, which renames by handle, would not find it either).
                ulong handle = _ctx.FindExistingChain(c.Family, c.Table, c.Name)
                    ?? throw Error(c.NameSpan, $"No such file or directory: there is no chain '{c.Name}' in table {c.Family.ToKeyword()} '{c.Table}' to rename");
                batch.RenameChain(c.Family, c.Table, handle, c.Name, newName);
                break;
            }
            default: throw Error(c.Span, $"{c.Verb.ToString().ToLowerInvariant()} chain is not supported in a batch");
        }
    }

    private static readonly string[] ChainTypes = { "filter", "nat", "route" };

    private static ChainHookSpec HookSpec(NftFamily family, ChainHookDecl h)
    {
        if (!ChainTypes.Contains(h.Type.Text)) throw Error(h.Type.Span, $"unknown chain type {h.Type.Text}");
        uint hookNum = NftHooks.HookNumber(family, h.Hook.Text) ?? throw Error(h.Hook.Span, "unknown chain hook");
        int prio = Priority(family, hookNum, h.PriorityName, h.PriorityOffset, h.PrioritySpan);
        if (family == NftFamily.Netdev && h.Devices.Count == 0)
            throw Error(h.Hook.Span, "Missing `device' in this chain definition");
        return new ChainHookSpec(h.Type.Text, hookNum, prio, h.Devices.Count > 0 ? h.Devices : null);
    }

    internal static int Priority(NftFamily family, uint hook, Token? name, int offset, SourceSpan span)
    {
        if (name is null) return offset;
        if (int.TryParse(name.Text, out int literal)) return PrioritySum(literal, offset, span);
        foreach (var (n, v) in NftHooks.PriorityNames(family))
            if (n == name.Text)
            {
                // nft checks that the name suits the hook (dstnat only in prerouting, srcnat only in postrouting...).
                string printed = NftHooks.FormatPriority(family, hook, v);
                if (printed != n) throw Error(span, $"'{n}' is invalid priority in this context.");
                return PrioritySum(v, offset, span);
            }
        throw Error(span, $"'{name.Text}' is invalid priority in this context.");
    }

    private static int PrioritySum(int standard, int offset, SourceSpan span)
    {
        long sum = (long)standard + offset;
        if (sum is < int.MinValue or > int.MaxValue)
            throw Error(span, $"priority value out of range: {sum} is not a 32-bit signed number ({int.MinValue} to {int.MaxValue})");
        return (int)sum;
    }

    // ------------------------------------------------------------------ rules

    private SetDescriptor? FindSet(NftFamily family, string table, string name)
    {
        if (_sets.TryGetValue((family, table, name), out var s)) return s.Desc;
        if (_rulesetFlushed || _droppedTables.Contains((family, table)) || _droppedTables.Contains((family, "*"))) return null;
        return _ctx.FindExistingSet(family, table, name);
    }

    private CompileContext RuleContext(ScriptCommand c, string chain) => new()
    {
        Family = c.Family,
        Table = c.Table,
        Chain = chain,
        FindSet = n => FindSet(c.Family, c.Table, n),
        Ids = _ctx.Ids,
        Warning = _ctx.Warning,
    };

    private void QueueRule(RuleCommand r, NftBatch batch)
    {
        CheckFamily(r);
        switch (r.Verb)
        {
            case ScriptVerb.Add or ScriptVerb.Create or ScriptVerb.Insert:
            {
                if (r.Index is not null) throw Error(r.Span, "index is not supported: use position HANDLE");
                var compiled = RuleCompiler.Compile(r.Rule!, RuleContext(r, r.Chain));
                var placement = new RulePlacement(Insert: r.Verb == ScriptVerb.Insert, Handle: r.Position);
                batch.QueueRule(compiled, r.Family, r.Table, r.Chain, placement);
                break;
            }
            case ScriptVerb.Replace:
            {
                var compiled = RuleCompiler.Compile(r.Rule!, RuleContext(r, r.Chain));
                foreach (var (set, elements) in compiled.AnonymousSets)
                {
                    batch.AddSet(r.Family, r.Table, set, "anonymous");
                    if (elements.Count > 0) batch.AddElements(r.Family, r.Table, set.Name, elements, _ => "…", set.SetId, ofAnonymousSet: true);
                }
                batch.ReplaceRule(r.Family, r.Table, r.Chain, r.Handle!.Value, compiled.Expressions, r.Rule!.Text, compiled.Comment);
                break;
            }
            case ScriptVerb.Delete or ScriptVerb.Destroy:
                batch.DeleteRule(r.Family, r.Table, r.Chain, r.Handle!.Value, destroy: r.Verb == ScriptVerb.Destroy);
                break;
            default: throw Error(r.Span, $"{r.Verb.ToString().ToLowerInvariant()} rule is not supported in a batch");
        }
    }

    // ------------------------------------------------------------------ sets and elements

    private void QueueSet(SetCommand s, NftBatch batch)
    {
        CheckFamily(s);
        switch (s.Verb)
        {
            case ScriptVerb.Add or ScriptVerb.Create:
            {
                var decl = s.Decl!;
                if (!decl.HasKey)
                {
                    // `add set t s { elements = ... }` on an existing set only adds elements.
                    var existing = FindSet(s.Family, s.Table, s.Name) ?? throw Error(s.NameSpan, "set definition does not specify key");
                    if (decl.Elements is { } els) QueueElementList(s.Family, s.Table, s.Name, existing, els, ScriptVerb.Add, batch);
                    return;
                }
                uint id = _ctx.Ids.NextSetId();
                var built = NamedSetBuilder.Build(s, s.Family, id);
                batch.AddSet(s.Family, s.Table, built.Spec, built.DefinitionText, create: s.Verb == ScriptVerb.Create);
                _sets[(s.Family, s.Table, s.Name)] = (built.Descriptor, built, id);
                if (decl.Elements is { Elements.Count: > 0 } elements)
                {
                    var encoded = built.EncodeElements(elements, s.Family, adding: true);
                    // Written in the set's own text (its definition lists them), so these messages are implied by it.
                    if (encoded.Count > 0) batch.AddElements(s.Family, s.Table, s.Name, encoded, DescribeElement, id, written: ImpliedElements);
                }
                break;
            }
            case ScriptVerb.Delete or ScriptVerb.Destroy:
                batch.DeleteSet(s.Family, s.Table, s.Name, s.Handle, s.IsMap, destroy: s.Verb == ScriptVerb.Destroy);
                _sets.Remove((s.Family, s.Table, s.Name));
                break;
            case ScriptVerb.Flush:
                batch.FlushSet(s.Family, s.Table, s.Name, s.IsMap);
                break;
            default: throw Error(s.Span, $"{s.Verb.ToString().ToLowerInvariant()} set is not supported in a batch");
        }
    }

    /// <summary>Marks element messages whose elements another operation's text already lists.</summary>
    private const string ImpliedElements = "";

    private static string DescribeElement(ElementSpec e) =>
        e.Key is { } k ? "0x" + Convert.ToHexString(k).ToLowerInvariant() + ((e.Flags & 1) != 0 ? " (end)" : "") : "*";

    private void QueueElements(ElementCommand e, NftBatch batch)
    {
        CheckFamily(e);
        var desc = FindSet(e.Family, e.Table, e.Set) ?? throw Error(e.SetSpan, $"Could not process rule: No such file or directory");
        QueueElementList(e.Family, e.Table, e.Set, desc, e.Elements, e.Verb, batch);
    }

    private void QueueElementList(NftFamily family, string table, string setName, SetDescriptor desc, SetNode elements, ScriptVerb verb, NftBatch batch)
    {
        NamedSet built;
        uint? id = null;
        if (_sets.TryGetValue((family, table, setName), out var known)) { built = known.Built; id = known.Id; }
        else built = NamedSet.FromDescriptor(desc);
        bool adding = verb is ScriptVerb.Add or ScriptVerb.Create;
        var encoded = built.EncodeElements(elements, family, adding);
        if (encoded.Count == 0) return;
        switch (verb)
        {
            case ScriptVerb.Add or ScriptVerb.Create:
                batch.AddElements(family, table, setName, encoded, DescribeElement, id, create: verb == ScriptVerb.Create, written: elements.Span.Text);
                break;
            case ScriptVerb.Delete or ScriptVerb.Destroy:
                batch.DeleteElements(family, table, setName, encoded, DescribeElement, destroy: verb == ScriptVerb.Destroy, written: elements.Span.Text);
                break;
            default: throw Error(elements.Span, $"{verb.ToString().ToLowerInvariant()} element is not supported in a batch");
        }
    }

    // ------------------------------------------------------------------ stateful objects

    private static readonly Dictionary<string, uint> ObjectTypes = new()
    {
        ["counter"] = 1, ["quota"] = 2, ["ct helper"] = 3, ["limit"] = 4, ["ct timeout"] = 7, ["secmark"] = 8,
        ["ct expectation"] = 9, ["synproxy"] = 10,
    };

    private void QueueObject(ObjectCommand o, NftBatch batch)
    {
        CheckFamily(o);
        uint type = ObjectTypes[o.Kind];
        switch (o.Verb)
        {
            case ScriptVerb.Add or ScriptVerb.Create:
            {
                var (body, content) = ObjectData(o);
                batch.AddObject(o.Family, o.Table, o.Name, type, o.Kind, body, content, o.Comment, create: o.Verb == ScriptVerb.Create);
                break;
            }
            case ScriptVerb.Delete or ScriptVerb.Destroy:
                batch.DeleteObject(o.Family, o.Table, o.Name, type, o.Kind, o.Handle, destroy: o.Verb == ScriptVerb.Destroy);
                break;
            default: throw Error(o.Span, $"{o.Verb.ToString().ToLowerInvariant()} {o.Kind} is not supported in a batch");
        }
    }

    private static (string Body, NftObjectBody Content) ObjectData(ObjectCommand o)
    {
        var opts = o.Options;
        switch (o.Kind)
        {
            case "counter":
            {
                ulong packets = opts.TryGetValue("packets", out var p) && p is ulong pv ? pv : 0;
                ulong bytes = opts.TryGetValue("bytes", out var b) && b is ulong bv ? bv : 0;
                var e = new CounterExpression { Bytes = bytes, Packets = packets };
                return ($"packets {packets} bytes {bytes}", new ExpressionObjectBody(e));
            }
            case "quota":
            {
                if (!o.HasSpec) throw Error(o.NameSpan, "quota needs a size");
                var e = RuleLinearizer.Quota(opts, o.Span);
                return ($"{(e.Flags == QuotaFlags.Invert ? "over " : "")}{e.Bytes} bytes", new ExpressionObjectBody(e));
            }
            case "limit":
            {
                if (!o.HasSpec) throw Error(o.NameSpan, "limit needs a rate");
                var e = RuleLinearizer.Limit(opts, o.Span);
                return (LimitText(e), new ExpressionObjectBody(e));
            }
            case "ct helper":
            {
                var type = opts.TryGetValue("type", out var t) ? (Token)t! : throw Error(o.NameSpan, "ct helper needs a type");
                var proto = (Token)opts["protocol"]!;
                byte l4 = proto.Text switch { "tcp" => 6, "udp" => 17, _ => throw Error(proto.Span, $"invalid protocol {proto.Text}") };
                ushort? l3 = null;
                if (opts.TryGetValue("l3proto", out var l3t) && l3t is Token l3tok)
                    l3 = l3tok.Text switch { "ip" => 2, "ip6" => 10, "inet" => 1, _ => throw Error(l3tok.Span, "invalid l3proto") };
                else if (o.Family is NftFamily.Ip or NftFamily.Ip6) l3 = (ushort)o.Family;
                return ($"type \"{type.Text}\" protocol {proto.Text}", new CtHelperObjectBody(type.Text, l3, l4));
            }
            case "ct expectation":
            {
                var words = Words(o);
                byte l4 = 0; ushort dport = 0, l3 = o.Family == NftFamily.Ip6 ? (ushort)10 : (ushort)2; uint timeout = 0; byte size = 0;
                var given = new HashSet<string>();
                for (int i = 0; i + 1 < words.Count; i += 2)
                {
                    var (k, v) = (words[i], words[i + 1]);
                    given.Add(k.Text);
                    switch (k.Text)
                    {
                        case "protocol": l4 = v.Text switch { "tcp" => 6, "udp" => 17, "dccp" => 33, "sctp" => 132, _ => byte.TryParse(v.Text, out var n) ? n : throw Error(v.Span, "invalid protocol") }; break;
                        case "dport": dport = ushort.TryParse(v.Text, out var dp) ? dp : throw Error(v.Span, "invalid port"); break;
                        case "timeout":
                            ulong ms = Parser.ParseTimeToken(v);
                            timeout = ms <= uint.MaxValue ? (uint)ms : throw Error(v.Span, "value too large");
                            break;
                        case "size": size = byte.TryParse(v.Text, out var sz) ? sz : throw Error(v.Span, "invalid size"); break;
                        case "l3proto": l3 = v.Text switch { "ip" => 2, "ip6" => 10, "inet" => 1, _ => throw Error(v.Span, "invalid l3proto") }; break;
                        default: throw Error(k.Span, $"syntax error, unexpected {k.Text}");
                    }
                }
                // Only what was given, as nft sends it: the kernel refuses an expectation without protocol, dport,
                // timeout and size.
                return ($"protocol {l4}; dport {dport}; timeout {timeout}ms; size {size}", new CtExpectationObjectBody(l3,
                    given.Contains("protocol") ? l4 : null, given.Contains("dport") ? dport : null,
                    given.Contains("timeout") ? timeout : null, given.Contains("size") ? size : null));
            }
            case "ct timeout": return CtTimeoutData(o);
            case "synproxy":
            {
                var words = Words(o);
                ushort? mss = null; byte? wscale = null; SynproxyFlags flags = 0;
                for (int i = 0; i < words.Count; i++)
                {
                    switch (words[i].Text)
                    {
                        case "mss" when i + 1 < words.Count:
                            mss = ushort.TryParse(words[++i].Text, out var m) ? m : throw Error(words[i].Span, "invalid mss: a number 0-65535 is expected");
                            flags |= SynproxyFlags.Mss;
                            break;
                        case "wscale" when i + 1 < words.Count:
                            wscale = byte.TryParse(words[++i].Text, out var ws) ? ws : throw Error(words[i].Span, "invalid wscale: a number 0-255 is expected");
                            flags |= SynproxyFlags.WindowScale;
                            break;
                        case "timestamp": flags |= SynproxyFlags.Timestamp; break;
                        case "sack-perm": flags |= SynproxyFlags.SackPermitted; break;
                        default: throw Error(words[i].Span, $"syntax error, unexpected {words[i].Text}");
                    }
                }
                var e = new SynproxyExpression { Mss = mss, WindowScale = wscale, Flags = flags };
                return ("synproxy", new ExpressionObjectBody(e));
            }
            default:
                throw Error(o.Span, $"{o.Kind} objects are not supported yet");
        }
    }

    /// <summary>A limit object's body as nft writes it: rate [over] N [bytes]/unit [burst N packets|bytes].</summary>
    private static string LimitText(LimitExpression e)
    {
        string unit = e.Unit switch { 1 => "second", 60 => "minute", 3600 => "hour", 86400 => "day", 604800 => "week", _ => $"{e.Unit}s" };
        bool bytes = e.Type == LimitType.Bytes;
        string over = e.Flags is { } f && (f & LimitFlags.Invert) != 0 ? "over " : "";
        string burst = e.Burst is { } b && b != 0 ? $" burst {b} {(bytes ? "bytes" : "packets")}" : "";
        return $"rate {over}{e.Rate}{(bytes ? " bytes" : "")}/{unit}{burst}";
    }

    /// <summary>A ct timeout as nft 1.0.6 sends it: the layer-3 protocol only when given, the layer-4 protocol, and
    /// every state's timeout in seconds (the protocol's defaults where the policy names none).</summary>
    private static (string Body, NftObjectBody Content) CtTimeoutData(ObjectCommand o)
    {
        var opts = o.Options;
        var proto = opts.TryGetValue("protocol", out var p) && p is Token pt ? pt : throw Error(o.NameSpan, "ct timeout needs a protocol");
        byte l4 = proto.Text == "tcp" ? (byte)6 : (byte)17;
        ushort? l3 = null;
        string? l3Name = null;
        if (opts.TryGetValue("l3proto", out var l3t) && l3t is Token l3tok)
        {
            l3 = l3tok.Text switch
            {
                "ip" => 2, "ip6" => 10, "inet" => 1, "arp" => 3, "bridge" => 7, "netdev" => 5,
                _ => throw Error(l3tok.Span, $"syntax error, unexpected {l3tok.Text}"),
            };
            l3Name = l3tok.Text;
        }
        var (names, defaults) = NftPS.NfTables.Reading.NamedObjectBody.TimeoutPolicy(l4);
        var timeouts = (uint[])defaults.Clone();
        var given = new SortedDictionary<int, uint>();
        if (opts.TryGetValue("policy", out var pl) && pl is List<(Token State, ulong Seconds)> states)
        {
            foreach (var (state, seconds) in states)
            {
                int i = Array.IndexOf(names, state.Text);
                if (i < 0) throw Error(state.Span, "invalid state for this protocol");
                timeouts[i] = (uint)seconds;
                given[i] = (uint)seconds;
            }
        }
        string body = $"protocol {proto.Text}; " + (l3Name is null ? "" : $"l3proto {l3Name}; ") +
            "policy = { " + string.Join(", ", given.Select(g => $"{names[g.Key]} : {g.Value}")) + " }";
        return (body, new CtTimeoutObjectBody(l3, l4, timeouts));
    }

    private static List<Token> Words(ObjectCommand o) =>
        o.Options.TryGetValue("words", out var w) && w is List<Token> list ? list : new List<Token>();

    // ------------------------------------------------------------------ flowtables

    private static void QueueFlowtable(FlowtableCommand f, NftBatch batch)
    {
        CheckFamily(f);
        switch (f.Verb)
        {
            case ScriptVerb.Add or ScriptVerb.Create:
            {
                // A flowtable hooks ingress only; its priority names are the netdev family's.
                if (f.Hook is not { } hook) throw Error(f.Span, "flowtable needs a hook: hook ingress priority N");
                if (hook.Text != "ingress") throw Error(hook.Span, "flowtable hook must be ingress");
                int priority = Priority(NftFamily.Netdev, 0, f.PriorityName, f.PriorityOffset, f.PrioritySpan);
                uint flags = (f.Offload ? FlowtableOperation.OffloadFlag : 0) | (f.Counter ? FlowtableOperation.CounterFlag : 0);
                batch.AddFlowtable(f.Family, f.Table, f.Name, priority, f.Devices.ToArray(), flags, create: f.Verb == ScriptVerb.Create);
                break;
            }
            case ScriptVerb.Delete:
                batch.DeleteFlowtable(f.Family, f.Table, f.Name, f.Handle);
                break;
            default: throw Error(f.Span, $"{f.Verb.ToString().ToLowerInvariant()} flowtable is not supported in a batch");
        }
    }
}
