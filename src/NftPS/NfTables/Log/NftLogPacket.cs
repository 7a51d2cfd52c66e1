using System.Net;

namespace NftPS.NfTables.Log;

/// <summary>TCP header flags, as nft names them (tcp flags syn,ack).</summary>
[Flags]
public enum NftTcpFlags : byte
{
    None = 0, Fin = 0x01, Syn = 0x02, Rst = 0x04, Psh = 0x08, Ack = 0x10, Urg = 0x20, Ecn = 0x40, Cwr = 0x80,
}

/// <summary>One packet a `log group N` rule sent to NFLOG, decoded: where it was seen (hook, interfaces), who sent it
/// (uid/gid of the local socket, when there is one), the mark, and the addresses, ports and flags of its headers.
/// Properties the packet or the kernel did not give are null.</summary>
public sealed class NftLogPacket
{
    /// <summary>When the kernel stamped the packet; the time it was received here when the packet had no stamp
    /// (locally sent packets often have none).</summary>
    public DateTimeOffset Time { get; init; }
    public ushort Group { get; init; }
    /// <summary>The rule's `log prefix`, as the kernel sent it (empty when the rule had none).</summary>
    public string Prefix { get; init; } = "";
    /// <summary>The hook the packet was logged at: prerouting, input, forward, output, postrouting, ingress, ...</summary>
    public string Hook { get; init; } = "";
    /// <summary>The packet's protocol family (ip or ip6 for an inet table, as the packet is one or the other).</summary>
    public NftFamily Family { get; init; }
    public string? InputInterface { get; init; }
    public string? OutputInterface { get; init; }
    public uint? InputInterfaceIndex { get; init; }
    public uint? OutputInterfaceIndex { get; init; }
    /// <summary>The owner of the local socket that sent or receives the packet (meta skuid), when the kernel knows it.</summary>
    public uint? Uid { get; init; }
    public uint? Gid { get; init; }
    public uint Mark { get; init; }
    /// <summary>The layer-4 protocol by name (tcp, udp, icmp, ipv6-icmp, ...) or number.</summary>
    public string? Protocol { get; init; }
    public IPAddress? SourceAddress { get; init; }
    public IPAddress? DestinationAddress { get; init; }
    public ushort? SourcePort { get; init; }
    public ushort? DestinationPort { get; init; }
    /// <summary>Set for TCP packets only.</summary>
    public NftTcpFlags? TcpFlags { get; init; }
    /// <summary>The packet's length on the wire at layer 3 (from its IP header), not how much of it was copied.</summary>
    public int? PacketLength { get; init; }
    /// <summary>The instance-local sequence number the kernel gives each logged packet (gaps mean packets were lost).</summary>
    public uint? Sequence { get; init; }
    /// <summary>The namespace the packet was logged in (null: the caller's own).</summary>
    public string? NetworkNamespace { get; init; }

    public override string ToString()
    {
        string Ep(IPAddress? a, ushort? p) => a is null ? "?" : p is null ? a.ToString() : a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{a}]:{p}" : $"{a}:{p}";
        return $"{Prefix}{Hook} {Protocol} {Ep(SourceAddress, SourcePort)} -> {Ep(DestinationAddress, DestinationPort)}";
    }
}
