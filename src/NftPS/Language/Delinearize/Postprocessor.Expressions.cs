using NftPS.NfTables;
using System.Numerics;
using NftPS.Language.DataTypes;
using NftPS.Language.Model;
using NftPS.Language.Protocols;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;
using T = NftPS.Language.DataTypes.DataTypeRegistry;

namespace NftPS.Language.Delinearize;

/// <summary>The generic expression pass (expr_postprocess) and expr_set_type on the right-hand side.</summary>
internal sealed partial class Postprocessor
{
    internal void Expr(SExpr e)
    {
        switch (e)
        {
            case PayloadX p:
                CompletePayload(p, absolute: true);
                DependencyKill(p);
                break;
            case BinopX b:
                Expr(b.Left);
                if (b.Op is BinopKind.LeftShift or BinopKind.RightShift) SetType(b.Right, T.Integer, ByteOrder.Host);
                else SetType(b.Right, b.Left.Type, b.Left.Order);
                Expr(b.Right);
                b.Type = b.Left.Type;
                b.Order = b.Left.Order;
                break;
            case ElementKeyX k:
                k.Key = RemoveMaskInConcat(k.Key);
                Expr(k.Key);
                break;
            case ConcatX c:
                for (int i = 0; i < c.Items.Count; i++)
                {
                    c.Items[i] = RemoveMaskInConcat(c.Items[i]);
                    Expr(c.Items[i]);
                }
                break;
            case MapX m:
                if (m.Key is BinopX kb && kb.Op == BinopKind.And && kb.Left is PayloadX kp && kb.Right is ValueX km)
                {
                    km.SetType(T.Integer, ByteOrder.BigEndian);
                    if (PayloadTrim(kp, km, out int ks))
                    {
                        m.Key = kp;
                        m.Set.Shift = ks;
                    }
                }
                Expr(m.Key);
                AttachKeyParts(m.Key, m.Set);
                break;
            case CtX ct:
                CtUpdateType(ct);
                break;
            case ExthdrX x:
                ExthdrDependencyKill(x);
                break;
            case RangeX r:
                Expr(r.From);
                Expr(r.To);
                break;
            case HashX h when h.Inner is not null:
                Expr(h.Inner);
                break;
            case UnaryX u:
                Expr(u.Inner);
                u.Type = u.Inner.Type;
                break;
        }
    }

    /// <summary>RULE_PP_REMOVE_OP_AND: inside a concatenation or a set element key a masked payload load becomes its header field right
    /// away (there is no relational to fold the mask into); shifts around it stay (`ip6 dscp >> 6 . ip6 daddr`).</summary>
    private SExpr RemoveMaskInConcat(SExpr e)
    {
        switch (e)
        {
            case BinopX { Op: BinopKind.And, Left: PayloadX p, Right: ValueX mask }:
                mask.SetType(T.Integer, ByteOrder.BigEndian);
                return PayloadTrim(p, mask, out _) ? p : e;
            case UnaryX u:
                u.Inner = RemoveMaskInConcat(u.Inner);
                return e;
            case BinopX b when b.Op is BinopKind.LeftShift or BinopKind.RightShift:
                b.Left = RemoveMaskInConcat(b.Left);
                return e;
            default:
                return e;
        }
    }

    /// <summary>`(payload & mask) >> n` where the mask selects a header field n bits up is that field
    /// (relational_binop_postprocess: binop_adjust shifts n to zero and the shift by zero goes).</summary>
    private PayloadX? ShiftedField(SExpr e)
    {
        if (e is not BinopX { Op: BinopKind.RightShift, Right: ValueX amount } shift) return null;
        var inner = shift.Left is UnaryX u ? u.Inner : shift.Left;
        if (inner is not BinopX { Op: BinopKind.And, Left: PayloadX p, Right: ValueX mask }) return null;
        mask.SetType(T.Integer, ByteOrder.BigEndian);
        var probe = (PayloadX)p.Clone();
        if (!PayloadTrim(probe, mask, out int trimmed) || trimmed != (int)amount.Value) return null;
        return probe;
    }

    private void ExthdrDependencyKill(ExthdrX x)
    {
        switch (x.Op)
        {
            case ExthdrOp.TcpOption:
                if (DependencyExists(ProtoBase.Transport)) DependencyRelease(ProtoBase.Transport);
                break;
            case ExthdrOp.Ipv6:
            case ExthdrOp.Ipv4Option:
                if (DependencyExists(ProtoBase.Network)) DependencyRelease(ProtoBase.Network);
                break;
        }
    }

    private void CtUpdateType(CtX ct)
    {
        var desc = _proto[(int)CtBase(ct.Key.Key)];
        switch (ct.Key.Key)
        {
            case 8:
            case 9:
                if (desc == ProtocolHeaders.Ip) { ct.Type = T.Ipv4Addr; ct.NfProto = 2; ct.LenBits = 32; }
                else if (desc == ProtocolHeaders.Ip6) { ct.Type = T.Ipv6Addr; ct.NfProto = 10; ct.LenBits = 128; }
                break;
            case 11:
            case 12:
                if (desc is not null) ct.Type = T.InetService;
                break;
        }
    }

    /// <summary>expr_set_type on the right-hand side, following sets, ranges, prefixes and concatenations.</summary>
    internal void SetType(SExpr e, DataType type, ByteOrder order)
    {
        switch (e)
        {
            case ValueX v:
                v.SetType(type, order);
                break;
            case RangeX r:
                SetType(r.From, type, order);
                SetType(r.To, type, order);
                r.Type = type;
                r.Order = order;
                break;
            case PrefixX p:
                SetType(p.Inner, type, order);
                p.Type = type;
                break;
            case BinopX b when b.Op == BinopKind.Or:
                SetType(b.Left, type, order);
                SetType(b.Right, type, order);
                break;
            case SetRefX s:
                s.Type = type;
                s.Order = order;
                break;
            case MapX:
                break;
            default:
                if (e is not ConcatX && e.Type == T.Integer && e is not PayloadX and not MetaX and not CtX) { e.Type = type; e.Order = order; }
                break;
        }
    }

    /// <summary>expr_postprocess_string: `iifname "eth*"` compares only the prefix bytes.</summary>
    private static void StringWildcard(MatchS m)
    {
        if (m.Right is ValueX v && m.Left.Type.IsString && v.LenBits < m.Left.LenBits)
        {
            byte[] data = v.HostBytes();
            if (data.Length > 0 && data[^1] != 0) m.Right = new WildcardX { Inner = v, Type = v.Type };
        }
    }
}
