using System.Numerics;
using NftPS.Language.DataTypes;
using NftPS.Language.Protocols;
using NftPS.Language.Syntax;
using NftPS.NfTables;
using T = NftPS.Language.DataTypes.DataTypeRegistry;

namespace NftPS.Language.Evaluate;

/// <summary>Resolves a parsed rule (nftables' evaluate.c): gives every expression its type, length and byte order,
/// turns symbols into values of the type they are compared with, checks ranges, and inserts the protocol
/// dependencies nft 1.0.6 adds (meta nfproto, meta l4proto, meta protocol, meta iiftype, ether type).</summary>
internal sealed partial class RuleEvaluator
{
    private readonly CompileContext _ctx;
    private ProtocolContext _proto;
    private readonly List<StatementNode> _out = new();

    public RuleEvaluator(CompileContext context)
    {
        _ctx = context;
        _proto = new ProtocolContext(context.Family);
    }

    /// <summary>Evaluates the rule in place and returns its statements with dependencies inserted.</summary>
    public List<StatementNode> Evaluate(RuleNode rule)
    {
        _out.Clear();
        StatementNode? terminal = null;
        foreach (var stmt in rule.Statements)
        {
            if (terminal is not null)
                throw new NftEvaluationException(stmt.Span, "Statement after terminal statement has no effect");
            if (IsTerminal(stmt)) terminal = stmt;
            switch (stmt)
            {
                case MatchStatement m: EvaluateMatch(m); break;
                case SetStatement s: EvaluateSet(s); break;
                case VerdictStatement v: EvaluateVerdict(v); break;
                case DynsetStatement d: EvaluateDynset(d); break;
                case ObjectRefStatement o: EvaluateObjRef(o); break;
                case ActionStatement a: EvaluateAction(a); break;
            }
            _out.Add(stmt);
        }
        var result = new List<StatementNode>(_out);
        DropRedundantProtocolMatches(result);
        MergeAdjacentPayloadMatches(result);
        return result;
    }

    /// <summary>nft 1.0.6's stmt_reduce drops `meta protocol ip` in ip tables and `meta protocol ip6` in ip6 tables;
    /// its deletion is deferred to the next statement, so such a match in last place stays.</summary>
    private void DropRedundantProtocolMatches(List<StatementNode> statements)
    {
        long? redundant = _ctx.Family switch { NftFamily.Ip => 0x0800, NftFamily.Ip6 => 0x86dd, _ => null };
        if (redundant is null) return;
        for (int i = statements.Count - 2; i >= 0; i--)
            if (statements[i] is MatchStatement { Left: MetaNode { Key.Token: "protocol", Inner: null }, Op: RelOp.Implicit or RelOp.Eq, Right: ValueNode { StringBytes: null } v }
                && v.Value == redundant.Value)
                statements.RemoveAt(i);
    }

    private static string PrefixText(ValueNode network, DataType type, int prefixLength)
    {
        if (type.IsA(T.Ipv4Addr) || type.IsA(T.Ipv6Addr))
        {
            int bytes = type.IsA(T.Ipv4Addr) ? 4 : 16;
            var raw = network.Value.ToByteArray(isUnsigned: true, isBigEndian: true);
            var buf = new byte[bytes];
            Array.Copy(raw, 0, buf, bytes - Math.Min(raw.Length, bytes), Math.Min(raw.Length, bytes));
            return new System.Net.IPAddress(buf) + "/" + prefixLength;
        }
        return $"0x{network.Value:x}/{prefixLength}";
    }

    /// <summary>nft's STMT_F_TERMINAL: a verdict other than continue, reject, nat and fwd end the rule's evaluation.</summary>
    private static bool IsTerminal(StatementNode s) => s switch
    {
        VerdictStatement { Verdict: VerdictNode v } => v.Verdict != "continue",
        ActionStatement a => a.Kind is "reject" or "snat" or "dnat" or "masquerade" or "redirect" or "fwd" or "queue",
        _ => false,
    };

