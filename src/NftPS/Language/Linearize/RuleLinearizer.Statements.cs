using System.Numerics;
using NftPS.Language.DataTypes;
using NftPS.Language.Evaluate;
using NftPS.Language.Protocols;
using NftPS.Language.Syntax;
using NftPS.NfTables;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;
using NftPS.NfTables.Writing;
using T = NftPS.Language.DataTypes.DataTypeRegistry;
using KMetaKey = NftPS.NfTables.Expressions.MetaKey;
using KCtKey = NftPS.NfTables.Expressions.CtKey;

namespace NftPS.Language.Linearize;

internal sealed partial class RuleLinearizer
{
    private void LinearizeMatch(MatchStatement m)
    {
        var left = m.Left;
        var right = m.Right;
        if (right is SetRefNode or SetNode)
        {
            uint sreg = AllocRegister(left);
            Load(left, sreg);
            var (name, id) = SetTarget(right, left, null, sreg);
            _exprs.Add(new LookupExpression { SetName = name, SetId = id, SourceRegister = sreg,
                Flags = m.Op == RelOp.Neq ? LookupFlags.Invert : null });
            return;
        }
        // Byte-aligned prefixes of header fields load only the prefix bytes. A zero-length prefix still loads and masks
        // (nft 1.0.6 keeps `ip daddr 0.0.0.0/0`: it fails on packets without that header).
        if (right is PrefixNode pfx && left is PayloadNode pp && !pp.Raw && (pp.OffsetBits + pp.ExtraOffsetBits) % 8 == 0 &&
            pfx.PrefixLength % 8 == 0 && pfx.PrefixLength > 0 && m.Op is RelOp.Implicit or RelOp.Eq or RelOp.Neq)
        {
            uint r = AllocRegister(left);
            int n = pfx.PrefixLength / 8;
            _exprs.Add(InTunnel(pp.Inner, new PayloadExpression { DestinationRegister = r, Base = KernelBase(pp.Base),
                Offset = (uint)((pp.OffsetBits + pp.ExtraOffsetBits) / 8), Length = (uint)n }));
            byte[] full = ValueBytes(pfx.Inner, left.LengthBits);
            _exprs.Add(new CmpExpression { SourceRegister = r, Operator = m.Op == RelOp.Neq ? CmpOperator.Neq : CmpOperator.Eq, Data = full[..n] });
            return;
        }
        uint reg = AllocRegister(left);
        Load(left, reg);
        // Other big-endian keys (`ct original ip saddr 192.168.1.0/24`) load whole and compare the prefix bytes only,
        // as nft 1.0.6 does; unaligned prefixes go through a mask below.
        if (right is PrefixNode bp && left is not PayloadNode && left.ByteOrder == ByteOrder.BigEndian && bp.PrefixLength > 0
            && bp.PrefixLength % 8 == 0 && FieldWindow(left) is null && m.Op is RelOp.Implicit or RelOp.Eq or RelOp.Neq)
        {
            byte[] full = ValueBytes(bp.Inner, left.LengthBits);
            _exprs.Add(new CmpExpression { SourceRegister = reg, Operator = m.Op == RelOp.Neq ? CmpOperator.Neq : CmpOperator.Eq,
                Data = full[..(bp.PrefixLength / 8)] });
            return;
        }
        int lenBytes = (left.LengthBits + 7) / 8;
        int shift = 0;
        if (FieldWindow(left) is { } fw)
        {
            lenBytes = fw.Length;
            shift = fw.Shift;
        }
        switch (right)
        {
            case PrefixNode prefix:
            {
                BigInteger mask = ((BigInteger.One << prefix.PrefixLength) - 1) << (left.LengthBits - prefix.PrefixLength);
                byte[] maskBytes = ToRegisterBytes(mask, left, lenBytes);
                _exprs.Add(new BitwiseExpression { SourceRegister = reg, DestinationRegister = reg, Length = (uint)lenBytes,
                    Mask = maskBytes, Xor = new byte[lenBytes] });
                var inner = (ValueNode)prefix.Inner;
                byte[] val = ToRegisterBytes((inner.Value & mask) << shift, left, lenBytes);
                _exprs.Add(new CmpExpression { SourceRegister = reg, Operator = m.Op == RelOp.Neq ? CmpOperator.Neq : CmpOperator.Eq, Data = val });
                return;
            }
            case RangeNode range:
            {
                byte[] lo, hi;
                if (left.ByteOrder == ByteOrder.Host && lenBytes > 1)
                {
                    // cmp compares memory: host-order values are swapped to big endian first.
                    _exprs.Add(new ByteorderExpression { SourceRegister = reg, DestinationRegister = reg, Operator = ByteorderOperator.HostToNetwork,
                        Length = (uint)lenBytes, Size = (uint)Math.Min(lenBytes, lenBytes >= 4 ? 4 : lenBytes) });
                    lo = BigEndianBytes(((ValueNode)range.Low).Value << shift, lenBytes);
                    hi = BigEndianBytes(((ValueNode)range.High).Value << shift, lenBytes);
                }
                else
                {
                    lo = ShiftedBytes((ValueNode)range.Low, left, lenBytes, shift);
                    hi = ShiftedBytes((ValueNode)range.High, left, lenBytes, shift);
                }
                if (m.Op == RelOp.Neq)
                    _exprs.Add(new RangeExpression { SourceRegister = reg, Operator = RangeOperator.Neq, From = lo, To = hi });
                else
                {
                    _exprs.Add(new CmpExpression { SourceRegister = reg, Operator = CmpOperator.Gte, Data = lo });
                    _exprs.Add(new CmpExpression { SourceRegister = reg, Operator = CmpOperator.Lte, Data = hi });
                }
                return;
            }
            case ValueNode v:
            {
                if (m.Op is RelOp.Implicit or RelOp.Neg && left.Type.IsFlagType && left is not BinaryNode)
                {
                    // `ct state established,related`: any of the flags; `tcp flags ! fin,rst`: none of them. As in
                    // nft, only types built on bitmask count; a plain bitmask field (`comp flags 0x0`) compares for
                    // equality.
                    byte[] maskBytes = ShiftedBytes(v, left, lenBytes, shift);
                    _exprs.Add(new BitwiseExpression { SourceRegister = reg, DestinationRegister = reg, Length = (uint)lenBytes,
                        Mask = maskBytes, Xor = new byte[lenBytes] });
                    _exprs.Add(new CmpExpression { SourceRegister = reg, Operator = m.Op == RelOp.Neg ? CmpOperator.Eq : CmpOperator.Neq,
                        Data = new byte[lenBytes] });
                    return;
                }
                byte[] data = v.StringBytes is not null ? ValueBytes(v, left.LengthBits) : ShiftedBytes(v, left, lenBytes, shift);
                if (m.Op is RelOp.Lt or RelOp.Gt or RelOp.Lte or RelOp.Gte && left.ByteOrder == ByteOrder.Host && v.StringBytes is null && lenBytes > 1)
                {
                    // Ordered comparisons compare memory: host-order values are swapped to big endian first.
                    _exprs.Add(new ByteorderExpression { SourceRegister = reg, DestinationRegister = reg, Operator = ByteorderOperator.HostToNetwork,
                        Length = (uint)lenBytes, Size = (uint)(lenBytes is 2 or 4 or 8 ? lenBytes : Math.Min(lenBytes, 4)) });
                    data = BigEndianBytes(v.Value << shift, lenBytes);
                }
                _exprs.Add(new CmpExpression { SourceRegister = reg, Operator = CmpOp(m.Op), Data = data });
                return;
            }
            case ConcatNode c:
                _exprs.Add(new CmpExpression { SourceRegister = reg, Operator = CmpOp(m.Op), Data = ValueBytes(c, c.LengthBits) });
                return;
            default:
                throw new NftEvaluationException(right.Span, "Cannot linearize this match");
        }
    }

