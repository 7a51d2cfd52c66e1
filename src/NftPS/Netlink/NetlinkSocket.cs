using NftPS.Interop;

namespace NftPS.Netlink;

/// <summary>An AF_NETLINK/NETLINK_NETFILTER socket. Knows framing, sequence numbers and port ids, nothing of nf_tables.
/// Reads poll in short slices so a blocking read can be cancelled (Ctrl+C in PowerShell).</summary>
public sealed class NetlinkSocket : IDisposable
{
    private const int PollSliceMs = 100;
    // Listeners block for long stretches and must end soon after Ctrl+C (well within 200 ms): a shorter slice.
    private const int ListenSliceMs = 40;
    private const int DefaultReceiveBuffer = 1 << 20;
    private int _fd;
    private uint _sequence;
    private byte[] _receiveBuffer = new byte[(64 * 1024) + 4096];
    private int _sendBufferSize;

    private NetlinkSocket(int fd, uint portId, string? networkNamespace)
    {
        _fd = fd;
        PortId = portId;
        NetworkNamespace = networkNamespace;
        _sequence = (uint)Environment.TickCount;
    }

    public uint PortId { get; }
    /// <summary>The namespace name or path the socket was opened in; null for the caller's own.</summary>
    public string? NetworkNamespace { get; }
    /// <summary>How long a single wait for a reply may take before the request is treated as lost.</summary>
    public TimeSpan ReplyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public static NetlinkSocket Open(string? networkNamespace = null) =>
        Netlink.NetworkNamespace.Run(networkNamespace, () =>
        {
            int fd = -1;
            try
            {
                fd = NativeSocket.OpenNetfilter();
                uint port = NativeSocket.Bind(fd);
                NativeSocket.TrySetInt(fd, NetlinkConstants.SOL_NETLINK, NetlinkConstants.NETLINK_EXT_ACK, 1);
                // Large dumps and echo floods need room; FORCE needs CAP_NET_ADMIN, the plain option is the fallback.
                if (!NativeSocket.TrySetInt(fd, 1, 33 /* SO_RCVBUFFORCE */, DefaultReceiveBuffer))
                    NativeSocket.TrySetInt(fd, 1, 8 /* SO_RCVBUF */, DefaultReceiveBuffer);
                return new NetlinkSocket(fd, port, networkNamespace);
            }
            catch (Exception ex)
            {
                if (fd >= 0) NativeSocket.Close(fd);
                if (ex is SystemCallException call) throw NetlinkException.From(call);
                throw;
            }
        });

    public uint NextSequence() => unchecked(++_sequence == 0 ? ++_sequence : _sequence);

    /// <summary>Reserves <paramref name="count"/> consecutive sequence numbers and returns the first. The range never
    /// wraps past 0, so replies can be matched to it with plain comparisons.</summary>
    public uint ReserveSequences(int count)
    {
        uint first = NextSequence();
        if (first > uint.MaxValue - (uint)count) first = 1;
        _sequence = first + (uint)count - 1;
        return first;
    }

    public void Send(ReadOnlySpan<byte> data)
    {
        ThrowIfDisposed();
        try
        {
            EnsureSendBuffer(data.Length);
            NativeSocket.Send(_fd, data);
        }
        catch (SystemCallException ex) { throw NetlinkException.From(ex); }
    }

    /// <summary>A batch must go in one sendmsg and fit in SO_SNDBUF less 32 bytes.</summary>
    private void EnsureSendBuffer(int length)
    {
        int needed = length + 4096;
        if (needed <= _sendBufferSize) return;
        int current = NativeSocket.GetInt(_fd, 1, 7 /* SO_SNDBUF */) / 2;
        if (current >= needed) { _sendBufferSize = current; return; }
        int target = Math.Max(needed, 2 << 20);
        if (!NativeSocket.TrySetInt(_fd, 1, 32 /* SO_SNDBUFFORCE */, target))
            NativeSocket.TrySetInt(_fd, 1, 7 /* SO_SNDBUF */, target);
        _sendBufferSize = NativeSocket.GetInt(_fd, 1, 7) / 2;
    }