    // ------------------------------------------------------------------ matches

    private void EvaluateMatch(MatchStatement m)
    {
        EvaluateLhs(m.Left);
        // `fib daddr oif exists`: exists/missing are keywords in nft's scanner, never an interface name; they turn
        // the lookup into a presence test (NFTA_FIB_F_PRESENT) with a boolean result.
        if (m.Left is KeyedNode { Kind: "fib" } fib && m.Right is SymbolNode { Quoted: false, Text: "exists" or "missing" })
        {
            fib.Flags |= OtherKeys.FibFlagPresent;
            fib.Type = T.Boolean;
        }
        // `value / mask` reads as `(left & mask) == value`.
        if (m.Right is BinaryNode { Op: BinaryOp.And } masked && m.Right.Span.Source is not null && masked.Left is not BinaryNode)
        {
            var mask = EvaluateConstant(masked.Right, m.Left);
            var value = EvaluateConstant(masked.Left, m.Left);
            m.Left = new BinaryNode { Op = BinaryOp.And, Left = m.Left, Right = mask, Span = m.Left.Span.To(mask.Span),
                Type = m.Left.Type, LengthBits = m.Left.LengthBits, ByteOrder = m.Left.ByteOrder };
            m.Right = value;
            if (m.Op == RelOp.Implicit) m.Op = RelOp.Eq;
            return;
        }
        // `ct status ! { dnat }`: nft takes a one-element set as its element here.
        if (m.Op == RelOp.Neg && m.Right is SetNode { Elements: [var only] } && only is not (MappingNode or SetElementNode or SetNode))
            m.Right = only;
        if (m.Right is SetNode or SetRefNode) RequireCtAddressFamily(m.Left);
        m.Right = EvaluateRhs(m.Right, m.Left, allowSet: true);
        if (m.Left is PayloadNode { Raw: true, LengthBits: 0 } && m.Right is ValueNode { StringBytes: null } zv && !zv.Value.IsZero)
            throw new NftEvaluationException(zv.Span, $"Value {zv.Span.Text} exceeds valid range 0-0");
        // An hour range that wraps past midnight in UTC ("00:00"-"02:02" at UTC+2) is matched as its complement.
        if (m.Right is RangeNode { Low: ValueNode hlo, High: ValueNode hhi } hr && hr.Type.IsA(T.Hour) && hhi.Value < hlo.Value)
        {
            (hr.Low, hr.High) = (hhi, hlo);
            m.Op = m.Op == RelOp.Neq ? RelOp.Eq : RelOp.Neq;
        }
        // `x xor C == V` is `x == C ^ V` (nft folds the constant).
        if (m.Left is BinaryNode { Op: BinaryOp.Xor, Right: ValueNode { StringBytes: null } xc } xb && m.Right is ValueNode { StringBytes: null } xv
            && m.Op is RelOp.Implicit or RelOp.Eq or RelOp.Neq)
        {
            m.Left = xb.Left;
            xv.Value ^= xc.Value;
        }
        if (m.Right is ValueNode v && m.Op is RelOp.Implicit or RelOp.Eq) UpdateContext(m.Left, v);
        if (m.Right is SetNode set && m.Op is RelOp.Implicit or RelOp.Eq) NoteTransportCandidates(m.Left, set);
        if (m.Op == RelOp.Neg && !(m.Right is ValueNode { StringBytes: null } && m.Left.Type.IsFlagType && m.Left is not BinaryNode))
            throw new NftEvaluationException(m.Left.Span, "negation can only be used with singleton bitmask values");
        if (m.Op is RelOp.Lt or RelOp.Gt or RelOp.Lte or RelOp.Gte && m.Right is not ValueNode)
            throw new NftEvaluationException(m.Right.Span, "Relational expression must use a constant on the right side");
    }