    private static byte[] ShiftedBytes(ValueNode v, Node left, int lenBytes, int shift) =>
        shift == 0 && (left.LengthBits + 7) / 8 == lenBytes ? ValueBytes(v, left.LengthBits) : ToRegisterBytes(v.Value << shift, left, lenBytes);

    private static byte[] ToRegisterBytes(BigInteger value, Node left, int lenBytes) =>
        left.ByteOrder == ByteOrder.Host
            ? new Constant(left.Type, ByteOrder.Host, lenBytes * 8, value).ToBytes(lenBytes)
            : BigEndianBytes(value, lenBytes);

    private static CmpOperator CmpOp(RelOp op) => op switch
    {
        RelOp.Neq => CmpOperator.Neq, RelOp.Lt => CmpOperator.Lt, RelOp.Gt => CmpOperator.Gt,
        RelOp.Lte => CmpOperator.Lte, RelOp.Gte => CmpOperator.Gte, _ => CmpOperator.Eq,
    };

    private static NftVerdict Verdict(VerdictNode v) => v.Verdict switch
    {
        "accept" => new NftVerdict(VerdictCode.Accept), "drop" => new NftVerdict(VerdictCode.Drop),
        "continue" => new NftVerdict(VerdictCode.Continue), "return" => new NftVerdict(VerdictCode.Return),
        "jump" => new NftVerdict(VerdictCode.Jump, v.Chain), "goto" => new NftVerdict(VerdictCode.Goto, v.Chain),
        "queue" => new NftVerdict(VerdictCode.Queue),
        _ => throw new NftEvaluationException(v.Span, "unknown verdict"),
    };

