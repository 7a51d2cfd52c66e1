using NftPS.NfTables;
using System.Numerics;
using NftPS.Language.DataTypes;
using NftPS.Language.Model;
using NftPS.Language.Protocols;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;
using T = NftPS.Language.DataTypes.DataTypeRegistry;

namespace NftPS.Language.Delinearize;

/// <summary>Second delinearize stage (rule_parse_postprocess): protocol context, header fields, implied
/// dependencies, prefixes, flags and ranges, exactly where nft 1.0.6 does them.</summary>
internal sealed partial class Postprocessor
{
    private readonly NftFamily _family;
    private readonly HeaderDesc?[] _proto = new HeaderDesc?[6];
    private readonly int[] _protoOffset = new int[6];
    private readonly MatchS?[] _deps = new MatchS?[7];
    private readonly List<SStmt> _out;
    private MatchS? _prev;
    /// <summary>The outer context of an inner one (null for the rule's own context).</summary>
    private readonly Postprocessor? _outer;
    /// <summary>nft 1.1's second protocol context: one per tunnel the rule reads the inner packet of.</summary>
    private Dictionary<TunnelDesc, Postprocessor>? _inner;

    public Postprocessor(NftFamily family)
    {
        _family = family;
        _out = new();
        if (ProtocolHeaders.FamilyStart((int)family) is { } start) _proto[(int)start.Base] = start.Desc;
    }

    /// <summary>The context of the packet inside <paramref name="tunnel"/>: it starts at Ethernet where the tunnel
    /// carries a link layer and knows nothing otherwise (the inner meta protocol names its network header, as a
    /// netdev chain's does); its statements go to the rule's own list, in order.</summary>
    private Postprocessor(Postprocessor outer, TunnelDesc tunnel)
    {
        _family = NftFamily.Netdev;
        _out = outer._out;
        _outer = outer;
        if (tunnel.HasLinkLayer) _proto[(int)ProtoBase.LinkLayer] = ProtocolHeaders.Ether;
        _proto[(int)ProtoBase.Tunnel] = tunnel.Header;
    }

    private Postprocessor InnerContext(TunnelDesc tunnel)
    {
        _inner ??= new();
        if (!_inner.TryGetValue(tunnel, out var pp)) _inner[tunnel] = pp = new Postprocessor(this, tunnel);
        return pp;
    }

    /// <summary>The tunnel whose inner packet a match's left side reads (a concatenation reads one packet).</summary>
    private static TunnelDesc? TunnelOf(SExpr e) => e switch
    {
        PayloadX p => p.Tunnel,
        MetaX m => m.Tunnel,
        BinopX b => TunnelOf(b.Left),
        UnaryX u => TunnelOf(u.Inner),
        ConcatX c when c.Items.Count > 0 => TunnelOf(c.Items[0]),
        _ => null,
    };

    /// <summary>An inner match: GRE's own `meta l4proto gre` is implied by the tunnel match (nft 1.1 drops it).</summary>
    private void InnerMatch(MatchS m, TunnelDesc tunnel)
    {
        if (tunnel.UdpPort is null && _deps[(int)ProtoBase.Transport] is { Left: MetaX { Key.Key: 16, Tunnel: null }, Right: ValueX v }
            && (long)v.Value == Tunnels.GreProtocolNumber)
            DependencyRelease(ProtoBase.Transport);
        _prev = null;
        InnerContext(tunnel).ProcessMatch(m);
    }

    public HeaderDesc? NetworkDesc => _proto[(int)ProtoBase.Network];

    public List<SStmt> Run(List<SStmt> input)
    {
        foreach (var s in input)
        {
            switch (s)
            {
                case MatchS m when TunnelOf(m.Left) is { } tunnel:
                    InnerMatch(m, tunnel);
                    break;
                case MatchS m:
                    ProcessMatch(m);
                    break;
                case PayloadSetS ps:
                    PayloadSetBinop(ps);
                    CompletePayload(ps.Target);
                    DependencyKill(ps.Target);
                    SetType(ps.Value, ps.Target.Type, ps.Target.Order);
                    Expr(ps.Value);
                    _out.Add(ps);
                    _prev = null;
                    break;
                case VmapS v:
                    Expr(v.Map);
                    _out.Add(v);
                    _prev = null;
                    break;
                case RejectS r:
                    RejectPostprocess(r);
                    _out.Add(r);
                    break;
                default:
                    StatementOperands(s);
                    _out.Add(s);
                    _prev = null;
                    break;
            }
            // rule_maybe_reset_payload_deps: a statement other than a match ends what later matches can make
            // redundant (`meta nfproto ipv4 counter ip saddr 1.2.3.4` keeps its nfproto)
            if (s is not MatchS and not VmapS) ResetDependencies();
        }
        return _out;
    }

