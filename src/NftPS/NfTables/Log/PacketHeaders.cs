using System.Buffers.Binary;
using System.Net;

namespace NftPS.NfTables.Log;

/// <summary>The layer-3 and layer-4 facts of a copied packet (it starts at the network header). A header cut short
/// by the copy range or malformed leaves the facts it could not read null; it never throws.</summary>
internal readonly record struct PacketFacts(NftFamily Family, string? Protocol, IPAddress? Source, IPAddress? Destination,
    ushort? SourcePort, ushort? DestinationPort, NftTcpFlags? TcpFlags, int? Length)
{
    private const byte Tcp = 6, Udp = 17, Sctp = 132, Dccp = 33, UdpLite = 136;

    /// <summary><paramref name="etherType"/> from the NFLOG header decides the family; the nfgenmsg family is the fallback.</summary>
    public static PacketFacts Read(ReadOnlySpan<byte> packet, ushort etherType, NftFamily fallback)
    {
        bool v6 = etherType switch { 0x0800 => false, 0x86dd => true, _ => fallback == NftFamily.Ip6 };
        if (etherType is not (0x0800 or 0x86dd) && fallback is not (NftFamily.Ip or NftFamily.Ip6) && packet.Length > 0)
            v6 = packet[0] >> 4 == 6;
        return v6 ? ReadIp6(packet) : ReadIp4(packet);
    }

    private static PacketFacts ReadIp4(ReadOnlySpan<byte> p)
    {
        if (p.Length < 20 || p[0] >> 4 != 4) return new PacketFacts(NftFamily.Ip, null, null, null, null, null, null, null);
        int headerLength = (p[0] & 0xf) * 4;
        byte proto = p[9];
        var src = new IPAddress(p.Slice(12, 4));
        var dst = new IPAddress(p.Slice(16, 4));
        int length = BinaryPrimitives.ReadUInt16BigEndian(p[2..]);
        // Only the first fragment carries the layer-4 header.
        bool firstFragment = (BinaryPrimitives.ReadUInt16BigEndian(p[6..]) & 0x1fff) == 0;
        var l4 = firstFragment && headerLength >= 20 && headerLength <= p.Length ? p[headerLength..] : ReadOnlySpan<byte>.Empty;
        return WithTransport(new PacketFacts(NftFamily.Ip, ProtocolName(proto), src, dst, null, null, null, length), proto, l4);
    }

    private static PacketFacts ReadIp6(ReadOnlySpan<byte> p)
    {
        if (p.Length < 40 || p[0] >> 4 != 6) return new PacketFacts(NftFamily.Ip6, null, null, null, null, null, null, null);
        var src = new IPAddress(p.Slice(8, 16));
        var dst = new IPAddress(p.Slice(24, 16));
        int length = BinaryPrimitives.ReadUInt16BigEndian(p[4..]) + 40;
        byte next = p[6];
        int offset = 40;
        // Hop-by-hop, routing, fragment and destination options headers stand between the IPv6 header and layer 4.
        for (int hops = 0; hops < 8 && next is 0 or 43 or 44 or 60; hops++)
        {
            if (offset + 8 > p.Length) return new PacketFacts(NftFamily.Ip6, null, src, dst, null, null, null, length);
            byte following = p[offset];
            if (next == 44)
            {
                if ((BinaryPrimitives.ReadUInt16BigEndian(p[(offset + 2)..]) & 0xfff8) != 0)
                    return new PacketFacts(NftFamily.Ip6, ProtocolName(following), src, dst, null, null, null, length);
                offset += 8;
            }
            else offset += (p[offset + 1] + 1) * 8;
            next = following;
        }
        var l4 = offset <= p.Length ? p[offset..] : ReadOnlySpan<byte>.Empty;
        return WithTransport(new PacketFacts(NftFamily.Ip6, ProtocolName(next), src, dst, null, null, null, length), next, l4);
    }

    private static PacketFacts WithTransport(PacketFacts facts, byte proto, ReadOnlySpan<byte> l4)
    {
        if (proto is Tcp or Udp or Sctp or Dccp or UdpLite && l4.Length >= 4)
            facts = facts with
            {
                SourcePort = BinaryPrimitives.ReadUInt16BigEndian(l4),
                DestinationPort = BinaryPrimitives.ReadUInt16BigEndian(l4[2..]),
            };
        if (proto == Tcp && l4.Length >= 14) facts = facts with { TcpFlags = (NftTcpFlags)l4[13] };
        return facts;
    }

    /// <summary>Names as nft prints `meta l4proto` (/etc/protocols names); others as their number.</summary>
    internal static string ProtocolName(byte proto) => proto switch
    {
        1 => "icmp", 2 => "igmp", 6 => "tcp", 17 => "udp", 33 => "dccp", 41 => "ipv6", 47 => "gre", 50 => "esp", 51 => "ah",
        58 => "ipv6-icmp", 132 => "sctp", 136 => "udplite",
        _ => proto.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