    private void LinearizeVerdict(VerdictStatement v)
    {
        if (v.Verdict is VerdictNode { Body: { } body } bound)
        {
            // nft creates the anonymous chain, then its rules (compiled like any rule of this table), then this rule.
            var rules = body.Select(r => RuleCompiler.Compile(r, _ctx)).ToList();
            uint chainId = _ctx.Ids.NextChainId();
            _boundChains.Add(new BoundChain(chainId, rules));
            var code = bound.Verdict == "goto" ? VerdictCode.Goto : VerdictCode.Jump;
            _exprs.Add(new ImmediateExpression { DestinationRegister = 0, Verdict = new NftVerdict(code, null, chainId) });
            return;
        }
        if (v.Verdict is VerdictNode vn)
        {
            _exprs.Add(new ImmediateExpression { DestinationRegister = 0, Verdict = Verdict(vn) });
            return;
        }
        var map = (MapLookupNode)v.Verdict;
        uint sreg = AllocRegister(map.Key);
        Load(map.Key, sreg);
        var (name, id) = SetTarget(map.Map, map.Key, map, sreg);
        _exprs.Add(new LookupExpression { SetName = name, SetId = id, SourceRegister = sreg, DestinationRegister = 0 });
    }

    private void LinearizeSet(SetStatement s)
    {
        if (s.Target is PayloadNode { } mp && s.Value is ValueNode { StringBytes: null } constant
            && (PayloadWindow(mp).Masked || NeedsChecksum(mp) && PayloadWindow(mp).Length % 2 == 1))
        {
            LinearizeMaskedPayloadWrite(mp, constant.Value);
            return;
        }
        if (s.Target is PayloadNode fp && SelfBinop(fp, s.Value) is var (selfOp, operand)
            && (PayloadWindow(fp).Masked || NeedsChecksum(fp) && PayloadWindow(fp).Length % 2 == 1))
        {
            LinearizeMaskedPayloadWrite(fp, operand, selfOp);
            return;
        }
        uint reg = AllocRegister(s.Value);
        Load(s.Value, reg);
        ConvertToTargetOrder(s, reg);
        switch (s.Target)
        {
            case MetaNode m:
                _exprs.Add(new MetaExpression { Key = (KMetaKey)m.Key.Key, SourceRegister = reg });
                break;
            case CtNode ct:
                _exprs.Add(new CtExpression { Key = (KCtKey)ct.Key.Key, SourceRegister = reg, Direction = ct.Direction is int d ? (CtDirection)d : null });
                break;
            case PayloadNode p:
            {
                var (off, len, _, masked) = PayloadWindow(p);
                if (masked) throw new NftEvaluationException(p.Span, "setting a field that is not byte aligned is not supported yet");
                _exprs.Add(PayloadWrite(p, reg, off, len));
                break;
            }
            case ExthdrNode e:
                _exprs.Add(new ExthdrExpression { SourceRegister = reg, Type = (byte)e.Desc.Type, Offset = (uint)(e.OffsetBits / 8),
                    Length = (uint)((e.LengthBits + 7) / 8), Operation = e.Op == ExthdrOp.TcpOption ? ExthdrOperation.TcpOption : ExthdrOperation.Ipv6 });
                break;
            default:
                throw new NftEvaluationException(s.Target.Span, "this expression cannot be set");
        }
    }

