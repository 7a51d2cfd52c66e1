using NftPS.NfTables;
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
}
