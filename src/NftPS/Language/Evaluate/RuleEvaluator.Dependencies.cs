using System.Numerics;
using NftPS.Language.DataTypes;
using NftPS.Language.Protocols;
using NftPS.Language.Syntax;
using NftPS.NfTables;
using T = NftPS.Language.DataTypes.DataTypeRegistry;

namespace NftPS.Language.Evaluate;

internal sealed partial class RuleEvaluator
{
    /// <summary>Adds `LEFT == value` before the statement being evaluated.</summary>
    private void AddDependency(Node left, BigInteger value, SourceSpan span)
    {
        left.Span = span;
        var v = new ValueNode { Value = value, Span = span, Type = left.Type, LengthBits = left.LengthBits, ByteOrder = left.ByteOrder };
        _out.Add(new MatchStatement { Left = left, Op = RelOp.Eq, Right = v, Span = span });
    }

    private static MetaNode Meta(MetaKey key) =>
        new() { Key = key, Type = key.Type, LengthBits = key.LengthBits, ByteOrder = key.ByteOrder };

    private void AddPayloadDependency(PayloadNode p)
    {
        var h = p.Header!;
        switch (h.Base)
        {
            case ProtoBase.LinkLayer: AddLinkDependency(p); break;
            case ProtoBase.Network: AddNetworkDependency(h, p.Span); break;
            case ProtoBase.Transport:
                if (h == ProtocolHeaders.Th) return;
                AddTransportDependency(h, p.Span);
                AddIcmpTypeDependency(p);
                break;
        }
    }

    /// <summary>ICMP fields that exist only in some message types (id, mtu, gateway...) bring a match on the type,
    /// as nft 1.0.6 adds it: one type as a cmp, several as an anonymous set.</summary>
    private void AddIcmpTypeDependency(PayloadNode p)
    {
        var h = p.Header!;
        if (p.Field is not { } f || (h != ProtocolHeaders.Icmp && h != ProtocolHeaders.Icmp6)) return;
        int[]? types = h == ProtocolHeaders.Icmp
            ? f.Name switch { "id" or "sequence" => new[] { 8, 0 }, "gateway" => new[] { 5 }, "mtu" => new[] { 3 }, _ => null }
            : f.Name switch
            {
                "id" or "sequence" => new[] { 128, 129 }, "mtu" => new[] { 2 }, "max-delay" => new[] { 130 },
                "parameter-problem" => new[] { 4 }, "daddr" => new[] { 137 }, "taddr" => new[] { 130, 131, 132, 135, 136, 137 },
                _ => null,
            };
        if (types is null) return;
        var have = _out.OfType<MatchStatement>().FirstOrDefault(s => s.Left is PayloadNode { Field.Name: "type" } tp && tp.Header == h);
        if (have is not null)
        {
            if (have.Right is ValueNode hv && have.Op is RelOp.Implicit or RelOp.Eq && !types.Contains((int)hv.Value))
                throw new NftEvaluationException(p.Span, $"incompatible {h.Name} match: rule has {hv.Value}, need {string.Join(", ", types)}");
            return;
        }
        var tf = h.Field("type")!;
        var typeNode = new PayloadNode { Header = h, Field = tf, Base = ProtoBase.Transport, OffsetBits = tf.OffsetBits, LengthBits = tf.LengthBits,
            Type = tf.Type, ByteOrder = ByteOrder.BigEndian, Span = p.Span };
        if (types.Length == 1)
        {
            AddDependency(typeNode, types[0], p.Span);
            return;
        }
        var set = new SetNode { Span = p.Span, Type = tf.Type, LengthBits = tf.LengthBits };
        foreach (int t in types)
            set.Elements.Add(new ValueNode { Value = t, Type = tf.Type, LengthBits = tf.LengthBits, ByteOrder = ByteOrder.BigEndian, Span = p.Span });
        _out.Add(new MatchStatement { Left = typeNode, Op = RelOp.Implicit, Right = set, Span = p.Span });
    }

    /// <summary>What an explicit `ether type` match said is above Ethernet (a vlan field after `ether type ip` conflicts).</summary>
    private HeaderDesc? _etherUpperMatched;

    private void AddLinkDependency(PayloadNode p)
    {
        var h = p.Header!;
        if (h == ProtocolHeaders.Vlan && _etherUpperMatched is not null && _proto[ProtoBase.LinkLayer] != ProtocolHeaders.Vlan)
            throw new NftEvaluationException(p.Span, "conflicting protocols specified: ether vs. vlan");
        var fam = _ctx.Family;
        if (fam == NftFamily.Bridge || fam == NftFamily.Netdev && _proto[ProtoBase.LinkLayer] == ProtocolHeaders.Ether)
        {
            if (h == ProtocolHeaders.Vlan) AddVlanDependency(p);
            return;
        }
        if (!_proto.LinkChecked)
        {
            // Outside bridge tables an Ethernet header is only there on Ethernet devices.
            var iiftype = MetaKeys.FromToken("iiftype")!;
            AddDependency(Meta(iiftype), 1, p.Span);
            _proto.LinkChecked = true;
        }
        if (h == ProtocolHeaders.Vlan) AddVlanDependency(p);
        else _proto[ProtoBase.LinkLayer] ??= ProtocolHeaders.Ether;
    }