    /// <summary>Types an expression that loads something (left of a match, key of a map, value of a set statement).</summary>
    internal void EvaluateLhs(Node n)
    {
        switch (n)
        {
            case PayloadNode p: EvaluatePayload(p); break;
            case ExthdrNode e: EvaluateExthdr(e); break;
            case MetaNode meta:
                meta.Type = meta.Key.Type; meta.LengthBits = meta.Key.LengthBits; meta.ByteOrder = meta.Key.ByteOrder;
                if (meta.Inner is { } tunnel) RequireTunnel(tunnel, meta.Span);
                if (meta.Key.Token == "nfproto" && _ctx.Family != NftFamily.Inet)
                    throw new NftEvaluationException(meta.Span, "meta nfproto is only useful in the inet family");
                break;
            case CtNode ct: EvaluateCt(ct); break;
            case KeyedNode k: EvaluateKeyed(k); break;
            case ConcatNode c:
            {
                int len = 0;
                foreach (var item in c.Items)
                {
                    EvaluateLhs(item);
                    len += Round32(item.LengthBits);
                }
                c.LengthBits = len;
                c.Type = T.Invalid;
                c.ByteOrder = ByteOrder.Invalid;
                break;
            }
            case BinaryNode b:
            {
                EvaluateLhs(b.Left);
                b.Type = b.Left.Type; b.LengthBits = b.Left.LengthBits; b.ByteOrder = b.Left.ByteOrder;
                if (b.Op is BinaryOp.LShift or BinaryOp.RShift)
                {
                    b.Right = EvaluateConstantOfType(b.Right, T.Integer, 32, ByteOrder.Host);
                    b.Type = T.Integer;
                }
                else if (b.Right is SymbolNode or ListNode or BinaryNode or ValueNode)
                    b.Right = EvaluateConstant(b.Right, b.Left);
                else
                    EvaluateLhs(b.Right);
                break;
            }
            case MapLookupNode map:
                EvaluateMapLookup(map);
                break;
            case VariableNode:
                throw new NftEvaluationException(n.Span, "unexpected variable");
            default:
                throw new NftEvaluationException(n.Span, "syntax error, unexpected expression");
        }
    }

    private static int Round32(int bits) => (bits + 31) / 32 * 32;

    private void EvaluatePayload(PayloadNode p)
    {
        if (p.Raw)
        {
            // nft (payload_init_raw) takes `@th,0,16` and `@th,16,16` for the transport ports: typed inet_service.
            p.Type = RawTransportPort(p) is not null ? T.InetService : T.HexInteger;
            p.ByteOrder = ByteOrder.BigEndian;
            if (p.LengthBits > 128) throw new NftEvaluationException(p.Span, "raw payload length exceeds 128 bits");
            return;
        }
        var f = p.Field!;
        p.Type = f.Type;
        p.LengthBits = f.LengthBits;
        p.ByteOrder = f.ByteOrder;
        if (p.Inner is { } tunnel) EvaluateInnerPayload(p, tunnel);
        else if (p.Header == Tunnels.GreHeader) AddGreDependency(p.Span);
        else AddPayloadDependency(p);
    }

    /// <summary>The `th` port field a raw transport payload stands for (16 bits at offset 0 or 16), or null.</summary>
    internal static HeaderField? RawTransportPort(PayloadNode p) =>
        p is { Raw: true, Base: ProtoBase.Transport, LengthBits: 16, OffsetBits: 0 or 16 }
            ? ProtocolHeaders.Th.Fields.FirstOrDefault(f => f is not null && f.OffsetBits == p.OffsetBits) : null;

    private void EvaluateExthdr(ExthdrNode e)
    {
        if (e.Field is null)
        {
            e.Type = T.Boolean;
            e.LengthBits = 8;
            e.ByteOrder = ByteOrder.Host;
        }
        else
        {
            e.Type = e.Field.Type;
            e.LengthBits = e.Field.LengthBits;
            e.ByteOrder = ByteOrder.BigEndian;
            e.OffsetBits = e.Field.OffsetBits;
        }
        // nft 1.0.6 adds no protocol check in front of tcp options and sctp chunks (the kernel parses the header).
        if (e.Op is ExthdrOp.TcpOption or ExthdrOp.SctpChunk) return;
        if (e.Op == ExthdrOp.Ipv4Option) AddNetworkDependency(ProtocolHeaders.Ip, e.Span);
        else if (e.Op == ExthdrOp.Ipv6) AddNetworkDependency(ProtocolHeaders.Ip6, e.Span);
    }

