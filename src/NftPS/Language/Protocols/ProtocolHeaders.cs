using NftPS.Language.DataTypes;
using T = NftPS.Language.DataTypes.DataTypeRegistry;

namespace NftPS.Language.Protocols;

/// <summary>Where a payload offset counts from (NFT_PAYLOAD_*_HEADER and nftables' proto_bases, which add 1).</summary>
internal enum ProtoBase
{
    Invalid = 0,
    LinkLayer = 1,
    Network = 2,
    Transport = 3,
    Inner = 4,
    /// <summary>NFT_PAYLOAD_TUN_HEADER: the tunnel header, only inside an `inner` expression.</summary>
    Tunnel = 5,
}

/// <summary>One field of a header: name, bit offset and length from the header start, type and byte order.</summary>
internal sealed record HeaderField(string Name, int OffsetBits, int LengthBits, DataType Type, ByteOrder ByteOrder = ByteOrder.BigEndian)
{
    /// <summary>Index in its header's template table (what typeof user data stores).</summary>
    public int Index { get; internal set; }
    public HeaderDesc Header { get; internal set; } = null!;
    /// <summary>The ICMP/ICMPv6 type this field only exists for (proto.c icmp_dep as a type value); 0: any type.</summary>
    public int IcmpDep { get; init; }
}

/// <summary>A protocol header (nftables' struct proto_desc): its fields and how it links to the next layer.</summary>
internal sealed class HeaderDesc
{
    private readonly HeaderField?[] _fields;
    private readonly List<(long Number, HeaderDesc Desc)> _upper = new();

    internal HeaderDesc(string name, int id, ProtoBase @base, params HeaderField?[] fields)
    {
        Name = name;
        Id = id;
        Base = @base;
        _fields = fields;
        for (int i = 0; i < fields.Length; i++)
            if (fields[i] is { } f) { f.Index = i; f.Header = this; }
    }

    public string Name { get; }
    /// <summary>PROTO_DESC_* id (typeof user data): 4 icmp, 6 udp, 8 tcp, 12 ip, 13 ip6, 17 ether...</summary>
    public int Id { get; }
    public ProtoBase Base { get; }
    /// <summary>Header length in bits where it is fixed and matters for stacking (ether 112, vlan 32).</summary>
    public int LengthBits { get; internal init; }
    /// <summary>The field that selects the upper protocol (ether type, vlan type...), if any.</summary>
    public int ProtocolKey { get; internal init; } = -1;
    /// <summary>Meta key that plays the protocol-key role for pseudo headers (inet: nfproto, netdev: protocol, ip/ip6: l4proto).</summary>
    public MetaKey? ProtocolMetaKey { get; internal init; }
    /// <summary>Fields by index; index 0 is unused for real headers.</summary>
    public IReadOnlyList<HeaderField?> Fields => _fields;
    public IReadOnlyList<(long Number, HeaderDesc Desc)> Upper => _upper;

    internal void Link(long number, HeaderDesc desc) => _upper.Add((number, desc));

    public HeaderDesc? FindUpper(long number)
    {
        foreach (var (n, d) in _upper) if (n == number) return d;
        return null;
    }

    public long? FindNumber(HeaderDesc desc)
    {
        foreach (var (n, d) in _upper) if (ReferenceEquals(d, desc)) return n;
        return null;
    }

    // Plain loops, not LINQ: these run for every keyword of every rule (no delegate and enumerator per lookup).
    public HeaderField? Field(string name)
    {
        foreach (var f in _fields) if (f?.Name == name) return f;
        return null;
    }

    /// <summary>The field at exactly this bit offset and length.</summary>
    public HeaderField? FieldAt(int offsetBits, int lengthBits)
    {
        foreach (var f in _fields) if (f is not null && f.OffsetBits == offsetBits && f.LengthBits == lengthBits) return f;
        return null;
    }

    public override string ToString() => Name;
}

/// <summary>The payload protocol headers of nftables' src/proto.c as data.</summary>
internal static class ProtocolHeaders
{
    private static HeaderField F(string name, int offsetBytes, int lenBytes, DataType? type = null) =>
        new(name, offsetBytes * 8, lenBytes * 8, type ?? T.Integer);

    private static HeaderField Bits(string name, int offsetBits, int lenBits, DataType? type = null) =>
        new(name, offsetBits, lenBits, type ?? T.Integer);