    /// <summary>The link-layer headers before the current one (nft's stacked_ll), as bits: `ether type 8021ad` pushes
    /// the Ethernet header, a later `vlan type 8021q` the first VLAN tag, so the next `vlan id` is the inner tag's.</summary>
    private int _stackedLinkBits;

    private void AddVlanDependency(PayloadNode p)
    {
        if (_proto[ProtoBase.LinkLayer] != ProtocolHeaders.Vlan)
        {
            var etherType = ProtocolHeaders.Ether.Field("type")!;
            AddDependency(new PayloadNode { Header = ProtocolHeaders.Ether, Field = etherType, Base = ProtoBase.LinkLayer,
                OffsetBits = etherType.OffsetBits, LengthBits = 16, Type = T.EtherType, ByteOrder = ByteOrder.BigEndian }, 0x8100, p.Span);
            _proto[ProtoBase.LinkLayer] = ProtocolHeaders.Vlan;
            _stackedLinkBits = ProtocolHeaders.Ether.LengthBits;
        }
        p.ExtraOffsetBits = _stackedLinkBits;
    }

    /// <param name="fromTransport">The dependency is implied by ICMP, ICMPv6 or IGMP: nft 1.0.6
    /// (payload_gen_special_dependency) then tests the link header's type field in bridge tables, not meta protocol,
    /// which bridge tables use only for IPv4 and IPv6 headers (payload_gen_dependency).</param>
    private void AddNetworkDependency(HeaderDesc h, SourceSpan span, bool fromTransport = false)
    {
        var cur = _proto[ProtoBase.Network];
        if (cur == h) return;
        if (cur is not null)
            throw new NftEvaluationException(span, $"conflicting protocols specified: {cur.Name} vs. {h.Name}");
        switch (_ctx.Family)
        {
            case NftFamily.Inet or NftFamily.Netdev when _proto[ProtoBase.LinkLayer] == ProtocolHeaders.Ether:
            case NftFamily.Bridge when _proto[ProtoBase.LinkLayer] == ProtocolHeaders.Ether
                                       && (fromTransport || h != ProtocolHeaders.Ip && h != ProtocolHeaders.Ip6):
            {
                // After `meta iiftype ether` (said or implied by an ether match) nft 1.0.6 checks the Ethernet type field.
                long etherType = ProtocolHeaders.Ether.FindNumber(h)
                    ?? throw new NftEvaluationException(span, $"conflicting protocols specified: ether vs. {h.Name}");
                var et = ProtocolHeaders.Ether.Field("type")!;
                AddDependency(new PayloadNode { Header = ProtocolHeaders.Ether, Field = et, Base = ProtoBase.LinkLayer,
                    OffsetBits = et.OffsetBits, LengthBits = 16, Type = T.EtherType, ByteOrder = ByteOrder.BigEndian }, etherType, span);
                break;
            }
            case NftFamily.Netdev or NftFamily.Bridge:
            case NftFamily.Inet when _proto[ProtoBase.LinkLayer] == ProtocolHeaders.Vlan:
            {
                long? etherType = ProtocolHeaders.Ether.FindNumber(h);
                if (etherType is null) throw new NftEvaluationException(span, $"conflicting protocols specified: ether vs. {h.Name}");
                if (_proto[ProtoBase.LinkLayer] == ProtocolHeaders.Vlan)
                {
                    var vt = ProtocolHeaders.Vlan.Field("type")!;
                    AddDependency(new PayloadNode { Header = ProtocolHeaders.Vlan, Field = vt, Base = ProtoBase.LinkLayer, OffsetBits = vt.OffsetBits,
                        ExtraOffsetBits = _stackedLinkBits, LengthBits = 16, Type = T.EtherType, ByteOrder = ByteOrder.BigEndian },
                        etherType.Value, span);
                }
                else
                    AddDependency(Meta(MetaKeys.Protocol), etherType.Value, span);
                break;
            }
            case NftFamily.Inet:
            {
                long? nfproto = h == ProtocolHeaders.Ip ? 2 : h == ProtocolHeaders.Ip6 ? 10 : null;
                if (nfproto is null) throw new NftEvaluationException(span, $"conflicting protocols specified: inet vs. {h.Name}");
                AddDependency(Meta(MetaKeys.NfProto), nfproto.Value, span);
                break;
            }
            default:
                throw new NftEvaluationException(span, $"conflicting protocols specified: {_ctx.Family.ToString().ToLowerInvariant()} vs. {h.Name}");
        }
        _proto[ProtoBase.Network] = h;
    }

    /// <summary>`meta l4proto { tcp, udp }`: nft 1.0.6 keeps every protocol of the set as a candidate, and a later
    /// header of one of them conflicts with the others ("conflicting protocols specified: udp vs. tcp").</summary>
    private List<HeaderDesc>? _transportCandidates;