    /// <summary>`ct original saddr` takes its type from the rule's network protocol, which a map key, a
    /// concatenation or a set lookup cannot supply (nft: expr_evaluate_map/concat/relational).</summary>
    private static void RequireCtAddressFamily(Node n)
    {
        foreach (var item in n is ConcatNode c ? c.Items : new List<Node> { n })
            if (item is CtNode { NfProto: null, Key.Token: "saddr" or "daddr" })
                throw new NftEvaluationException(item.Span, "specify either ip or ip6 for address matching");
    }

    private void EvaluateCt(CtNode ct)
    {
        var k = ct.Key;
        // `meta nfproto ipv6 ct original ip saddr …`: the rule already said which network protocol it is about.
        if (ct.NfProto is 2 or 10 && _proto[ProtoBase.Network] is { } known && known != (ct.NfProto == 10 ? ProtocolHeaders.Ip6 : ProtocolHeaders.Ip))
            throw new NftEvaluationException(ct.Span, $"conflicting protocols specified: {known.Name} vs. {(ct.NfProto == 10 ? "ip6" : "ip")}");
        ct.Type = k.Type; ct.LengthBits = k.LengthBits; ct.ByteOrder = k.ByteOrder;
        if (k.Token is "saddr" or "daddr")
        {
            var net = _proto[ProtoBase.Network];
            if (net == ProtocolHeaders.Ip) { ct.Type = T.Ipv4Addr; ct.LengthBits = 32; }
            else if (net == ProtocolHeaders.Ip6) { ct.Type = T.Ipv6Addr; ct.LengthBits = 128; }
            else throw new NftEvaluationException(ct.Span, "missing network layer protocol context, use `ct original ip saddr` or `ct original ip6 saddr`");
        }
        else if (k.Token is "proto-src" or "proto-dst")
        {
            ct.Type = T.InetService; ct.LengthBits = 16;
        }
        if (k.TakesDirection is false && ct.Direction is not null)
            throw new NftEvaluationException(ct.Span, $"direction is not supported for ct {k.Token}");
    }

    private void EvaluateKeyed(KeyedNode k)
    {
        KeyTemplate? t = k.Kind switch
        {
            "rt" => OtherKeys.Rt[k.Key],
            "socket" => OtherKeys.Socket[k.Key],
            "fib" => OtherKeys.FibResult[k.Key],
            _ => null,
        };
        if (t is not null) { k.Type = t.Type; k.LengthBits = t.LengthBits; k.ByteOrder = t.ByteOrder; }
        switch (k.Kind)
        {
            case "rt" when k.Key is 1 or 2:
                if (k.Key == 2 && _ctx.Family == NftFamily.Ip) throw new NftEvaluationException(k.Span, "ip6 nexthop will not match");
                if (k.Key == 1 && k.Direction == 2 && _ctx.Family == NftFamily.Ip6) throw new NftEvaluationException(k.Span, "ip nexthop will not match");
                if (k.Direction is null)
                {
                    var net = _proto[ProtoBase.Network];
                    if (net == ProtocolHeaders.Ip6) { k.Type = T.Ipv6Addr; k.LengthBits = 128; }
                    else if (net != ProtocolHeaders.Ip) throw new NftEvaluationException(k.Span, "Cannot determine network layer protocol");
                }
                break;
            case "fib" when k.Key == 2:
                k.LengthBits = 128;
                break;
            case "osf":
                k.Type = T.String; k.LengthBits = 128; k.ByteOrder = ByteOrder.Host;
                break;
            case "numgen" or "jhash" or "symhash":
                k.Type = T.Integer; k.LengthBits = 32; k.ByteOrder = ByteOrder.Host;
                if (k.Modulus == 0) throw new NftEvaluationException(k.Span, "mod 0 is not allowed");
                if (k.HashInput is not null) EvaluateLhs(k.HashInput);
                break;
            case "xfrm":
            {
                var x = k.Key switch { 1 or 3 => (T.Ipv4Addr, 32, ByteOrder.BigEndian), 2 or 4 => (T.Ipv6Addr, 128, ByteOrder.BigEndian),
                    5 => (T.Integer, 32, ByteOrder.Host), _ => (T.Integer, 32, ByteOrder.BigEndian) };
                (k.Type, k.LengthBits, k.ByteOrder) = x;
                break;
            }
            case "socket" when k.Key == 3:
                k.LengthBits = 64;
                break;
        }
    }

