using NftPS.Netlink;

namespace NftPS.NfTables.Trace;

/// <summary>Trace events (NFNLGRP_NFTRACE) of one namespace, over a netlink socket of its own: each step of every
/// packet that has `meta nftrace set 1`. Any number of listeners may join the group.</summary>
public sealed class NftTraceListener : IDisposable
{
    private const uint TraceGroup = 9; // NFNLGRP_NFTRACE
    private readonly NetlinkSocket _socket;

    private NftTraceListener(NetlinkSocket socket) => _socket = socket;

    public static NftTraceListener Open(string? networkNamespace)
    {
        var socket = NetlinkSocket.Open(networkNamespace);
        try
        {
            socket.SetReceiveBuffer(4 << 20);
            socket.JoinGroup(TraceGroup);
            return new NftTraceListener(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The steps that arrive within <paramref name="wait"/>, in the order the kernel sent them; empty when
    /// none did. Cancellation ends the wait within one poll slice.</summary>
    public IReadOnlyList<NftTraceStep> Receive(TimeSpan wait, CancellationToken cancellation)
    {
        var datagram = _socket.ReceiveWithin(wait, cancellation);
        if (datagram.IsEmpty) return Array.Empty<NftTraceStep>();
        var steps = new List<NftTraceStep>();
        var reader = new NetlinkMessageReader(datagram);
        while (reader.TryRead(out var m))
            if (m.IsNfTables && m.NfTablesType == (int)NfTablesMessageType.Trace)
                steps.Add(NftTraceDecoder.Decode(m));
        return steps;
    }

    public void Dispose() => _socket.Dispose();
}
