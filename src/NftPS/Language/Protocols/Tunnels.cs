using NftPS.Language.DataTypes;
using T = NftPS.Language.DataTypes.DataTypeRegistry;

namespace NftPS.Language.Protocols;

/// <summary>A tunnel whose inner packet nft 1.1 matches with the kernel's `inner` expression (`vxlan ip saddr X`):
/// its NFT_INNER_* type, header size and the inner headers it carries (flags: 1 header size, 2 link layer,
/// 4 network, 8 transport). <see cref="UdpPort"/>: the outer `udp dport` the rule must match before it.</summary>
internal sealed record TunnelDesc(string Name, uint Type, uint HeaderSize, uint Flags, int? UdpPort, HeaderDesc? Header)
{
    public bool HasLinkLayer => (Flags & 2) != 0;
}

/// <summary>vxlan, geneve, gre and gretap (nftables 1.1's proto.c inner descriptions) as data.</summary>
internal static class Tunnels
{
    private static HeaderField Bits(string name, int offsetBits, int lenBits, DataType? type = null) =>
        new(name, offsetBits, lenBits, type ?? T.Integer);

    /// <summary>The VXLAN header, read at the kernel's tunnel header base inside an inner expression.</summary>
    public static readonly HeaderDesc VxlanHeader = new("vxlan", 18, ProtoBase.Tunnel,
        null, Bits("flags", 0, 8, T.Bitmask), Bits("vni", 32, 24));
    public static readonly HeaderDesc GeneveHeader = new("geneve", 19, ProtoBase.Tunnel,
        null, Bits("version", 0, 2), Bits("opt-len", 2, 6), Bits("control", 8, 1), Bits("critical", 9, 1),
        Bits("protocol", 16, 16, T.EtherType), Bits("vni", 32, 24));
    /// <summary>The GRE header itself is an outer transport header (`gre version 0`).</summary>
    public static readonly HeaderDesc GreHeader = new("gre", 20, ProtoBase.Transport,
        null, Bits("flags", 0, 5, T.Bitmask), Bits("version", 13, 3), Bits("protocol", 16, 16, T.EtherType));

    public static readonly TunnelDesc Vxlan = new("vxlan", 1, 8, 0xf, 4789, VxlanHeader);
    public static readonly TunnelDesc Geneve = new("geneve", 2, 8, 0xf, 6081, GeneveHeader);
    public static readonly TunnelDesc Gre = new("gre", 3, 4, 0xc, null, GreHeader);
    public static readonly TunnelDesc Gretap = new("gretap", 4, 4, 0xe, null, null);

    public const int GreProtocolNumber = 47;

    public static TunnelDesc? FromType(uint type) => type switch
    {
        1 => Vxlan, 2 => Geneve, 3 => Gre, 4 => Gretap, _ => null,
    };

    public static TunnelDesc? FromName(string name) => name switch
    {
        "vxlan" => Vxlan, "geneve" => Geneve, "gre" => Gre, "gretap" => Gretap, _ => null,
    };
}