    /// <summary>nft 1.0.6 (__stmt_evaluate_arg, stmt_evaluate_payload) swaps a host-order value to the target's big
    /// endian order when the value is an rt key (`tcp option maxseg size set rt mtu`) or written to a header field.</summary>
    private void ConvertToTargetOrder(SetStatement s, uint reg)
    {
        var v = s.Value;
        var targetOrder = s.Target is ExthdrNode ? ByteOrder.BigEndian : s.Target.ByteOrder;
        bool applies = v is KeyedNode { Kind: "rt" } || s.Target is PayloadNode && v is not (ValueNode or RangeNode or PrefixNode or ConcatNode);
        if (!applies || v.ByteOrder != ByteOrder.Host || targetOrder != ByteOrder.BigEndian || v.LengthBits < 16) return;
        uint len = (uint)(v.LengthBits / 8);
        uint size = v.LengthBits % 64 == 0 ? 8u : v.LengthBits % 32 == 0 ? 4u : 2u;
        _exprs.Add(new ByteorderExpression { SourceRegister = reg, DestinationRegister = reg, Operator = ByteorderOperator.HostToNetwork,
            Length = len, Size = size });
    }

    /// <summary>A write of part of the bytes (ip dscp, ecn, vlan id, flowlabel), or of an odd number of bytes of a
    /// header with a checksum (ip ttl): as nft 1.0.6's stmt_evaluate_payload, load the bytes that hold the field,
    /// widened to 16 bits when a checksum is updated (the kernel's checksum update works on 16-bit words), clear
    /// the field's bits, set the new value, write it back.</summary>
    /// <summary>`ip ecn set ip ecn | ect0`, `tcp flags set tcp flags & (fin | syn)`: the field itself, or'ed or and'ed
    /// with constants (a chain of one operator folds into one constant).</summary>
    private static (BinaryOp Op, BigInteger Value)? SelfBinop(PayloadNode target, Node value)
    {
        if (value is not BinaryNode { Op: BinaryOp.Or or BinaryOp.And } b || b.Right is not ValueNode { StringBytes: null } c) return null;
        if (b.Left is PayloadNode l)
            return l.Raw == target.Raw && l.Base == target.Base && l.OffsetBits == target.OffsetBits && l.ExtraOffsetBits == target.ExtraOffsetBits
                && l.LengthBits == target.LengthBits ? (b.Op, c.Value) : null;
        if (SelfBinop(target, b.Left) is not var (op, inner) || op != b.Op) return null;
        return (op, op == BinaryOp.Or ? inner | c.Value : inner & c.Value);
    }

    /// <param name="op">null: the field becomes <paramref name="value"/>; Or/And (nft 1.1): only the bits the constant
    /// sets, or clears, change.</param>
    private void LinearizeMaskedPayloadWrite(PayloadNode p, BigInteger value, BinaryOp? op = null)
    {
        int bitOff = p.OffsetBits + p.ExtraOffsetBits;
        int byteOff = bitOff / 8;
        int inByte = bitOff % 8;
        int size = (inByte + p.LengthBits + 7) / 8;
        int shift = size * 8 - inByte - p.LengthBits;
        if (NeedsChecksum(p) && size % 2 == 1)
        {
            size++;
            if (byteOff % 2 == 1) byteOff--;
            else shift += 8;
        }
        BigInteger all = (BigInteger.One << (size * 8)) - 1;
        BigInteger field = ((BigInteger.One << p.LengthBits) - 1) << shift;
        uint reg = AllocSlots(4);
        _exprs.Add(new PayloadExpression { DestinationRegister = reg, Base = KernelBase(p.Base), Offset = (uint)byteOff, Length = (uint)size });
        BigInteger v = (value << shift) & field;
        BigInteger changed = op switch { BinaryOp.Or => v, BinaryOp.And => field & ~v, _ => field };
        _exprs.Add(new BitwiseExpression { SourceRegister = reg, DestinationRegister = reg, Length = (uint)size,
            Mask = BigEndianBytes(all & ~changed, size), Xor = BigEndianBytes(op == BinaryOp.And ? BigInteger.Zero : v, size) });
        _exprs.Add(PayloadWrite(p, reg, byteOff, size));
    }

    /// <summary>The header has a checksum nft updates on write (stmt_evaluate_payload_need_csum). A raw payload has
    /// none (nft 1.0.6 gives it the "unknown" header), except under `@ih`, where nft assumes one.</summary>
    private static bool NeedsChecksum(PayloadNode p) =>
        p.Raw ? p.Base == ProtoBase.Inner : p.Header is { } h && (h.Field("checksum") is not null || h == ProtocolHeaders.Udp || h == ProtocolHeaders.UdpLite);