    public static readonly HeaderDesc Ah = new("ah", 1, ProtoBase.Transport,
        null, F("nexthdr", 0, 1, T.InetProto), F("hdrlength", 1, 1), F("reserved", 2, 2), F("spi", 4, 4), F("sequence", 8, 4))
    { ProtocolKey = 1 };
    public static readonly HeaderDesc Esp = new("esp", 2, ProtoBase.Transport, null, F("spi", 0, 4), F("sequence", 4, 4));
    public static readonly HeaderDesc Comp = new("comp", 3, ProtoBase.Transport,
        null, F("nexthdr", 0, 1, T.InetProto), F("flags", 1, 1, T.Bitmask), F("cpi", 2, 2))
    { ProtocolKey = 1 };
    public static readonly HeaderDesc Icmp = new("icmp", 4, ProtoBase.Transport,
        null, F("type", 0, 1, T.IcmpType), F("code", 1, 1, T.IcmpCode), F("checksum", 2, 2), F("id", 4, 2) with { IcmpDep = 8 },
        F("sequence", 6, 2) with { IcmpDep = 8 }, F("gateway", 4, 4) with { IcmpDep = 5 }, F("mtu", 6, 2) with { IcmpDep = 3 })
    { ProtocolKey = 1 };
    public static readonly HeaderDesc Igmp = new("igmp", 5, ProtoBase.Transport,
        null, F("type", 0, 1, T.IgmpType), F("checksum", 2, 2), F("mrt", 1, 1), F("group", 4, 4));
    public static readonly HeaderDesc Udp = new("udp", 6, ProtoBase.Transport,
        null, F("sport", 0, 2, T.InetService), F("dport", 2, 2, T.InetService), F("length", 4, 2), F("checksum", 6, 2));
    public static readonly HeaderDesc UdpLite = new("udplite", 7, ProtoBase.Transport,
        null, F("sport", 0, 2, T.InetService), F("dport", 2, 2, T.InetService), F("csumcov", 4, 2), F("checksum", 6, 2));
    public static readonly HeaderDesc Tcp = new("tcp", 8, ProtoBase.Transport,
        null, F("sport", 0, 2, T.InetService), F("dport", 2, 2, T.InetService), F("sequence", 4, 4), F("ackseq", 8, 4),
        Bits("doff", 96, 4), Bits("reserved", 100, 4), Bits("flags", 104, 8, T.TcpFlag), F("window", 14, 2),
        F("checksum", 16, 2), F("urgptr", 18, 2));
    public static readonly HeaderDesc Dccp = new("dccp", 9, ProtoBase.Transport,
        null, F("sport", 0, 2, T.InetService), F("dport", 2, 2, T.InetService), Bits("type", 67, 4, T.DccpPktType));
    public static readonly HeaderDesc Sctp = new("sctp", 10, ProtoBase.Transport,
        null, F("sport", 0, 2, T.InetService), F("dport", 2, 2, T.InetService), F("vtag", 4, 4), F("checksum", 8, 4));
    public static readonly HeaderDesc Th = new("th", 11, ProtoBase.Transport,
        null, F("sport", 0, 2, T.InetService), F("dport", 2, 2, T.InetService));
    public static readonly HeaderDesc Ip = new("ip", 12, ProtoBase.Network,
        null, Bits("version", 0, 4), Bits("hdrlength", 4, 4), Bits("dscp", 8, 6, T.Dscp), Bits("ecn", 14, 2, T.Ecn),
        F("length", 2, 2), F("id", 4, 2), F("frag-off", 6, 2), F("ttl", 8, 1), F("protocol", 9, 1, T.InetProto),
        F("checksum", 10, 2), F("saddr", 12, 4, T.Ipv4Addr), F("daddr", 16, 4, T.Ipv4Addr))
    { ProtocolKey = 9, ProtocolMetaKey = MetaKeys.L4Proto };
    public static readonly HeaderDesc Ip6 = new("ip6", 13, ProtoBase.Network,
        null, Bits("version", 0, 4), Bits("dscp", 4, 6, T.Dscp), Bits("ecn", 10, 2, T.Ecn), Bits("flowlabel", 12, 20),
        F("length", 4, 2), F("nexthdr", 6, 1, T.InetProto), F("hoplimit", 7, 1), F("saddr", 8, 16, T.Ipv6Addr),
        F("daddr", 24, 16, T.Ipv6Addr))
    { ProtocolKey = 6, ProtocolMetaKey = MetaKeys.L4Proto };
    public static readonly HeaderDesc Icmp6 = new("icmpv6", 14, ProtoBase.Transport,
        null, F("type", 0, 1, T.Icmp6Type), F("code", 1, 1, T.Icmpv6Code), F("checksum", 2, 2),
        F("parameter-problem", 4, 4) with { IcmpDep = 4 }, F("mtu", 4, 4) with { IcmpDep = 2 }, F("id", 4, 2) with { IcmpDep = 128 },
        F("sequence", 6, 2) with { IcmpDep = 128 }, F("max-delay", 4, 2) with { IcmpDep = 130 })
    { ProtocolKey = 1 };
    public static readonly HeaderDesc Arp = new("arp", 15, ProtoBase.Network,
        null, F("htype", 0, 2), F("ptype", 2, 2, T.EtherType), F("hlen", 4, 1), F("plen", 5, 1), F("operation", 6, 2, T.ArpOp),
        F("saddr ether", 8, 6, T.EtherAddr), F("saddr ip", 14, 4, T.Ipv4Addr), F("daddr ether", 18, 6, T.EtherAddr),
        F("daddr ip", 24, 4, T.Ipv4Addr));
    public static readonly HeaderDesc Vlan = new("vlan", 16, ProtoBase.LinkLayer,
        null, Bits("pcp", 0, 3), Bits("dei", 3, 1), Bits("cfi", 3, 1), Bits("id", 4, 12), F("type", 2, 2, T.EtherType))
    { ProtocolKey = 5, LengthBits = 32 };
    public static readonly HeaderDesc Ether = new("ether", 17, ProtoBase.LinkLayer,
        null, F("daddr", 0, 6, T.EtherAddr), F("saddr", 6, 6, T.EtherAddr), F("type", 12, 2, T.EtherType))
    { ProtocolKey = 3, LengthBits = 112 };