    // ------------------------------------------------------------------ right-hand sides and constants

    /// <summary>Evaluates the right side against the left's type: a value, range, prefix, set, set reference.</summary>
    internal Node EvaluateRhs(Node rhs, Node left, bool allowSet)
    {
        switch (rhs)
        {
            case SetRefNode r:
            {
                var set = _ctx.FindSet(r.Name) ?? throw new NftEvaluationException(r.Span, "No such file or directory");
                r.Type = left.Type; r.LengthBits = left.LengthBits;
                CheckSetKey(set, left, r.Span);
                return r;
            }
            case SetNode s:
                if (!allowSet) throw new NftEvaluationException(s.Span, "Set is not allowed here");
                EvaluateSetLiteral(s, left, null);
                return s;
            case ListNode list when !left.Type.IsBitmask:
            {
                var s = new SetNode { Span = list.Span };
                s.Elements.AddRange(list.Items);
                EvaluateSetLiteral(s, left, null);
                return s;
            }
            default:
                return EvaluateConstant(rhs, left);
        }
    }

    private void CheckSetKey(SetDescriptor set, Node left, SourceSpan span)
    {
        int leftBits = left is ConcatNode c ? c.Items.Sum(i => Round32(i.LengthBits)) : left.LengthBits;
        int setBits = set.KeyLengthsBits.Count > 1 ? set.KeyLengthsBits.Sum(Round32) : set.KeyLengthsBits[0];
        if (set.KeyLengthsBits.Count == 1 && left is not ConcatNode && left.Type.IsString) return;
        var keyType = set.KeyTypes[0];
        if (set.KeyLengthsBits.Count == 1 && left is not ConcatNode && leftBits != setBits && left.Type != T.Integer && keyType != T.Integer
            && !left.Type.IsA(keyType) && !keyType.IsA(left.Type))
            throw new NftEvaluationException(span, $"datatype mismatch, expected {left.Type.Description}, expression has type {keyType.Description}");
        if (leftBits != setBits && !(set.KeyLengthsBits.Count == 1 && Round32(leftBits) == Round32(setBits) && left is not ConcatNode))
            throw new NftEvaluationException(span, $"datatype mismatch, expected {string.Join(" . ", set.KeyTypes.Select(t => t.Description))}, expression has type {(left is ConcatNode cc ? string.Join(" . ", cc.Items.Select(i => i.Type.Description)) : left.Type.Description)}");
    }

    /// <summary>A constant of the left side's type: value, range, prefix, flag list, concatenation.</summary>
    internal Node EvaluateConstant(Node rhs, Node left)
    {
        if (rhs is CatchAllNode) return rhs;
        if (left is ConcatNode lc)
        {
            if (rhs is not ConcatNode rc) throw new NftEvaluationException(rhs.Span, "datatype mismatch: expected concatenation");
            if (rc.Items.Count != lc.Items.Count)
                throw new NftEvaluationException(rhs.Span, $"datatype mismatch: expected {lc.Items.Count} concatenated values, got {rc.Items.Count}");
            for (int i = 0; i < rc.Items.Count; i++) rc.Items[i] = EvaluateConstant(rc.Items[i], lc.Items[i]);
            rc.LengthBits = lc.LengthBits;
            rc.Type = T.Invalid;
            return rc;
        }
        return EvaluateConstantOfType(rhs, left.Type, left.LengthBits, left.ByteOrder);
    }

