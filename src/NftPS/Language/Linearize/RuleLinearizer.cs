using System.Numerics;
using NftPS.Language.DataTypes;
using NftPS.Language.Evaluate;
using NftPS.Language.Protocols;
using NftPS.Language.Syntax;
using NftPS.NfTables;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Writing;
using T = NftPS.Language.DataTypes.DataTypeRegistry;
using KMetaKey = NftPS.NfTables.Expressions.MetaKey;
using KCtKey = NftPS.NfTables.Expressions.CtKey;

namespace NftPS.Language.Linearize;

/// <summary>Turns evaluated statements into kernel expressions as nft 1.0.6 does (netlink_linearize.c): registers
/// in 4-byte slots with a whole 16-byte register per non-concatenated value, byte-aligned prefixes as shorter loads,
/// ranges as cmp gte + cmp lte (`!=` as range), anonymous sets created alongside.</summary>
internal sealed partial class RuleLinearizer
{
    private readonly CompileContext _ctx;
    private readonly List<Expression> _exprs = new();
    private readonly List<(SetSpec, IReadOnlyList<ElementSpec>)> _sets = new();
    private readonly List<BoundChain> _boundChains = new();

    /// <summary>The `jump { }` chains met while linearizing, each compiled with its rules.</summary>
    public IReadOnlyList<BoundChain> BoundChains => _boundChains;
    private int _slot;
    /// <summary>Per loaded concatenation: each item's register and the index in <see cref="_exprs"/> right after its
    /// load, where a byte-order conversion for an interval lookup is inserted.</summary>
    private readonly Dictionary<ConcatNode, List<(Node Item, uint Register, int End)>> _concatItemEnds = new(ReferenceEqualityComparer.Instance);

    public RuleLinearizer(CompileContext context) => _ctx = context;

    public (List<Expression> Expressions, List<(SetSpec, IReadOnlyList<ElementSpec>)> Sets) Linearize(IEnumerable<StatementNode> statements)
    {
        foreach (var s in statements)
        {
            _slot = 0;
            int start = _exprs.Count;
            LinearizeStatement(s, start);
            // Every expression remembers the statement it came from, to put a kernel refusal's caret on it.
            var where = SourceOf(s);
            while (_spans.Count < _exprs.Count) _spans.Add(where);
        }
        return (_exprs, _sets);
    }

    /// <summary>Per expression of the last <see cref="Linearize"/>: the source of the statement that produced it.</summary>
    public IReadOnlyList<SourceSpan> ExpressionSpans => _spans;

    private readonly List<SourceSpan> _spans = new();

    /// <summary>What a kernel refusal of the statement's expressions points at: the chain name of a jump or goto
    /// (the kernel's usual complaint is that it does not exist), else the statement.</summary>
    private static SourceSpan SourceOf(StatementNode s)
    {
        if (s is VerdictStatement { Verdict: VerdictNode { Chain: { Length: > 0 } chain } v } && v.Span.Source is not null
            && v.Span.Text.EndsWith(chain, StringComparison.Ordinal))
            return new SourceSpan(v.Span.Source, v.Span.End - chain.Length, chain.Length);
        return s.Span;
    }

    private void LinearizeStatement(StatementNode s, int start)
    {
        {
            switch (s)
            {
                case MatchStatement m: LinearizeMatch(m); MarkHostOrder(start, m.Left); break;
                case VerdictStatement v: LinearizeVerdict(v); break;
                case SetStatement st: LinearizeSet(st); MarkHostOrder(start, st.Target); break;
                case DynsetStatement d: LinearizeDynset(d); break;
                case ObjectRefStatement o: LinearizeObjRef(o); break;
                case ActionStatement a: LinearizeAction(a); break;
            }
        }
    }