    private static PayloadExpression PayloadWrite(PayloadNode p, uint reg, int off, int len)
    {
        var h = p.Header;
        PayloadChecksumType csum = PayloadChecksumType.None;
        uint csumOff = 0;
        if (h?.Field("checksum") is { } cf && h != ProtocolHeaders.Udp && h != ProtocolHeaders.UdpLite)
        {
            csum = h == ProtocolHeaders.Sctp ? PayloadChecksumType.Sctp : PayloadChecksumType.Inet;
            csumOff = (uint)(cf.OffsetBits / 8);
        }
        else if (h == ProtocolHeaders.Udp || h == ProtocolHeaders.UdpLite)
        {
            csum = PayloadChecksumType.Inet;
            csumOff = 6;
        }
        // Fields in the transport pseudo-header, and raw writes to the inner header, also update the L4 checksum.
        var flags = p.Raw && p.Base == ProtoBase.Inner || (h == ProtocolHeaders.Ip && p.Field?.Name is "saddr" or "daddr" or "protocol")
                          || (h == ProtocolHeaders.Ip6 && p.Field?.Name is "saddr" or "daddr" or "nexthdr")
            ? PayloadChecksumFlags.L4PseudoHeader : PayloadChecksumFlags.None;
        return new PayloadExpression { SourceRegister = reg, Base = KernelBase(p.Base), Offset = (uint)off, Length = (uint)len,
            ChecksumType = csum, ChecksumOffset = csumOff, ChecksumFlags = flags };
    }

    private void LinearizeDynset(DynsetStatement d)
    {
        // nft sizes a map statement's key register as one whole register whatever the key (the key is wrapped in a
        // set element there, not a concatenation), so `{ a . b : data }` puts the data in reg 2, not reg 10. A key
        // longer than 16 bytes keeps all its room: nft would load the data over the key's tail.
        uint kreg = d.Data is not null && d.Key is ConcatNode kc ? AllocSlots(Math.Max(4, (kc.LengthBits + 31) / 32)) : AllocRegister(d.Key);
        Load(d.Key, kreg);
        if (d.Key is not ConcatNode) ShiftIntoPlace(d.Key, kreg);
        uint? dreg = null;
        if (d.Data is not null)
        {
            dreg = AllocRegister(d.Data);
            Load(d.Data, dreg.Value);
        }
        var inner = new RuleLinearizer(_ctx);
        var (exprs, _) = inner.Linearize(d.Statements);
        uint? setId = null;
        if (d.IsMeter)
        {
            var meterSet = AnonymousSetBuilder.BuildMeter(d, _ctx.Ids.NextSetId());
            _sets.Add((meterSet, Array.Empty<ElementSpec>()));
            setId = meterSet.SetId;
        }
        _exprs.Add(new DynsetExpression
        {
            SetName = d.SetName,
            SetId = setId,
            Operation = d.Operation switch { "add" => DynsetOperation.Add, "delete" => DynsetOperation.Delete, _ => DynsetOperation.Update },
            SourceKeyRegister = kreg,
            SourceDataRegister = dreg,
            Timeout = d.TimeoutMs,
            ElementExpression = exprs.Count == 1 ? exprs[0] : null,
            ElementExpressions = exprs.Count > 1 ? exprs : null,
            // The kernel takes a list of element expressions only with NFT_DYNSET_F_EXPR.
            Flags = exprs.Count > 1 ? DynsetFlags.Expression : null,
        });
    }

    private void LinearizeObjRef(ObjectRefStatement o)
    {
        if (o.Name is MapLookupNode map)
        {
            uint sreg = AllocRegister(map.Key);
            Load(map.Key, sreg);
            var (name, id) = SetTarget(map.Map, map.Key, map, sreg, map.Map is SetNode ? (uint)o.ObjectType : null);
            _exprs.Add(new ObjrefExpression { SetSourceRegister = sreg, SetName = name, SetId = id });
            return;
        }
        string objName = o.Name is SymbolNode s ? s.Text : o.Name.ToString()!;
        _exprs.Add(new ObjrefExpression { ObjectType = (NftObjectType)o.ObjectType, ObjectName = objName });
    }
}
