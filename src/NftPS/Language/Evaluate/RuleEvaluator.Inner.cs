using NftPS.Language.DataTypes;
using NftPS.Language.Protocols;
using NftPS.Language.Syntax;
using T = NftPS.Language.DataTypes.DataTypeRegistry;

namespace NftPS.Language.Evaluate;

/// <summary>nft 1.1's tunnel matches (`udp dport 4789 vxlan ip saddr X`, `gre ip saddr X`): the tunnel must be
/// matched first (vxlan and geneve by the rule's own `udp dport`, gre by an implied `meta l4proto gre`), then
/// the inner packet's headers get their own dependencies, inner loads too, each once per rule.</summary>
internal sealed partial class RuleEvaluator
{
    private HashSet<(string, string, long)>? _innerDependencies;

    private void RequireTunnel(TunnelDesc tunnel, SourceSpan span)
    {
        if (tunnel.UdpPort is int port)
        {
            bool matched = _out.OfType<MatchStatement>().Any(s =>
                s.Left is PayloadNode { Inner: null, Header.Name: "udp", Field.Name: "dport" } && s.Op is RelOp.Eq or RelOp.Implicit
                && s.Right is ValueNode v && v.Value == port);
            if (!matched)
                throw new NftEvaluationException(span, $"{tunnel.Name} needs a match on udp dport {port} before it");
            return;
        }
        AddGreDependency(span);
    }

    /// <summary>GRE rides directly on IP: `meta l4proto gre` unless the rule already said so.</summary>
    private void AddGreDependency(SourceSpan span)
    {
        var cur = _proto[ProtoBase.Transport];
        if (cur == Tunnels.GreHeader) return;
        if (cur is not null)
            throw new NftEvaluationException(span, $"conflicting protocols specified: {cur.Name} vs. gre");
        AddDependency(Meta(MetaKeys.L4Proto), Tunnels.GreProtocolNumber, span);
        _proto[ProtoBase.Transport] = Tunnels.GreHeader;
    }

    private void EvaluateInnerPayload(PayloadNode p, TunnelDesc tunnel)
    {
        RequireTunnel(tunnel, p.Span);
        var h = p.Header!;
        if (h == tunnel.Header) return;
        switch (h.Base)
        {
            case ProtoBase.LinkLayer:
                if (!tunnel.HasLinkLayer)
                    throw new NftEvaluationException(p.Span, $"{tunnel.Name} carries no link layer header");
                if (h == ProtocolHeaders.Vlan)
                {
                    AddInnerDependency(tunnel, EtherType(tunnel), 0x8100, p.Span);
                    p.ExtraOffsetBits = ProtocolHeaders.Ether.LengthBits;
                }
                break;
            case ProtoBase.Network:
                AddInnerDependency(tunnel, InnerMeta(MetaKeys.Protocol, tunnel), ProtocolHeaders.Ether.FindNumber(h)
                    ?? throw new NftEvaluationException(p.Span, $"{tunnel.Name} cannot carry {h.Name}"), p.Span);
                break;
            case ProtoBase.Transport:
            {
                if (h == ProtocolHeaders.Th) break;
                // ICMP, IGMP and ICMPv6 name their network protocol as well: through the Ethernet type where the
                // tunnel carries a link layer, through meta protocol otherwise (as nft 1.1 encodes them).
                HeaderDesc? network = h == ProtocolHeaders.Icmp || h == ProtocolHeaders.Igmp ? ProtocolHeaders.Ip
                    : h == ProtocolHeaders.Icmp6 ? ProtocolHeaders.Ip6 : null;
                if (network is not null)
                    AddInnerDependency(tunnel, tunnel.HasLinkLayer ? EtherType(tunnel) : InnerMeta(MetaKeys.Protocol, tunnel),
                        ProtocolHeaders.Ether.FindNumber(network)!.Value, p.Span);
                AddInnerDependency(tunnel, InnerMeta(MetaKeys.L4Proto, tunnel), ProtocolHeaders.InetService.FindNumber(h)
                    ?? throw new NftEvaluationException(p.Span, $"{tunnel.Name} cannot carry {h.Name}"), p.Span);
                break;
            }
        }
    }

    private void AddInnerDependency(TunnelDesc tunnel, Node left, long value, SourceSpan span)
    {
        _innerDependencies ??= new();
        if (!_innerDependencies.Add((tunnel.Name, left.ToString() ?? "", value))) return;
        AddDependency(left, value, span);
    }

    private static MetaNode InnerMeta(MetaKey key, TunnelDesc tunnel)
    {
        var m = Meta(key);
        m.Inner = tunnel;
        return m;
    }

    private static PayloadNode EtherType(TunnelDesc tunnel)
    {
        var et = ProtocolHeaders.Ether.Field("type")!;
        return new PayloadNode { Header = ProtocolHeaders.Ether, Field = et, Base = ProtoBase.LinkLayer, OffsetBits = et.OffsetBits,
            LengthBits = 16, Type = T.EtherType, ByteOrder = ByteOrder.BigEndian, Inner = tunnel };
    }
}