    /// <summary>A bound, prefix base or operand must be one value: a range, prefix or set there is refused (the parser
    /// already refuses most such text, as nft's grammar does; this catches the rest).</summary>
    private static ValueNode SingleValue(Node evaluated) => evaluated as ValueNode ??
        throw new NftEvaluationException(evaluated.Span, $"{Describe(evaluated)} is not allowed here: a single value is expected");

    private static string Describe(Node n) => n switch
    {
        RangeNode => "a range", PrefixNode => "a prefix", SetNode => "a set", CatchAllNode => "a catch-all (*)", _ => "this expression",
    };

    internal Node EvaluateConstantOfType(Node rhs, DataType type, int lengthBits, ByteOrder order)
    {
        switch (rhs)
        {
            case SymbolNode s:
                if (type == T.Invalid) throw new NftEvaluationException(s.Span, "Can't parse symbolic invalid expressions");
                return ValueParser.Parse(s, type, lengthBits, order, _ctx.TimeZone);
            case ValueNode v: return v;
            case RangeNode r:
            {
                var lo = SingleValue(EvaluateConstantOfType(r.Low, type, lengthBits, order));
                var hi = SingleValue(EvaluateConstantOfType(r.High, type, lengthBits, order));
                if (lo.StringBytes is null && hi.Value < lo.Value && !type.IsA(T.Hour)) throw new NftEvaluationException(r.Span, "Range has zero or negative size");
                r.Low = lo; r.High = hi;
                r.Type = type; r.LengthBits = lengthBits; r.ByteOrder = order;
                return r;
            }
            case PrefixNode p:
            {
                var inner = SingleValue(EvaluateConstantOfType(p.Inner, type, lengthBits, order));
                if (p.PrefixLength > lengthBits)
                    throw new NftEvaluationException(p.Span, $"Prefix length {p.PrefixLength} is invalid for type of {lengthBits} bits width");
                var hostBits = (BigInteger.One << (lengthBits - p.PrefixLength)) - 1;
                if (inner.StringBytes is null && !(inner.Value & hostBits).IsZero)
                {
                    // nft masks these silently; `10.1.2.3/8` is more often a typo than a wish to match 10.0.0.0/8.
                    inner.Value &= ~hostBits;
                    _ctx.Warning?.Invoke(NftLanguageException.Format(p.Span,
                        $"{p.Span.Text} has host bits set; it matches {PrefixText(inner, type, p.PrefixLength)}", "Warning"));
                }
                p.Inner = inner;
                p.Type = type; p.LengthBits = lengthBits; p.ByteOrder = order;
                return p;
            }
            case ListNode list:
            {
                BigInteger acc = 0;
                foreach (var item in list.Items)
                    acc |= SingleValue(EvaluateConstantOfType(item, type, lengthBits, order)).Value;
                return new ValueNode { Value = acc, Span = list.Span, Type = type, LengthBits = lengthBits, ByteOrder = order };
            }
            case BinaryNode b when b.Op is BinaryOp.Or or BinaryOp.And or BinaryOp.Xor:
            {
                var l = SingleValue(EvaluateConstantOfType(b.Left, type, lengthBits, order));
                var r = SingleValue(EvaluateConstantOfType(b.Right, type, lengthBits, order));
                BigInteger v = b.Op switch { BinaryOp.Or => l.Value | r.Value, BinaryOp.And => l.Value & r.Value, _ => l.Value ^ r.Value };
                return new ValueNode { Value = v, Span = b.Span, Type = type, LengthBits = lengthBits, ByteOrder = order };
            }
            case CatchAllNode c: return c;
            case SetNode or SetRefNode:
                throw new NftEvaluationException(rhs.Span, "Set is not allowed here");
            case VerdictNode v:
                throw new NftEvaluationException(v.Span, "datatype mismatch, expected " + type.Description + ", expression has type netfilter verdict");
            default:
                throw new NftEvaluationException(rhs.Span, $"datatype mismatch, expected {type.Description}");
        }
    }