    /// <summary>Constants compared with or written to a host-order value (mark, length, uid, ct state...) are host-order
    /// integers: flag them so their debug text shows the value, as libnftnl prints them. Stops at a byteorder
    /// conversion, after which the register holds network order.</summary>
    private void MarkHostOrder(int from, Node value)
    {
        if (value.ByteOrder != ByteOrder.Host || value.Type.IsString || value is ConcatNode) return;
        const DataDisplayOrder host = DataDisplayOrder.Host;
        for (int i = from; i < _exprs.Count; i++)
        {
            switch (_exprs[i])
            {
                case ByteorderExpression: return;
                case CmpExpression c: _exprs[i] = c with { DisplayByteOrder = host }; break;
                case RangeExpression r: _exprs[i] = r with { DisplayByteOrder = host }; break;
                case BitwiseExpression b: _exprs[i] = b with { DisplayByteOrder = host }; break;
                case ImmediateExpression { DestinationRegister: not 0 } im: _exprs[i] = im with { DisplayByteOrder = host }; break;
            }
        }
    }

    // ------------------------------------------------------------------ registers

    /// <summary>Allocates a register for a value of this many bits: a whole 16-byte register unless it is a concatenation.</summary>
    private uint AllocRegister(Node n) => AllocSlots(n is ConcatNode c ? (c.LengthBits + 31) / 32 : 4);

    private uint AllocSlots(int slots)
    {
        int s = _slot;
        _slot += Math.Max(slots, 1);
        return SlotToRegister(s);
    }

    private static uint SlotToRegister(int slot) => slot % 4 == 0 ? (uint)(1 + slot / 4) : (uint)(8 + slot);

    private static int RegisterToSlot(uint reg) => reg is >= 1 and <= 4 ? (int)(reg - 1) * 4 : (int)reg - 8;

    // ------------------------------------------------------------------ loads

    /// <summary>Emits the expressions that load <paramref name="n"/> into <paramref name="reg"/>.</summary>
    private void Load(Node n, uint reg)
    {
        switch (n)
        {
            case PayloadNode p:
            {
                var (off, len, _, _) = PayloadWindow(p);
                _exprs.Add(InTunnel(p.Inner, new PayloadExpression { DestinationRegister = reg, Base = KernelBase(p.Base), Offset = (uint)off, Length = (uint)len }));
                MaskPayload(p, reg);
                break;
            }
            case ExthdrNode e: LoadExthdr(e, reg); break;
            case MetaNode m:
                _exprs.Add(InTunnel(m.Inner, new MetaExpression { Key = (KMetaKey)m.Key.Key, DestinationRegister = reg }));
                break;
            case CtNode ct:
                _exprs.Add(new CtExpression { Key = (KCtKey)CtKernelKey(ct), DestinationRegister = reg,
                    Direction = ct.Direction is int d ? (CtDirection)d : null });
                break;
            case KeyedNode k: LoadKeyed(k, reg); break;
            case ConcatNode c:
            {
                int slot = RegisterToSlot(reg);
                var ends = new List<(Node, uint, int)>();
                foreach (var item in c.Items)
                {
                    Load(item, SlotToRegister(slot));
                    ShiftIntoPlace(item, SlotToRegister(slot));
                    ends.Add((item, SlotToRegister(slot), _exprs.Count));
                    slot += (item.LengthBits + 31) / 32;
                }
                _concatItemEnds[c] = ends;
                break;
            }
            case BinaryNode b: LoadBinary(b, reg); break;
            case MapLookupNode map: LoadMap(map, reg); break;
            case ValueNode or RangeNode or PrefixNode:
                _exprs.Add(new ImmediateExpression { DestinationRegister = reg, Data = ValueBytes(n, n.LengthBits) });
                break;
            default:
                throw new NftEvaluationException(n.Span, "Cannot linearize this expression");
        }
    }

    /// <summary>A load from the packet inside a tunnel: the kernel's inner expression around it.</summary>
    private static Expression InTunnel(TunnelDesc? tunnel, Expression load) => tunnel is null ? load : new InnerExpression
    {
        Type = (InnerType)tunnel.Type, HeaderSize = tunnel.HeaderSize, Flags = (InnerFlags)tunnel.Flags, Body = load,
    };