    public void SetReceiveBuffer(int bytes)
    {
        if (!NativeSocket.TrySetInt(_fd, 1, 33, bytes)) NativeSocket.TrySetInt(_fd, 1, 8, bytes);
    }

    /// <summary>Receives the next datagram from the kernel. The returned memory is valid until the next call.
    /// Messages not from the kernel (port id 0) are ignored, as are messages for another port.</summary>
    public ReadOnlySpan<byte> Receive(CancellationToken cancellation)
    {
        ThrowIfDisposed();
        try { return ReceiveNext(cancellation); }
        catch (SystemCallException ex) { throw NetlinkException.From(ex); }
    }

    private ReadOnlySpan<byte> ReceiveNext(CancellationToken cancellation)
    {
        DateTime deadline = DateTime.UtcNow + ReplyTimeout;
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            if (!NativeSocket.WaitReadable(_fd, PollSliceMs))
            {
                if (DateTime.UtcNow > deadline)
                    throw new TimeoutException($"No reply from the kernel within {ReplyTimeout.TotalSeconds:0} s.");
                continue;
            }
            int pending = NativeSocket.PeekLength(_fd);
            if (pending > _receiveBuffer.Length) _receiveBuffer = new byte[pending + 4096];
            int n = NativeSocket.Receive(_fd, _receiveBuffer);
            if (n == 0) continue;
            if (n < 0) throw new NetlinkException(-n, "receive (replies were lost; the socket buffer overflowed)");
            return _receiveBuffer.AsSpan(0, n);
        }
    }

    /// <summary>Waits up to <paramref name="wait"/> for the next datagram and returns it, or an empty span when none
    /// came: for listeners (NFLOG, traces, events), where silence is normal and not a lost reply. Polls in short slices,
    /// so cancellation ends the wait within one slice (40 ms). A socket buffer overflow (packets lost) throws ENOBUFS.</summary>
    public ReadOnlySpan<byte> ReceiveWithin(TimeSpan wait, CancellationToken cancellation)
    {
        ThrowIfDisposed();
        DateTime deadline = wait == Timeout.InfiniteTimeSpan ? DateTime.MaxValue : DateTime.UtcNow + wait;
        try
        {
            while (true)
            {
                cancellation.ThrowIfCancellationRequested();
                double left = deadline == DateTime.MaxValue ? ListenSliceMs : (deadline - DateTime.UtcNow).TotalMilliseconds;
                if (left <= 0) return ReadOnlySpan<byte>.Empty;
                if (!NativeSocket.WaitReadable(_fd, (int)Math.Ceiling(Math.Min(left, ListenSliceMs)))) continue;
                int pending = NativeSocket.PeekLength(_fd);
                if (pending > _receiveBuffer.Length) _receiveBuffer = new byte[pending + 4096];
                int n = NativeSocket.Receive(_fd, _receiveBuffer);
                if (n == 0) continue;
                if (n < 0) throw new NetlinkException(-n, "receive (messages were lost; the socket buffer overflowed)");
                return _receiveBuffer.AsSpan(0, n);
            }
        }
        catch (SystemCallException ex) { throw NetlinkException.From(ex); }
    }

    /// <summary>Joins a multicast group (NETLINK_ADD_MEMBERSHIP), e.g. NFNLGRP_NFTABLES for ruleset change events.</summary>
    public void JoinGroup(uint group)
    {
        ThrowIfDisposed();
        if (!NativeSocket.TrySetInt(_fd, NetlinkConstants.SOL_NETLINK, NetlinkConstants.NETLINK_ADD_MEMBERSHIP, (int)group))
            throw new NetlinkException(Errors.EPERM, $"join netlink group {group}");
    }

    /// <summary>Whether a datagram is waiting right now (no wait).</summary>
    public bool HasPendingData()
    {
        try { return _fd >= 0 && NativeSocket.WaitReadable(_fd, 0); }
        catch (SystemCallException ex) { throw NetlinkException.From(ex); }
    }

    public void Dispose()
    {
        int fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0) NativeSocket.Close(fd);
    }

    private void ThrowIfDisposed()
    {
        if (_fd < 0) throw new ObjectDisposedException(nameof(NetlinkSocket));
    }
}
