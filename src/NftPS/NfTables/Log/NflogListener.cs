using NftPS.Netlink;

namespace NftPS.NfTables.Log;

/// <summary>Reads one NFLOG group (packets that `log group N` rules send) over a netlink socket of its own, opened in
/// the given namespace. Binding asks for whole packets up to <see cref="CopyRange"/> bytes, delivered one by one
/// (queue threshold 1) with a short flush timeout, so each packet arrives as soon as it is logged. The kernel drops the
/// binding when the socket closes (<see cref="Dispose"/>), so the group is free for another reader right after.</summary>
public sealed class NflogListener : IDisposable
{
    /// <summary>Enough for IPv6 with extension headers and a TCP header with options.</summary>
    public const uint CopyRange = 256;
    private const uint FlushTimeoutCentiseconds = 1;

    private readonly NetlinkSocket _socket;
    private readonly InterfaceNames _names;

    private NflogListener(NetlinkSocket socket, InterfaceNames names, ushort group)
    {
        _socket = socket;
        _names = names;
        Group = group;
    }

    public ushort Group { get; }
    public string? NetworkNamespace => _socket.NetworkNamespace;
    /// <summary>How many times the socket buffer overflowed and packets were lost.</summary>
    public long Overflows { get; private set; }

    /// <summary>Binds <paramref name="group"/>. Throws <see cref="NftLogGroupBusyException"/> naming the reader when
    /// another one holds the group, <see cref="NetlinkException"/> for other refusals.</summary>
    public static NflogListener Open(string? networkNamespace, ushort group, CancellationToken cancellation = default)
    {
        var socket = NetlinkSocket.Open(networkNamespace);
        InterfaceNames? names = null;
        try
        {
            names = InterfaceNames.Open(networkNamespace);
            // Logging must not stall on a slow reader: losing packets is reported (Overflows), not an error.
            socket.SetReceiveBuffer(4 << 20);
            Bind(socket, group, cancellation);
            return new NflogListener(socket, names, group);
        }
        catch
        {
            names?.Dispose();
            socket.Dispose();
            throw;
        }
    }

    private static void Bind(NetlinkSocket socket, ushort group, CancellationToken cancellation)
    {
        uint seq = socket.NextSequence();
        var w = new NetlinkWriter(256);
        int token = w.BeginMessage(NflogProtocol.ConfigMessage, NetlinkConstants.NLM_F_REQUEST | NetlinkConstants.NLM_F_ACK, seq,
            family: 0, resourceId: group);
        w.WriteBytes(NflogProtocol.ConfigCommand, [NflogProtocol.CommandBind]);
        Span<byte> mode = stackalloc byte[6]; // struct nfulnl_msg_config_mode: be32 copy_range, u8 copy_mode, u8 pad
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(mode, CopyRange);
        mode[4] = NflogProtocol.CopyPacket;
        w.WriteBytes(NflogProtocol.ConfigMode, mode);
        w.WriteBe32(NflogProtocol.ConfigTimeout, FlushTimeoutCentiseconds);
        w.WriteBe32(NflogProtocol.ConfigQueueThreshold, 1u);
        w.WriteBe16(NflogProtocol.ConfigFlags, NflogProtocol.FlagSequence);
        w.EndMessage(token);
        socket.Send(w.WrittenSpan);

        DateTime deadline = DateTime.UtcNow + socket.ReplyTimeout;
        while (DateTime.UtcNow < deadline)
        {
            var reader = new NetlinkMessageReader(socket.ReceiveWithin(deadline - DateTime.UtcNow, cancellation));
            while (reader.TryRead(out var m))
            {
                if (m.Type != NetlinkConstants.NLMSG_ERROR || m.Sequence != seq) continue;
                int error = -NetlinkError.Parse(m).Error;
                if (error == 0) return;
                // Another reader's binding answers EPERM (a different port id) and a repeated bind EBUSY.
                if (error is Errors.EPERM or Errors.EBUSY &&
                    Netlink.NetworkNamespace.Run(socket.NetworkNamespace, () => NflogGroupOwner.PortOf(group)) is uint port &&
                    port != socket.PortId)
                {
                    string? owner = Netlink.NetworkNamespace.Run(socket.NetworkNamespace, () => NflogGroupOwner.Describe(port));
                    throw new NftLogGroupBusyException(group, port, owner, new NetlinkException(error, $"bind NFLOG group {group}"));
                }
                throw new NetlinkException(error, $"bind NFLOG group {group}", NetlinkError.Parse(m).Message);
            }
        }
        throw new TimeoutException($"No answer from the kernel to binding NFLOG group {group}.");
    }

    /// <summary>The packets that arrive within <paramref name="wait"/> (Timeout.InfiniteTimeSpan: until one does);
    /// empty when none did. Cancellation ends the wait within a poll slice (100 ms).</summary>
    public IReadOnlyList<NftLogPacket> Receive(TimeSpan wait, CancellationToken cancellation)
    {
        ReadOnlySpan<byte> datagram;
        try { datagram = _socket.ReceiveWithin(wait, cancellation); }
        catch (NetlinkException e) when (e.Errno == Errors.ENOBUFS)
        {
            Overflows++;
            return Array.Empty<NftLogPacket>();
        }
        if (datagram.IsEmpty) return Array.Empty<NftLogPacket>();
        var received = DateTimeOffset.UtcNow;
        var packets = new List<NftLogPacket>(1);
        var reader = new NetlinkMessageReader(datagram);
        while (reader.TryRead(out var m))
            if (m.Type == NflogProtocol.PacketMessage)
                packets.Add(NflogDecoder.Decode(m, _names.NameOf, received, NetworkNamespace));
        return packets;
    }

    public void Dispose()
    {
        _socket.Dispose();
        _names.Dispose();
    }
}