    private static PayloadBase KernelBase(ProtoBase b) => b switch
    {
        ProtoBase.Tunnel => PayloadBase.Tunnel,
        ProtoBase.LinkLayer => PayloadBase.LinkLayer, ProtoBase.Network => PayloadBase.Network,
        ProtoBase.Transport => PayloadBase.Transport, _ => PayloadBase.Inner,
    };

    /// <summary>Register bytes and left shift of a header or extension header field that is loaded whole bytes at a
    /// time (values compared with it are shifted into place); null for other expressions.</summary>
    internal static (int Length, int Shift)? FieldWindow(Node n)
    {
        switch (n)
        {
            case PayloadNode p:
            {
                var w = PayloadWindow(p);
                return (w.Length, w.Shift);
            }
            case ExthdrNode { Field: not null } e:
            {
                int lenBytes = (e.OffsetBits % 8 + e.LengthBits + 7) / 8;
                return (lenBytes, lenBytes * 8 - e.OffsetBits % 8 - e.LengthBits);
            }
            default: return null;
        }
    }

    /// <summary>Bytes to load for a header field: offset, length, and the bit shift/mask when not byte aligned.</summary>
    private static (int Offset, int Length, int Shift, bool Masked) PayloadWindow(PayloadNode p)
    {
        int bitOff = p.OffsetBits + p.ExtraOffsetBits;
        int first = bitOff / 8;
        int lenBytes = (bitOff % 8 + p.LengthBits + 7) / 8;
        int shift = lenBytes * 8 - (bitOff % 8) - p.LengthBits;
        bool masked = bitOff % 8 != 0 || p.LengthBits % 8 != 0;
        return (first, lenBytes, shift, masked);
    }

    private void MaskPayload(PayloadNode p, uint reg)
    {
        var (_, len, shift, masked) = PayloadWindow(p);
        if (!masked) return;
        BigInteger mask = ((BigInteger.One << p.LengthBits) - 1) << shift;
        _exprs.Add(new BitwiseExpression { SourceRegister = reg, DestinationRegister = reg, Length = (uint)len,
            Mask = BigEndianBytes(mask, len), Xor = new byte[len] });
    }

    /// <summary>Shifts a field that does not end on a byte boundary (ip dscp, ip6 dscp) down to its value where the
    /// value cannot be shifted instead: concatenation items, named set and map keys. nft's evaluator masks and shifts
    /// every such field and moves the shift onto constants and anonymous set elements only (binop_transfer).</summary>
    private void ShiftIntoPlace(Node n, uint reg)
    {
        if (n is not (PayloadNode or ExthdrNode) || FieldWindow(n) is not { Shift: > 0 } fw) return;
        _exprs.Add(new BitwiseExpression { SourceRegister = reg, DestinationRegister = reg, Length = (uint)fw.Length,
            Operator = BitwiseOperator.RightShift, Data = BitConverter.GetBytes((uint)fw.Shift) });
    }

    private static byte[] BigEndianBytes(BigInteger v, int len)
    {
        var r = new byte[len];
        byte[] le = v.IsZero ? Array.Empty<byte>() : v.ToByteArray(isUnsigned: true, isBigEndian: false);
        for (int i = 0; i < Math.Min(le.Length, len); i++) r[len - 1 - i] = le[i];
        return r;
    }

    private void LoadExthdr(ExthdrNode e, uint reg)
    {
        var op = e.Op switch { ExthdrOp.TcpOption => ExthdrOperation.TcpOption, ExthdrOp.Ipv4Option => ExthdrOperation.Ipv4,
            ExthdrOp.SctpChunk => ExthdrOperation.Sctp, _ => ExthdrOperation.Ipv6 };
        if (e.Field is null)
        {
            _exprs.Add(new ExthdrExpression { DestinationRegister = reg, Type = (byte)e.Desc.Type, Offset = 0, Length = 1,
                Flags = ExthdrFlags.Present, Operation = op });
            return;
        }
        int first = e.OffsetBits / 8;
        int lenBytes = (e.OffsetBits % 8 + e.LengthBits + 7) / 8;
        _exprs.Add(new ExthdrExpression { DestinationRegister = reg, Type = (byte)e.Desc.Type, Offset = (uint)first, Length = (uint)lenBytes,
            Operation = op });
        if (e.OffsetBits % 8 != 0 || e.LengthBits % 8 != 0)
        {
            int shift = lenBytes * 8 - e.OffsetBits % 8 - e.LengthBits;
            BigInteger mask = ((BigInteger.One << e.LengthBits) - 1) << shift;
            _exprs.Add(new BitwiseExpression { SourceRegister = reg, DestinationRegister = reg, Length = (uint)lenBytes,
                Mask = BigEndianBytes(mask, lenBytes), Xor = new byte[lenBytes] });
        }
    }