    /// <summary>Pseudo header of inet tables: the network layer is chosen by `meta nfproto`.</summary>
    public static readonly HeaderDesc Inet = new("inet", 0, ProtoBase.LinkLayer) { ProtocolMetaKey = MetaKeys.NfProto };
    /// <summary>Pseudo header of netdev tables: the network layer is chosen by `meta protocol`.</summary>
    public static readonly HeaderDesc Netdev = new("netdev", 0, ProtoBase.LinkLayer) { ProtocolMetaKey = MetaKeys.Protocol };
    /// <summary>Transport protocols reachable through `meta l4proto` (nftables' proto_inet_service).</summary>
    public static readonly HeaderDesc InetService = new("inet-service", 0, ProtoBase.Transport) { ProtocolMetaKey = MetaKeys.L4Proto };

    private static readonly HeaderDesc[] ById =
        { null!, Ah, Esp, Comp, Icmp, Igmp, Udp, UdpLite, Tcp, Dccp, Sctp, Th, Ip, Ip6, Icmp6, Arp, Vlan, Ether };

    static ProtocolHeaders()
    {
        void Transports(HeaderDesc d, bool withIcmp)
        {
            d.Link(50, Esp); d.Link(51, Ah); d.Link(108, Comp); d.Link(17, Udp); d.Link(136, UdpLite);
            d.Link(6, Tcp); d.Link(33, Dccp); d.Link(132, Sctp);
            if (withIcmp) { d.Link(1, Icmp); d.Link(2, Igmp); d.Link(58, Icmp6); }
        }
        Transports(Ah, false);
        Transports(Comp, false);
        Ip.Link(1, Icmp); Ip.Link(2, Igmp); Ip.Link(58, Icmp6);
        Transports(Ip, false);
        Transports(Ip6, true);
        Transports(InetService, true);
        Inet.Link(2, Ip); Inet.Link(10, Ip6);
        foreach (var d in new[] { Vlan, Ether, Netdev })
        {
            d.Link(0x0800, Ip); d.Link(0x0806, Arp); d.Link(0x86dd, Ip6); d.Link(0x8100, Vlan); d.Link(0x88a8, Vlan);
        }
    }

    /// <summary>PROTO_DESC_* id to header (typeof user data).</summary>
    public static HeaderDesc? FromId(int id) => id > 0 && id < ById.Length ? ById[id] : null;

    public static HeaderDesc? FromName(string name)
    {
        for (int i = 1; i < ById.Length; i++) if (ById[i].Name == name) return ById[i];
        return null;
    }

    public static IReadOnlyList<HeaderDesc> All => ById.Skip(1).ToArray();

    /// <summary>The header a table family starts from, and at which base (nftables' hook_proto_desc).</summary>
    public static (ProtoBase Base, HeaderDesc Desc)? FamilyStart(int nfproto) => nfproto switch
    {
        7 => (ProtoBase.LinkLayer, Ether),     // bridge
        5 => (ProtoBase.LinkLayer, Netdev),    // netdev
        1 => (ProtoBase.LinkLayer, Inet),      // inet
        2 => (ProtoBase.Network, Ip),          // ip
        10 => (ProtoBase.Network, Ip6),        // ip6
        3 => (ProtoBase.Network, Arp),         // arp
        _ => null,
    };
}