    private void ResetDependencies()
    {
        if (_inner is not null)
            foreach (var pp in _inner.Values) pp.ResetDependencies();
        Array.Clear(_deps);
        _icmpType = 0;
        _prev = null;
    }

    private void ProcessMatch(MatchS m)
    {
        var lastBefore = _out.Count > 0 ? _out[^1] : null;
        if (ShiftedField(m.Left) is { } field) m.Left = field;
        if (m.Left is PayloadX p)
        {
            PayloadMatch(m, p);
        }
        else
        {
            Expr(m.Left);
            SetType(m.Right, m.Left.Type, m.Left.Order);
            StringWildcard(m);
            Expr(m.Right);
            AttachKeyParts(m.Left, m.Right);
            _out.Add(m);
            switch (m.Left)
            {
                case CtX ct: CtMetaCommon(m, CtBase(ct.Key.Key)); break;
                case MetaX meta: CtMetaCommon(m, MetaBase(meta.Key.Key)); break;
                case BinopX: RelationalBinop(m); break;
            }
        }
        // range merge: a >= x, a <= y  →  a x-y
        if (_out.Count > 0 && _out[^1] is MatchS cur && !ReferenceEquals(cur, lastBefore))
        {
            if (_prev is not null && _out.Count >= 2 && ReferenceEquals(_out[^2], _prev) && SameKind(_prev.Left, cur.Left) &&
                ((cur.Op == RelOp.Lte && _prev.Op == RelOp.Gte) || (cur.Op == RelOp.Gt && _prev.Op == RelOp.Lt)))
            {
                var range = new RangeX { From = _prev.Right, To = cur.Right, Type = cur.Right.Type, Order = cur.Right.Order };
                var merged = new MatchS { Left = cur.Left, Op = cur.Op == RelOp.Lte ? RelOp.Eq : RelOp.Neq, Right = range };
                _out.RemoveAt(_out.Count - 1);
                _out[^1] = merged;
                _prev = null;
                return;
            }
            _prev = cur;
        }
        else _prev = null;
    }

    private static SExpr Unwrap(SExpr e) => e is UnaryX u ? u.Inner : e;

    private static bool SameKind(SExpr a, SExpr b) => Unwrap(a).GetType() == Unwrap(b).GetType();

    private static ProtoBase MetaBase(int key) => key switch
    {
        8 => ProtoBase.Invalid,
        15 or 1 => ProtoBase.LinkLayer,
        16 => ProtoBase.Network,
        _ => ProtoBase.Invalid,
    };

    private static ProtoBase CtBase(int key) => key switch
    {
        8 or 9 or 10 => ProtoBase.Network,
        7 => ProtoBase.LinkLayer,
        11 or 12 => ProtoBase.Transport,
        _ => ProtoBase.Invalid,
    };

    private static bool IsProtocolKey(SExpr e) => e switch
    {
        MetaX m => m.Key.Key is 1 or 15 or 16 or 8,
        CtX c => c.Key.Key is 7 or 10,
        PayloadX p => p.IsProtocolKey,
        _ => false,
    };

    // ---- payload ----

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

    // ---- dependencies (payload.c) ----

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

    // ---- binops, flags, prefixes ----