    /// <summary>The kernel key: `ct original saddr` stays the generic NFT_CT_SRC (its type comes from the rule's
    /// network protocol), `ct original ip saddr` is NFT_CT_SRC_IP, as nft 1.0.6 sends them.</summary>
    private static int CtKernelKey(CtNode ct) => ct.Key.Key;

    private void LoadKeyed(KeyedNode k, uint reg)
    {
        switch (k.Kind)
        {
            case "rt":
            {
                int key = k.Key;
                if (key is 1 or 2) key = k.Type == T.Ipv6Addr ? 2 : 1;
                _exprs.Add(new RtExpression { Key = (RtKey)key, DestinationRegister = reg });
                break;
            }
            case "socket":
                _exprs.Add(new SocketExpression { Key = (SocketKey)k.Key, DestinationRegister = reg, Level = k.Level is int l ? (uint)l : null });
                break;
            case "osf":
                _exprs.Add(new OsfExpression { DestinationRegister = reg, Ttl = k.Level is int t ? (byte)t : null,
                    Flags = k.Key == 1 ? OsfFlags.Version : null });
                break;
            case "fib":
                _exprs.Add(new FibExpression { DestinationRegister = reg, Result = (FibResult)k.Key, Flags = (FibFlags)k.Flags });
                break;
            case "numgen":
                _exprs.Add(new NumgenExpression { DestinationRegister = reg, Modulus = k.Modulus, Type = (NumgenType)k.Key, Offset = k.Offset });
                break;
            case "jhash":
            {
                uint src = AllocRegister(k.HashInput!);
                Load(k.HashInput!, src);
                _exprs.Add(new HashExpression { Type = HashType.Jenkins, SourceRegister = src, DestinationRegister = reg,
                    Length = (uint)((k.HashInput!.LengthBits + 7) / 8), Modulus = k.Modulus, Offset = k.Offset,
                    // Without `seed` nft sends none: the kernel picks a random one and does not list it.
                    Seed = k.SeedSet ? k.Seed : null });
                break;
            }
            case "symhash":
                _exprs.Add(new HashExpression { Type = HashType.Symmetric, DestinationRegister = reg, Modulus = k.Modulus, Offset = k.Offset });
                break;
            case "xfrm":
                _exprs.Add(new XfrmExpression { Key = (XfrmKey)k.Key, Direction = (XfrmDirection)(k.Direction ?? 0), SpNum = (uint)(k.Spnum ?? 0),
                    DestinationRegister = reg });
                break;
            default:
                throw new NftEvaluationException(k.Span, $"{k.Kind} is not supported yet");
        }
    }

