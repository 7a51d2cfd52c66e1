using NftPS.NfTables;
using System.Numerics;
using NftPS.Language.DataTypes;
using NftPS.Language.Model;
using NftPS.Language.Protocols;
using NftPS.NfTables.Expressions;
using T = NftPS.Language.DataTypes.DataTypeRegistry;

namespace NftPS.Language.Delinearize;

/// <summary>The statements' part of rule_parse_postprocess: each statement kind's operands get the type the statement
/// gives them (nat addresses, ports, devices, set values), then the generic expression pass, in the order nft's
/// stmt postprocessing visits them.</summary>
internal sealed partial class Postprocessor
{
    private void StatementOperands(SStmt s)
    {
        switch (s)
        {
            case MetaSetS m:
                Operand(m.Value, m.Key.Type, m.Key.ByteOrder);
                break;
            case CtSetS c:
                Operand(c.Value, c.Key.Type, c.Key.ByteOrder);
                break;
            case ExthdrSetS x:
                Operand(x.Value, x.Target.Type, ByteOrder.BigEndian);
                break;
            case NatS n when n.Operation is NatOperation.Snat or NatOperation.Dnat:
            {
                var addrType = n.Family == 10 ? T.Ipv6Addr : T.Ipv4Addr;
                Operand(n.AddressMin, addrType, ByteOrder.BigEndian);
                Operand(n.AddressMax, addrType, ByteOrder.BigEndian);
                Operand(n.PortMin, T.InetService, ByteOrder.BigEndian);
                Operand(n.PortMax, T.InetService, ByteOrder.BigEndian);
                break;
            }
            case NatS n:
                Operand(n.PortMin, T.InetService, ByteOrder.BigEndian);
                Operand(n.PortMax, T.InetService, ByteOrder.BigEndian);
                break;
            case TproxyS tp:
                Operand(tp.Address, tp.Family == 10 ? T.Ipv6Addr : T.Ipv4Addr, ByteOrder.BigEndian);
                Operand(tp.Port, T.InetService, ByteOrder.BigEndian);
                break;
            case DupS d:
                if (d.ToIsAddress)
                {
                    // the address has a type only where the family names one (bridge/netdev keep it untyped)
                    if (_family is NftFamily.Ip or NftFamily.Ip6) Operand(d.To, _family == NftFamily.Ip6 ? T.Ipv6Addr : T.Ipv4Addr, ByteOrder.BigEndian);
                    Operand(d.Device, T.IfIndex, ByteOrder.Host);
                }
                else Operand(d.To, T.IfIndex, ByteOrder.Host);
                break;
            case FwdS f:
                Operand(f.Device, T.IfIndex, ByteOrder.Host);
                Operand(f.Address, f.Family == 10 ? T.Ipv6Addr : T.Ipv4Addr, ByteOrder.BigEndian);
                break;
            case ObjrefS { Map: { } map }:
                Expr(map);
                break;
            case DynsetS d:
                Expr(d.Key);
                if (d.Data is ConcatX) Expr(d.Data);
                else if (d.Data is not null && d.Set.Set?.DataType is { } dt && T.FromId((int)dt) is { } dtype)
                    Operand(d.Data, dtype, d.Set.Set.DataByteOrder == 1 ? ByteOrder.Host : dtype.ByteOrder);
                break;
        }
    }

    /// <summary>expr_set_type, then the generic pass, on an operand the statement may leave out.</summary>
    private void Operand(SExpr? e, DataType type, ByteOrder order)
    {
        if (e is null) return;
        SetType(e, type, order);
        Expr(e);
    }

    /// <summary>stmt_reject_postprocess: the network protocol the reject answers in, and the dependency it folds in.</summary>
    private void RejectPostprocess(RejectS r)
    {
        switch (_family)
        {
            case NftFamily.Ip:
            case NftFamily.Ip6:
                r.NfProto = _family == NftFamily.Ip ? 2 : 10;
                if (r.Type == RejectType.TcpReset && DependencyExists(ProtoBase.Transport)) DependencyRelease(ProtoBase.Transport);
                break;
            case NftFamily.Inet:
            case NftFamily.Bridge:
            case NftFamily.Netdev:
                if (r.Type == RejectType.IcmpxUnreachable) break;
                // always the full icmp(v6) name: a bare `reject` would lose the network protocol
                r.Verbose = true;
                if (NetworkDesc == ProtocolHeaders.Ip) r.NfProto = 2;
                else if (NetworkDesc == ProtocolHeaders.Ip6) r.NfProto = 10;
                if (DependencyExists(ProtoBase.Network)) DependencyRelease(ProtoBase.Network);
                break;
        }
    }

