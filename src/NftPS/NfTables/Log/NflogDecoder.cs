using System.Buffers.Binary;
using NftPS.NfTables.Model;
using NftPS.Netlink;

namespace NftPS.NfTables.Log;

/// <summary>One NFULNL_MSG_PACKET as an <see cref="NftLogPacket"/>. Attributes are read by type (their order is not
/// relied on); ones not known are skipped.</summary>
internal static class NflogDecoder
{
    public static NftLogPacket Decode(in NetlinkMessage m, Func<uint, string?> interfaceName, DateTimeOffset received,
        string? networkNamespace)
    {
        var family = (NftFamily)m.Family;
        ushort etherType = 0;
        byte hook = 0;
        uint mark = 0;
        uint? input = null, output = null, uid = null, gid = null, sequence = null;
        string prefix = "";
        DateTimeOffset? stamp = null;
        ReadOnlySpan<byte> payload = default;
        var attrs = m.GetAttributes();
        while (attrs.TryRead(out var a))
        {
            switch (a.Type)
            {
                case NflogProtocol.PacketHeader when a.Payload.Length >= 3:
                    etherType = BinaryPrimitives.ReadUInt16BigEndian(a.Payload);
                    hook = a.Payload[2];
                    break;
                case NflogProtocol.Mark: mark = a.GetBe32(); break;
                case NflogProtocol.Timestamp when a.Payload.Length >= 16:
                    stamp = Timestamp(BinaryPrimitives.ReadUInt64BigEndian(a.Payload), BinaryPrimitives.ReadUInt64BigEndian(a.Payload[8..]));
                    break;
                case NflogProtocol.InputIndex: input = a.GetBe32(); break;
                case NflogProtocol.OutputIndex: output = a.GetBe32(); break;
                case NflogProtocol.Payload: payload = a.Payload; break;
                case NflogProtocol.Prefix: prefix = a.GetString(); break;
                case NflogProtocol.Uid: uid = a.GetBe32(); break;
                case NflogProtocol.Gid: gid = a.GetBe32(); break;
                case NflogProtocol.Sequence: sequence = a.GetBe32(); break;
            }
        }
        var facts = PacketFacts.Read(payload, etherType, family);
        return new NftLogPacket
        {
            Time = stamp ?? received,
            Group = m.ResourceId,
            Prefix = prefix,
            Hook = NftHooks.HookName(family is NftFamily.Ip or NftFamily.Ip6 or NftFamily.Bridge or NftFamily.Arp or NftFamily.Netdev
                ? family : NftFamily.Ip, hook),
            Family = family is NftFamily.Ip or NftFamily.Ip6 ? family : facts.Family,
            InputInterfaceIndex = input,
            OutputInterfaceIndex = output,
            InputInterface = input is uint i ? interfaceName(i) : null,
            OutputInterface = output is uint o ? interfaceName(o) : null,
            Uid = uid,
            Gid = gid,
            Mark = mark,
            Protocol = facts.Protocol,
            SourceAddress = facts.Source,
            DestinationAddress = facts.Destination,
            SourcePort = facts.SourcePort,
            DestinationPort = facts.DestinationPort,
            TcpFlags = facts.TcpFlags,
            PacketLength = facts.Length,
            Sequence = sequence,
            NetworkNamespace = networkNamespace,
        };
    }

    private static DateTimeOffset? Timestamp(ulong seconds, ulong microseconds)
    {
        if (seconds == 0 || seconds > 253402300799UL || microseconds >= 1_000_000) return null;
        return DateTimeOffset.FromUnixTimeSeconds((long)seconds).AddTicks((long)microseconds * 10);
    }
}
