using System.Net;
using NftPS.Netlink;
using NftPS.NfTables;
using NftPS.NfTables.Log;

namespace NftPS.Tests.Observe;

/// <summary>NFULNL_MSG_PACKET bytes, built here as the kernel lays them out, decoded into <see cref="NftLogPacket"/>.</summary>
public class NflogDecoderTests
{
    private static byte[] Message(NftFamily family, ushort group, Action<NetlinkWriter> attributes)
    {
        var w = new NetlinkWriter();
        int token = w.BeginMessage(0x0400, 0, 0, (byte)family, group);
        attributes(w);
        w.EndMessage(token);
        return w.ToArray();
    }

    private static NftLogPacket Decode(byte[] bytes, Func<uint, string?>? names = null)
    {
        var reader = new NetlinkMessageReader(bytes);
        Assert.True(reader.TryRead(out var m));
        return NflogDecoder.Decode(m, names ?? (i => i == 1 ? "lo" : null), DateTimeOffset.UnixEpoch.AddDays(1), "ns1");
    }

    // 127.0.0.1:40000 -> 127.0.0.2:9, TCP SYN|ECE, total length 60.
    private static readonly byte[] Ip4Syn =
    [
        0x45, 0, 0, 60, 0x12, 0x34, 0x40, 0, 64, 6, 0, 0, 127, 0, 0, 1, 127, 0, 0, 2,
        0x9c, 0x40, 0, 9, 0, 0, 0, 1, 0, 0, 0, 0, 0xa0, 0x42, 0xff, 0xff, 0, 0, 0, 0,
    ];

    [Fact]
    public void Ip4TcpPacketDecodesEveryField()
    {
        var p = Decode(Message(NftFamily.Ip, 7, w =>
        {
            w.WriteBytes(1, [0x08, 0x00, 3, 0]);           // PACKET_HDR: IPv4, hook 3 (output)
            w.WriteBe32(2, 0x30);                            // MARK
            w.WriteBytes(3, [0, 0, 0, 0, 0x65, 0x00, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 5]); // TIMESTAMP sec, usec
            w.WriteBe32(5, 1);                               // OUTDEV
            w.WriteBytes(9, Ip4Syn);                         // PAYLOAD
            w.WriteString(10, "egress-drop: ");              // PREFIX
            w.WriteBe32(11, 65534);                          // UID
            w.WriteBe32(12, 42);                             // SEQ
            w.WriteBe32(14, 65533);                          // GID
        }));
        Assert.Equal((ushort)7, p.Group);
        Assert.Equal("egress-drop: ", p.Prefix);
        Assert.Equal("output", p.Hook);
        Assert.Equal(NftFamily.Ip, p.Family);
        Assert.Null(p.InputInterface);
        Assert.Equal("lo", p.OutputInterface);
        Assert.Equal(1u, p.OutputInterfaceIndex);
        Assert.Equal(65534u, p.Uid);
        Assert.Equal(65533u, p.Gid);
        Assert.Equal(0x30u, p.Mark);
        Assert.Equal("tcp", p.Protocol);
        Assert.Equal(IPAddress.Parse("127.0.0.1"), p.SourceAddress);
        Assert.Equal(IPAddress.Parse("127.0.0.2"), p.DestinationAddress);
        Assert.Equal((ushort)40000, p.SourcePort);
        Assert.Equal((ushort)9, p.DestinationPort);
        Assert.Equal(NftTcpFlags.Syn | NftTcpFlags.Ecn, p.TcpFlags);
        Assert.Equal(60, p.PacketLength);
        Assert.Equal(42u, p.Sequence);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(0x65000000).AddTicks(50), p.Time);
        Assert.Equal("ns1", p.NetworkNamespace);
    }

    [Fact]
    public void Ip6UdpBehindAHopByHopHeaderFindsThePorts()
    {
        var packet = new byte[40 + 8 + 8];
        packet[0] = 0x60;
        packet[5] = 16;            // payload length: options + udp
        packet[6] = 0;             // next: hop-by-hop
        packet[7] = 64;
        packet[23] = 1;            // ::1
        packet[39] = 1;            // ::1
        packet[40] = 17;           // hop-by-hop: next udp, length 0 (8 bytes)
        packet[48] = 0x13; packet[49] = 0x88; // 5000
        packet[50] = 0x00; packet[51] = 0x35; // 53
        var p = Decode(Message(NftFamily.Ip6, 1, w =>
        {
            w.WriteBytes(1, [0x86, 0xdd, 1, 0]); // hook 1 (input)
            w.WriteBe32(4, 1);
            w.WriteBytes(9, packet);
        }));
        Assert.Equal(NftFamily.Ip6, p.Family);
        Assert.Equal("input", p.Hook);
        Assert.Equal("lo", p.InputInterface);
        Assert.Equal("udp", p.Protocol);
        Assert.Equal(IPAddress.IPv6Loopback, p.SourceAddress);
        Assert.Equal((ushort)5000, p.SourcePort);
        Assert.Equal((ushort)53, p.DestinationPort);
        Assert.Null(p.TcpFlags);
        Assert.Equal(56, p.PacketLength);
        Assert.Null(p.Uid);
        // No timestamp: the time it was received.
        Assert.Equal(DateTimeOffset.UnixEpoch.AddDays(1), p.Time);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(22)]
    [InlineData(33)]
    public void ACutShortPacketLeavesWhatItLacksNull(int copied)
    {
        var p = Decode(Message(NftFamily.Inet, 2, w =>
        {
            w.WriteBytes(1, [0x08, 0x00, 0, 0]);
            w.WriteBytes(9, Ip4Syn.AsSpan(0, copied));
        }));
        Assert.Equal("prerouting", p.Hook);
        Assert.Equal(NftFamily.Ip, p.Family);
        if (copied < 20) Assert.Null(p.SourceAddress);
        else Assert.Equal(IPAddress.Parse("127.0.0.1"), p.SourceAddress);
        if (copied < 24) Assert.Null(p.DestinationPort);
        else Assert.Equal((ushort)9, p.DestinationPort);
        if (copied < 34) Assert.Null(p.TcpFlags);
    }

    [Fact]
    public void AnIp4FragmentAfterTheFirstHasNoPorts()
    {
        var fragment = (byte[])Ip4Syn.Clone();
        fragment[6] = 0x00; fragment[7] = 0x10; // offset 16 (x8 bytes)
        var p = Decode(Message(NftFamily.Ip, 2, w => { w.WriteBytes(1, [0x08, 0x00, 4, 0]); w.WriteBytes(9, fragment); }));
        Assert.Equal("tcp", p.Protocol);
        Assert.Null(p.SourcePort);
        Assert.Null(p.TcpFlags);
    }
}