    private void RelationalBinop(MatchS m)
    {
        var binop = (BinopX)m.Left;
        var right = m.Right;
        if (binop.Op == BinopKind.And && (m.Op == RelOp.Eq || m.Op == RelOp.Neq) && right.Type.BaseType == T.Bitmask)
        {
            if (right is ValueX rv)
            {
                if (binop.Right is ValueX mv0 && mv0.Value == rv.Value && (rv.Value & (rv.Value - 1)).IsZero)
                {
                }
                else if (rv.Value.IsZero)
                {
                    m.Left = binop.Left;
                    m.Right = binop.Right;
                    m.Op = m.Op == RelOp.Neq ? RelOp.Implicit : RelOp.Neg;
                }
                else
                {
                    m.Left = binop.Left;
                    m.Mask = binop.Right;
                }
            }
            return;
        }
        if (binop.Left.Type.AllowsPrefix && binop.Op == BinopKind.And && right is ValueX && binop.Right is ValueX mask && IsPrefixMask(mask))
        {
            m.Left = binop.Left;
            m.Right = new PrefixX { Inner = right, PrefixLength = PrefixLen(mask), Type = right.Type };
            return;
        }
        if (binop.Op == BinopKind.And && binop.Right is ValueX mask2)
        {
            if (binop.Left is PayloadX p && PayloadTrim(p, mask2, out int shift))
            {
                ShiftRight(m.Right, shift, p.LenBits);
                if (m.Right is SetRefX sr) { sr.Shift = shift; }
                m.Left = p;
                _out.Remove(m);
                PayloadMatch(m, p);
            }
            else if (binop.Left is ExthdrX x && ExthdrTrim(x, mask2, out int xshift))
            {
                ShiftRight(m.Right, xshift, x.LenBits);
                if (m.Right is SetRefX xsr) xsr.Shift = xshift;
                m.Left = x;
                SetType(m.Right, x.Type, ByteOrder.BigEndian);
            }
        }
    }

    private static void ShiftRight(SExpr e, int shift, int len)
    {
        switch (e)
        {
            case ValueX v: v.Value >>= shift; v.LenBits = len; break;
            case RangeX r: ShiftRight(r.From, shift, len); ShiftRight(r.To, shift, len); break;
        }
    }

    private static int Scan1(BigInteger v, int from = 0)
    {
        for (int i = from; i < 4096; i++) if (!((v >> i) & 1).IsZero) return i;
        return -1;
    }

    private static int Scan0(BigInteger v, int from)
    {
        for (int i = from; ; i++) if (((v >> i) & 1).IsZero) return i;
    }

    private static bool IsPrefixMask(ValueX mask)
    {
        int n1 = Scan1(mask.Value);
        if (n1 < 0) return true;
        int n2 = Scan0(mask.Value, n1 + 1);
        return n2 >= mask.LenBits;
    }

    private static int PrefixLen(ValueX mask)
    {
        int n = Scan1(mask.Value);
        if (n < 0) return 0;
        return Scan0(mask.Value, n + 1) - n;
    }

    /// <summary>payload_expr_trim.</summary>
    private bool PayloadTrim(PayloadX expr, ValueX mask, out int shift)
    {
        shift = 0;
        var desc = _proto[(int)expr.Base];
        if (desc is null) return false;
        int payloadOffset = expr.OffsetBits - _protoOffset[(int)expr.Base];
        int maskOffset = Math.Max(Scan1(mask.Value), 0);
        int maskLen = Scan0(mask.Value, maskOffset + 1);
        int payloadLen = expr.LenBits;
        int off = (mask.LenBits + 7) / 8 * 8 - maskLen;
        payloadOffset += off;
        int len = 0;
        for (int i = 1; i < desc.Fields.Count; i++)
        {
            var f = desc.Fields[i];
            if (f is null || f.OffsetBits != payloadOffset) continue;
            if (f.LengthBits > payloadLen) return false;
            payloadLen -= f.LengthBits;
            payloadOffset += f.LengthBits;
            len += f.LengthBits;
            if (payloadLen == 0) return false;
            if (maskOffset + len == maskLen)
            {
                expr.OffsetBits += off;
                expr.LenBits = len;
                shift = maskOffset;
                return true;
            }
        }
        return false;
    }

    private static bool ExthdrTrim(ExthdrX x, ValueX mask, out int shift)
    {
        shift = 0;
        if (x.Desc is null) return false;
        int maskOffset = Math.Max(Scan1(mask.Value), 0);
        int maskLen = Scan0(mask.Value, maskOffset + 1);
        int off = x.OffsetBits + (mask.LenBits + 7) / 8 * 8 - maskLen;
        var f = x.Desc.FieldAt(off, maskLen - maskOffset);
        if (f is null) return false;
        x.OffsetBits = off;
        x.LenBits = f.LengthBits;
        x.Field = f;
        x.Type = f.Type;
        shift = maskOffset;
        return true;
    }

    // ---- generic expression pass ----

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