    private void NoteTransportCandidates(Node left, SetNode set)
    {
        if (left is MetaNode { Inner: not null } or PayloadNode { Inner: not null }) return;
        if (left is not (MetaNode { Key.Key: 16 } or PayloadNode { Field.Name: "protocol", Header.Name: "ip" }
            or PayloadNode { Field.Name: "nexthdr", Header.Name: "ip6" })) return;
        var uppers = new List<HeaderDesc>();
        foreach (var e in set.Elements)
        {
            var key = e is SetElementNode se ? se.Key : e;
            if (key is not ValueNode { StringBytes: null } v || v.Value > long.MaxValue || v.Value < 0) return;
            if (ProtocolHeaders.InetService.FindUpper((long)v.Value) is { } upper && !uppers.Contains(upper)) uppers.Add(upper);
        }
        if (uppers.Count == 1) _proto[ProtoBase.Transport] ??= uppers[0];
        else if (uppers.Count > 1) _transportCandidates = uppers;
    }

    private void AddTransportDependency(HeaderDesc h, SourceSpan span)
    {
        if (_transportCandidates?.FirstOrDefault(c => c != h) is { } other)
            throw new NftEvaluationException(span, $"conflicting protocols specified: {other.Name} vs. {h.Name}");
        var cur = _proto[ProtoBase.Transport];
        if (cur == h) return;
        if (cur is not null)
            throw new NftEvaluationException(span, $"conflicting protocols specified: {cur.Name} vs. {h.Name}");
        // ICMP and IGMP imply IPv4, ICMPv6 implies IPv6 when nothing said which network protocol; nft 1.0.6 lists all
        // three above both IPv4 and IPv6, so once one is known (`icmp type` in an ip6 table) only the l4proto is checked.
        HeaderDesc? network = h == ProtocolHeaders.Icmp || h == ProtocolHeaders.Igmp ? ProtocolHeaders.Ip
            : h == ProtocolHeaders.Icmp6 ? ProtocolHeaders.Ip6 : null;
        var known = _proto[ProtoBase.Network];
        if (network is not null && known != ProtocolHeaders.Ip && known != ProtocolHeaders.Ip6) AddNetworkDependency(network, span, fromTransport: true);
        long number = ProtocolHeaders.InetService.FindNumber(h)
            ?? throw new NftEvaluationException(span, $"conflicting protocols specified: inet-service vs. {h.Name}");
        AddDependency(Meta(MetaKeys.L4Proto), number, span);
        _proto[ProtoBase.Transport] = h;
    }

    /// <summary>A match on a protocol selector tells later expressions which header follows (no dependency needed).</summary>
    private void UpdateContext(Node left, ValueNode v)
    {
        // Only small values (protocol numbers) select a header; raw or wide values never do. The packet inside a
        // tunnel has a context of its own.
        if (v.Value > long.MaxValue || v.Value < 0 || left is PayloadNode { Inner: not null } or MetaNode { Inner: not null }) return;
        long n = (long)v.Value;
        switch (left)
        {
            case MetaNode { Key.Key: 16 } when n == Tunnels.GreProtocolNumber:
                // `meta l4proto gre gre version 0`: the match is the GRE dependency itself (nft 1.1)
                _proto[ProtoBase.Transport] ??= Tunnels.GreHeader;
                break;
            case MetaNode { Key.Key: 16 }:
            case PayloadNode { Field.Name: "protocol", Header.Name: "ip" }:
            case PayloadNode { Field.Name: "nexthdr", Header.Name: "ip6" }:
                if (_proto[ProtoBase.Transport] is null && ProtocolHeaders.InetService.FindUpper(n) is { } t) _proto[ProtoBase.Transport] = t;
                break;
            case MetaNode { Key.Key: 15 }:
                if (_proto[ProtoBase.Network] is null && ProtocolHeaders.Inet.FindUpper(n) is { } net) _proto[ProtoBase.Network] = net;
                break;
            case MetaNode { Key.Key: 1 }:
            case PayloadNode { Field.Name: "type", Header.Name: "ether" or "vlan" }:
            {
                var upper = ProtocolHeaders.Ether.FindUpper(n);
                if (left is PayloadNode { Header.Name: "ether" } && upper is not null && upper != ProtocolHeaders.Vlan) _etherUpperMatched = upper;
                if (upper == ProtocolHeaders.Vlan)
                {
                    // As nft's payload_expr_pctx_update: a type field naming a VLAN tag pushes the current header.
                    if (left is PayloadNode { Raw: false })
                        _stackedLinkBits += (_proto[ProtoBase.LinkLayer] ?? ProtocolHeaders.Ether).LengthBits;
                    _proto[ProtoBase.LinkLayer] = ProtocolHeaders.Vlan;
                }
                else if (upper is not null && _proto[ProtoBase.Network] is null) _proto[ProtoBase.Network] = upper;
                break;
            }
            case MetaNode { Key.Key: 8 } when n == 1:
                _proto.LinkChecked = true;
                if (_ctx.Family is NftFamily.Inet or NftFamily.Netdev) _proto[ProtoBase.LinkLayer] ??= ProtocolHeaders.Ether;
                break;
        }
    }
}
