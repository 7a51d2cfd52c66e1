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
/// dependencies, prefixes, flags and ranges, exactly where nft 1.0.6 does them. This file holds the contexts and the
/// walk over the statements; the concerns are in Postprocessor.Payload, .Dependencies, .Binops, .Expressions and
/// .Statements.</summary>
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
}