    private void LoadBinary(BinaryNode b, uint reg)
    {
        Load(b.Left, reg);
        int len = (b.Left.LengthBits + 7) / 8;
        if (b.Op is BinaryOp.LShift or BinaryOp.RShift)
        {
            if (b.Right is not ValueNode { Value: var sv } || sv < 0 || sv > uint.MaxValue)
                throw new NftEvaluationException(b.Right.Span, "a shift must be a 32-bit number");
            uint shift = (uint)sv;
            _exprs.Add(new BitwiseExpression { SourceRegister = reg, DestinationRegister = reg, Length = (uint)len,
                Operator = b.Op == BinaryOp.LShift ? BitwiseOperator.LeftShift : BitwiseOperator.RightShift,
                Data = BitConverter.GetBytes(shift) });
            return;
        }
        byte[] c = ValueBytes(b.Right, b.Left.LengthBits);
        // A string or oversized operand (`meta oifname 0/ "x"`) has no bitwise meaning: nft refuses it in its grammar.
        if (c.Length < len) throw new NftEvaluationException(b.Right.Span, "this value cannot be used as a bit mask here");
        byte[] mask = new byte[len], xor = new byte[len];
        for (int i = 0; i < len; i++)
        {
            switch (b.Op)
            {
                case BinaryOp.And: mask[i] = c[i]; xor[i] = 0; break;
                case BinaryOp.Or: mask[i] = (byte)~c[i]; xor[i] = c[i]; break;
                default: mask[i] = 0xff; xor[i] = c[i]; break;
            }
        }
        // nft folds a chain of &, |, ^ on one register into a single bitwise.
        if (_exprs.Count > 0 && _exprs[^1] is BitwiseExpression { Operator: null or BitwiseOperator.MaskXor } prev &&
            prev.DestinationRegister == reg && prev.Length == len && prev.Mask is { } pm && prev.Xor is { } px && b.Left is BinaryNode)
        {
            var m2 = new byte[len];
            var x2 = new byte[len];
            for (int i = 0; i < len; i++) { m2[i] = (byte)(pm[i] & mask[i]); x2[i] = (byte)((px[i] & mask[i]) ^ xor[i]); }
            _exprs[^1] = prev with { Mask = m2, Xor = x2 };
            return;
        }
        _exprs.Add(new BitwiseExpression { SourceRegister = reg, DestinationRegister = reg, Length = (uint)len, Mask = mask, Xor = xor });
    }

    private void LoadMap(MapLookupNode map, uint dreg)
    {
        // nft 1.0.6 (netlink_gen_map) loads the key of a data map into the register the data goes to.
        uint sreg;
        if (dreg == 0) sreg = AllocRegister(map.Key);
        else
        {
            sreg = dreg;
            int end = RegisterToSlot(dreg) + (map.Key is ConcatNode c ? (c.LengthBits + 31) / 32 : 4);
            if (end > _slot) _slot = end;
        }
        Load(map.Key, sreg);
        var (name, id) = SetTarget(map.Map, map.Key, map, sreg);
        _exprs.Add(new LookupExpression { SetName = name, SetId = id, SourceRegister = sreg, DestinationRegister = dreg });
    }

    // ------------------------------------------------------------------ values

    /// <summary>Register bytes of a constant (concatenations padded to 4 bytes per item).</summary>
    internal static byte[] ValueBytes(Node n, int lengthBits)
    {
        switch (n)
        {
            case ValueNode v when v.StringBytes is not null:
            {
                if (v.Wildcard) return v.StringBytes;
                var r = new byte[Math.Max((lengthBits + 7) / 8, v.StringBytes.Length)];
                v.StringBytes.CopyTo(r, 0);
                return r;
            }
            case ValueNode v:
            {
                int bits = lengthBits > 0 ? lengthBits : v.LengthBits;
                // The parsers refuse negative constants where a type cannot hold them; this is the last guard.
                if (v.Value.Sign < 0) throw new NftEvaluationException(v.Span, "value out of range: negative");
                return new Constant(v.Type, v.ByteOrder == ByteOrder.Invalid ? ByteOrder.BigEndian : v.ByteOrder, bits, v.Value).ToBytes((bits + 7) / 8);
            }
            case ConcatNode c:
            {
                var list = new List<byte>();
                foreach (var item in c.Items)
                {
                    var b = ValueBytes(item, item.LengthBits);
                    int padded = (b.Length + 3) / 4 * 4;
                    list.AddRange(b);
                    for (int i = b.Length; i < padded; i++) list.Add(0);
                }
                return list.ToArray();
            }
            case PrefixNode p: return ValueBytes(p.Inner, lengthBits);
            case RangeNode r: return ValueBytes(r.Low, lengthBits);
            default: throw new NftEvaluationException(n.Span, "expected a constant");
        }
    }
}