    /// <summary>Element keys and map values of a literal set, typed by the key (and data) expression.</summary>
    internal void EvaluateSetLiteral(SetNode s, Node key, Node? dataTemplate)
    {
        for (int i = 0; i < s.Elements.Count; i++)
        {
            var e = s.Elements[i];
            if (e is MappingNode mp)
            {
                mp.Key = EvaluateElementKey(mp.Key, key);
                if (dataTemplate is null) throw new NftEvaluationException(mp.Span, "Map is not allowed here");
                mp.Value = EvaluateMapData(mp.Value, dataTemplate);
            }
            else
            {
                if (dataTemplate is not null && dataTemplate.Type != T.Invalid)
                    throw new NftEvaluationException(e.Span, "expected mapping, got value");
                s.Elements[i] = EvaluateElementKey(e, key);
            }
        }
        s.Type = key.Type;
        s.LengthBits = key.LengthBits;
    }

    private Node EvaluateElementKey(Node e, Node key)
    {
        if (e is SetElementNode se)
        {
            se.Key = EvaluateConstant(se.Key, key);
            return se;
        }
        return EvaluateConstant(e, key);
    }

    private Node EvaluateMapData(Node value, Node template)
    {
        if (template.Type == T.Verdict)
        {
            if (value is not VerdictNode) throw new NftEvaluationException(value.Span, "datatype mismatch, expected netfilter verdict");
            return value;
        }
        return EvaluateConstant(value, template);
    }

    private void EvaluateMapLookup(MapLookupNode map)
    {
        EvaluateLhs(map.Key);
        RequireCtAddressFamily(map.Key);
        if (map.Map is SetRefNode r)
        {
            var set = _ctx.FindSet(r.Name) ?? throw new NftEvaluationException(r.Span, "No such file or directory");
            if (!set.IsMap) throw new NftEvaluationException(r.Span, $"Expression is not a map");
            CheckSetKey(set, map.Key, r.Span);
            map.Type = set.DataType ?? T.Invalid;
            map.LengthBits = set.DataLengthBits;
            map.ByteOrder = set.DataByteOrder;
            return;
        }
        // The data type of an anonymous map comes from where its result goes; set by the caller via MapTarget.
        if (map.Map is not SetNode s) throw new NftEvaluationException(map.Map.Span, "syntax error");
        var template = _mapTarget ?? throw new NftEvaluationException(map.Span, "map data type unknown here");
        EvaluateSetLiteral(s, map.Key, template);
        map.Type = template.Type; map.LengthBits = template.LengthBits; map.ByteOrder = template.ByteOrder;
    }

    /// <summary>The typed destination of the map being evaluated (meta mark, nat address, verdict...).</summary>
    private Node? _mapTarget;

    internal void EvaluateValueInto(ref Node value, Node target)
    {
        switch (value)
        {
            case MapLookupNode map:
                _mapTarget = target;
                try { EvaluateMapLookup(map); }
                finally { _mapTarget = null; }
                break;
            case PayloadNode or MetaNode or CtNode or KeyedNode or ExthdrNode or ConcatNode:
                EvaluateLhs(value);
                break;
            case BinaryNode b when !IsConstant(b.Left):
                EvaluateLhs(b);
                break;
            default:
                value = EvaluateConstant(value, target);
                break;
        }
    }

    private static bool IsConstant(Node n) => n is SymbolNode or ValueNode or RangeNode or PrefixNode or ListNode ||
        (n is BinaryNode b && IsConstant(b.Left) && IsConstant(b.Right));
}
