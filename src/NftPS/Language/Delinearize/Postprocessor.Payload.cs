using NftPS.NfTables;
using System.Numerics;
using NftPS.Language.DataTypes;
using NftPS.Language.Model;
using NftPS.Language.Protocols;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;
using T = NftPS.Language.DataTypes.DataTypeRegistry;

namespace NftPS.Language.Delinearize;

/// <summary>Payload matches (payload_match_postprocess): header fields from the protocol context, expansion of a wide
/// load into its fields, stacked link layers, icmp type checks and the context update a protocol key makes.</summary>
internal sealed partial class Postprocessor
{
    private void PayloadMatch(MatchS m, PayloadX p)
    {
        int b = (int)p.Base;
        p.OffsetBits -= _protoOffset[b];
        if ((m.Op == RelOp.Eq || m.Op == RelOp.Neq) && m.Right is ValueX v)
        {
            PayloadExpand(m, p, v);
            return;
        }
        if ((m.Op == RelOp.Eq || m.Op == RelOp.Neq) && m.Right is SetRefX icmpSet) IcmpCheck(p, icmpSet);
        CompletePayload(p);
        SetType(m.Right, p.Type, p.Order);
        Expr(m.Right);
        AttachKeyParts(p, m.Right);
        DependencyKill(p);
        _out.Add(m);
    }

    /// <summary>Anonymous set elements take their types from the expression that looks them up.</summary>
    internal static void AttachKeyParts(SExpr left, SExpr right)
    {
        if (right is not SetRefX s) return;
        var items = left is ConcatX c ? c.Items : new List<SExpr> { left };
        s.KeyParts = items.Select(i => (i.Type, i.Order == ByteOrder.Invalid ? ByteOrder.Host : i.Order,
            i.LenBits == 0 ? Math.Max(i.Type.SizeBits, 8) : i.LenBits)).ToList();
    }

    private void PayloadExpand(MatchS m, PayloadX p, ValueX v)
    {
        var parts = Expand(p);
        int remaining = v.LenBits;
        BigInteger full = v.Value;
        bool bigEndianRead = false;
        foreach (var left in parts)
        {
            left.Tunnel = p.Tunnel;
            // constant_expr_splice: take the top left.LenBits bits of the value (in wire order)
            if (!bigEndianRead)
            {
                v.SetType(T.Integer, ByteOrder.BigEndian);
                full = v.Value;
                bigEndianRead = true;
            }
            remaining -= left.LenBits;
            BigInteger piece = (full >> remaining) & ((BigInteger.One << left.LenBits) - 1);
            SExpr right = new ValueX { Value = piece, LenBits = left.LenBits, Type = left.Type, Order = left.Order, Typed = true };
            if (left.Field is { } f && left.LenBits < f.LengthBits)
            {
                var shifted = new ValueX { Value = piece << (f.LengthBits - left.LenBits), LenBits = f.LengthBits, Type = left.Type, Order = left.Order, Typed = true };
                int plen = left.LenBits;
                left.LenBits = f.LengthBits;
                right = new PrefixX { Inner = shifted, PrefixLength = plen, Type = left.Type };
            }
            var nm = new MatchS { Left = left, Op = m.Op, Right = right };
            if (m.Op == RelOp.Eq) PctxUpdate(left, right);
            _out.Add(nm);
            int b = (int)left.Base;
            if (IsStacked(left, nm)) b--;
            DependencyKill(left);
            if (m.Op == RelOp.Eq && left.IsProtocolKey) DependencyStore(nm, (ProtoBase)b);
        }
    }

    private bool IsStacked(PayloadX left, MatchS m)
    {
        if (!left.IsProtocolKey || m.Op != RelOp.Eq || m.Right is not ValueX v) return false;
        var desc = left.Desc!;
        var next = desc.FindUpper((long)v.Value);
        return next is not null && next.Base == desc.Base;
    }

    /// <summary>payload_expr_expand: split a (possibly merged) load into header fields.</summary>
    private List<PayloadX> Expand(PayloadX p)
    {
        var list = new List<PayloadX>();
        var desc = _proto[(int)p.Base];
        if (desc is null && p.Base == ProtoBase.Transport) desc = ProtocolHeaders.Th;
        int offset = p.OffsetBits, len = p.LenBits;
        if (desc is not null && desc.Fields.Count > 1)
        {
            for (int i = 1; i < desc.Fields.Count; i++)
            {
                var f = desc.Fields[i];
                if (f is null || f.OffsetBits != offset) continue;
                if (!IcmpDepAllows(f)) continue;
                if (f.LengthBits <= len)
                {
                    list.Add(FieldExpr(p.Base, desc, f, f.LengthBits));
                    len -= f.LengthBits;
                    offset += f.LengthBits;
                    if (len == 0) return list;
                }
                else if (len > 0)
                {
                    list.Add(FieldExpr(p.Base, desc, f, len));
                    return list;
                }
                else break;
            }
        }
        list.Add(new PayloadX { Base = p.Base, OffsetBits = offset, LenBits = len, Type = T.HexInteger, Order = ByteOrder.BigEndian });
        return list;
    }

    private static PayloadX FieldExpr(ProtoBase b, HeaderDesc desc, HeaderField f, int len) => new()
    {
        Base = b, OffsetBits = f.OffsetBits, LenBits = len, Desc = desc, Field = f, Type = f.Type, Order = f.ByteOrder,
    };