    /// <summary>stmt_payload_binop_postprocess: `x set (x & m) ^ v` on a wider load is a write to a narrower field.</summary>
    private void PayloadSetBinop(PayloadSetS ps)
    {
        SExpr v = ps.Value;
        ValueX? xor = null;
        if (v is BinopX { Op: BinopKind.Or, Left: PayloadX op, Right: ValueX ov })
        {
            ov.SetType(T.Integer, ByteOrder.BigEndian);
            var m = new ValueX { Value = ~ov.Value & ((BigInteger.One << ps.Target.LenBits) - 1), LenBits = ps.Target.LenBits, Typed = true, Order = ByteOrder.BigEndian };
            v = new BinopX { Op = BinopKind.Xor, Left = new BinopX { Op = BinopKind.And, Left = op, Right = m }, Right = ov };
        }
        if (v is BinopX { Op: BinopKind.Xor, Right: ValueX xv } bx) { xor = xv; v = bx.Left; }
        if (v is not BinopX { Op: BinopKind.And, Left: PayloadX lp, Right: ValueX mask } || lp.Base != ps.Target.Base ||
            lp.OffsetBits != ps.Target.OffsetBits || lp.LenBits != ps.Target.LenBits) return;
        int len = ps.Target.LenBits;
        mask.SetType(T.Integer, ByteOrder.BigEndian);
        var ones = (BigInteger.One << len) - 1;
        var cleared = ~mask.Value & ones;
        if (cleared.IsZero) return;
        int shift = Scan1(cleared);
        int flen = Scan0(cleared, shift) - shift;
        if (((cleared >> shift) & ((BigInteger.One << flen) - 1)) != (cleared >> shift)) return;
        var target = new PayloadX
        {
            Base = ps.Target.Base, OffsetBits = ps.Target.OffsetBits - _protoOffset[(int)ps.Target.Base] + (len - shift - flen),
            LenBits = flen, Type = T.HexInteger, Order = ByteOrder.BigEndian,
        };
        var desc = _proto[(int)target.Base];
        var field = desc?.FieldAt(target.OffsetBits, flen);
        if (field is null)
        {
            UnknownFieldSet(ps, mask, xor, ones);
            return;
        }
        BigInteger value = BigInteger.Zero;
        if (xor is not null)
        {
            xor.SetType(T.Integer, ByteOrder.BigEndian);
            value = xor.Value >> shift;
        }
        ps.Target = target;
        ps.Value = new ValueX { Value = value, LenBits = flen, Type = field.Type, Order = ByteOrder.BigEndian, Typed = true };
    }

    /// <summary>stmt_payload_binop_postprocess when no header field matches: nft reads `(x & m) ^ v` as
    /// `x & (m | v) | v`, and leaves a bare `x & m` with its mask inverted.</summary>
    private static void UnknownFieldSet(PayloadSetS ps, ValueX mask, ValueX? xor, BigInteger ones)
    {
        if (ps.Value is not BinopX outer) return;
        if (xor is null && outer.Op == BinopKind.And)
        {
            mask.Value = ~mask.Value & ones;
            return;
        }
        if (xor is null || outer is not { Op: BinopKind.Xor, Left: BinopX { Op: BinopKind.And } and_ }) return;
        xor.SetType(T.Integer, ByteOrder.BigEndian);
        if (!(xor.Value & mask.Value).IsZero) return;
        mask.Value |= xor.Value;
        ps.Value = new BinopX { Op = BinopKind.Or, Left = and_, Right = xor, LenBits = outer.LenBits, Type = outer.Type, Order = outer.Order };
    }
}
