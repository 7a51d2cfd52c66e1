using NftPS.NfTables;
using System.Numerics;
using NftPS.Language.DataTypes;
using NftPS.Language.Model;
using NftPS.Language.Protocols;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;
using T = NftPS.Language.DataTypes.DataTypeRegistry;

namespace NftPS.Language.Delinearize;

/// <summary>Implied dependencies (nft's payload.c): the matches a later, more specific match makes redundant are
/// stored, then killed or released.</summary>
internal sealed partial class Postprocessor
{
    private void DependencyStore(MatchS m, ProtoBase b)
    {
        if (m.Left is PayloadX p && m.Right is ValueX v && v.LenBits == 8)
        {
            if (p.Desc == ProtocolHeaders.Icmp)
            {
                long t = (long)v.Value;
                if (t == 0) t = 8;
                _icmpType = (int)t;
                if (t == 8) return;
            }
            else if (p.Desc == ProtocolHeaders.Icmp6)
            {
                _icmpType = (int)v.Value;
                if (_icmpType is 128 or 129) return;
            }
        }
        _deps[(int)b + 1] = m;
    }

    private int _icmpType;

    internal bool DependencyExists(ProtoBase b) =>
        _deps[(int)b] is not null || (b == ProtoBase.Transport && _deps[(int)ProtoBase.Inner] is not null);

    private MatchS? DependencyGet(ProtoBase b) =>
        _deps[(int)b] ?? (b == ProtoBase.Transport ? _deps[(int)ProtoBase.Inner] : null);

    internal void DependencyRelease(ProtoBase b)
    {
        int i = (int)b;
        if (_deps[i] is null && b == ProtoBase.Transport) i = (int)ProtoBase.Inner;
        if (_deps[i] is { } d)
        {
            _out.Remove(d);
            if (_prev == d) _prev = null;
            _deps[i] = null;
        }
    }

    private void DependencyKill(PayloadX p)
    {
        // a raw payload expression (proto_unknown) never makes a dependency redundant
        if (p.Desc is null) return;
        if (DependencyExists(p.Base) && PayloadMayKill(p)) DependencyRelease(p.Base);
    }

    private bool PayloadMayKill(PayloadX expr)
    {
        var dep = DependencyGet(expr.Base)!;
        var depPayload = dep.Left as PayloadX;
        if (_family is NftFamily.Bridge or NftFamily.Netdev or NftFamily.Inet)
        {
            if (depPayload is not null && depPayload.Base == ProtoBase.Network &&
                (depPayload.Desc == ProtocolHeaders.Ip || depPayload.Desc == ProtocolHeaders.Ip6) && expr.Base == ProtoBase.Transport)
                return false;
            if (depPayload is not null && dep.Op == RelOp.Eq && expr.Base == depPayload.Base)
            {
                if (expr.IsProtocolKey) return false;
                if (expr.Base == ProtoBase.LinkLayer)
                {
                    if (depPayload.Desc == ProtocolHeaders.Vlan) return false;
                    if (depPayload.Desc == ProtocolHeaders.Ether && dep.Right is ValueX dv && dv.LenBits == 16)
                        return (long)dv.Value == 0x8100;
                    return true;
                }
            }
        }
        if (expr.Base != ProtoBase.Transport) return true;
        if (depPayload is null || depPayload.Base != ProtoBase.Transport) return true;
        if (depPayload.Desc == ProtocolHeaders.Icmp || depPayload.Desc == ProtocolHeaders.Icmp6)
        {
            // payload_may_dependency_kill_icmp
            if (expr.Field is null || expr.Field.IcmpDep == 0 || depPayload.Desc != expr.Desc) return false;
            return _icmpType == expr.Field.IcmpDep;
        }
        return true;
    }

    private void CtMetaCommon(MatchS m, ProtoBase b)
    {
        if (m.Op != RelOp.Eq || m.Right is RangeX or SetRefX) return;
        PctxUpdate(m.Left, m.Right);
        bool iiftype = m.Left is MetaX { Key.Key: 8 };
        if ((b == ProtoBase.Invalid && !iiftype) || b >= ProtoBase.Transport) return;
        if (DependencyExists(b) && MetaMayKill(m)) DependencyRelease(b);
        if (IsProtocolKey(m.Left)) DependencyStore(m, b);
    }

    private bool MetaMayKill(MatchS expr)
    {
        var dep = DependencyGet(ProtoBase.Network);
        if (dep is null) return true;
        int nfproto;
        switch (dep.Left)
        {
            case MetaX dm when dm.Key.Key == 15 && dep.Right is ValueX v1:
                nfproto = (int)v1.Value;
                break;
            case MetaX dm when dm.Key.Key == 1 && dep.Right is ValueX v2:
                nfproto = EtherToNfproto((long)v2.Value);
                break;
            case MetaX:
                return true;
            case PayloadX dp when dp.Base == ProtoBase.LinkLayer && dp.Type == T.EtherType && dep.Right is ValueX v3:
                nfproto = EtherToNfproto((long)v3.Value);
                break;
            default:
                return true;
        }
        switch (_family)
        {
            case NftFamily.Inet:
            case NftFamily.Netdev:
            case NftFamily.Bridge:
                break;
            case NftFamily.Ip:
            case NftFamily.Ip6:
                return (int)_family == nfproto;
            default:
                return true;
        }
        if (expr.Left is not MetaX mm || mm.Key.Key != 16 || expr.Right is not ValueX rv) return true;
        int l4 = (int)rv.Value;
        if (l4 != 1 && l4 != 58) return false;
        if ((nfproto == 2 && l4 == 58) || (nfproto == 10 && l4 == 1)) return false;
        return true;
    }

    private static int EtherToNfproto(long t) => t switch { 0x0800 => 2, 0x86dd => 10, _ => 0 };
}