    /// <summary>payload_expr_complete.</summary>
    internal void CompletePayload(PayloadX p, bool absolute = false)
    {
        if (p.Field is not null) return;
        var desc = _proto[(int)p.Base];
        if (desc is null && p.Base == ProtoBase.Transport) desc = ProtocolHeaders.Th;
        int offset = p.OffsetBits;
        if (absolute && p.Base == ProtoBase.LinkLayer && desc is not null)
        {
            desc = StackedDesc(desc, offset, out int skip);
            offset -= skip;
        }
        if (desc is null || desc.Fields.Count <= 1) return;
        var f = desc.Fields.FirstOrDefault(x => x is not null && x.OffsetBits == offset && x.LengthBits == p.LenBits && IcmpDepAllows(x));
        if (f is null) return;
        p.Desc = desc;
        p.Field = f;
        p.Type = f.Type;
        p.Order = f.ByteOrder;
    }

    /// <summary>Link-layer headers below the current one (ether under vlan), innermost last.</summary>
    private readonly List<HeaderDesc> _stackedLl = new();

    /// <summary>get_stacked_desc: which stacked link-layer header an absolute offset falls in, and its start.</summary>
    private HeaderDesc StackedDesc(HeaderDesc top, int offset, out int skip)
    {
        skip = 0;
        if (offset < top.LengthBits) return top;
        int total = 0;
        foreach (var stacked in _stackedLl)
        {
            if (offset < stacked.LengthBits) { skip = total; return stacked; }
            offset -= stacked.LengthBits;
            total += stacked.LengthBits;
        }
        skip = total;
        return top;
    }

    /// <summary>pctx th_dep.icmp.type: the ICMP type matched so far; it picks between fields that share an offset.</summary>
    private int _thIcmpType;

    private bool IcmpDepAllows(HeaderField f) => f.IcmpDep == 0 || _thIcmpType == 0 || _thIcmpType == f.IcmpDep;

    /// <summary>payload_icmp_check: `icmpv6 type { echo-request, … }` selects the fields by its first element.</summary>
    private void IcmpCheck(PayloadX p, SetRefX set)
    {
        if (p.Base != ProtoBase.Transport || p.LenBits != 8 || _thIcmpType != 0) return;
        var desc = _proto[(int)ProtoBase.Transport];
        if (desc != ProtocolHeaders.Icmp && desc != ProtocolHeaders.Icmp6) return;
        if (set.Set is not { } s || !s.IsAnonymous) return;
        var first = s.Elements.FirstOrDefault();
        if (first?.Key is not { Length: 1 } key || first.IsCatchAll || first.KeyEnd is not null) return;
        var f = desc.Fields.FirstOrDefault(x => x is not null && x.OffsetBits == p.OffsetBits && x.LengthBits == 8);
        if (f is null || f.Index != desc.ProtocolKey) return;
        _thIcmpType = key[0];
    }

    private void PctxUpdate(SExpr left, SExpr right)
    {
        if (right is not ValueX v) return;
        switch (left)
        {
            case PayloadX p when p.IsProtocolKey:
            {
                var desc = p.Desc!;
                var upper = desc.FindUpper((long)v.Value);
                if (upper is null)
                {
                    // icmp echo-reply (0) counts as echo, icmpv6 echo-reply as echo-request
                    if (desc == ProtocolHeaders.Icmp) _thIcmpType = v.Value.IsZero ? 8 : (int)v.Value;
                    else if (desc == ProtocolHeaders.Icmp6) _thIcmpType = (int)v.Value == 129 ? 128 : (int)v.Value;
                    return;
                }
                if (upper.Base == desc.Base)
                {
                    _protoOffset[(int)desc.Base] += desc.LengthBits;
                    if (desc.Base == ProtoBase.LinkLayer) _stackedLl.Add(desc);
                }
                _proto[(int)upper.Base] = upper;
                break;
            }
            case MetaX m:
                switch (m.Key.Key)
                {
                    case 15:
                    {
                        var start = ProtocolHeaders.FamilyStart((int)_family);
                        var d = start?.Desc.FindUpper((long)v.Value);
                        if (d is null && start is { } st && st.Base == ProtoBase.Network && (long)v.Value == (int)_family) d = st.Desc;
                        _proto[(int)ProtoBase.Network] = d;
                        break;
                    }
                    case 16:
                        // GRE (nft 1.1): `meta l4proto gre gre version 0`; the tunnel's own header is a transport one
                        _proto[(int)ProtoBase.Transport] = ProtocolHeaders.InetService.FindUpper((long)v.Value)
                            ?? (_outer is null && (long)v.Value == Tunnels.GreProtocolNumber ? Tunnels.GreHeader : null);
                        break;
                    case 8:
                        if (ProtocolHeaders.FamilyStart((int)_family) is { } fs && fs.Base < ProtoBase.Network &&
                            _family != NftFamily.Inet && _family != NftFamily.Netdev) break;
                        _proto[(int)ProtoBase.LinkLayer] = (long)v.Value == 1 ? ProtocolHeaders.Ether : null;
                        break;
                    case 1:
                        if (_family is NftFamily.Netdev or NftFamily.Bridge)
                            _proto[(int)ProtoBase.Network] = ProtocolHeaders.FamilyStart((int)_family)?.Desc.FindUpper((long)v.Value);
                        break;
                }
                break;
            case CtX c:
            {
                var b = CtBase(c.Key.Key);
                if (b == ProtoBase.Invalid || _proto[(int)b] is not { } baseDesc) return;
                var d = baseDesc.FindUpper((long)v.Value);
                if (d is not null) _proto[(int)b + 1] = d;
                break;
            }
        }
    }
}
