using NftPS.Netlink;
using NftPS.NfTables.Backend;
using NftPS.NfTables.Model;
using NftPS.NfTables.Reading;
using NftPS.NfTables.Transactions;

namespace NftPS.NfTables;

/// <summary>Receives each message of a dump or each echo. The span is only valid during the call.</summary>
public delegate void NetlinkMessageHandler(in NetlinkMessage message);

/// <summary>nf_tables requests over one long-lived netlink socket: dumps (with consistency checks),
/// single GETs, the generation id, and atomic batches whose errors map back to the operation that caused them.</summary>
public sealed class NfTablesConnection : IDisposable, INftBackend
{
    private readonly NetlinkSocket _socket;
    private readonly NetlinkWriter _writer = new(8192);
    // Kept between batches so a session's big batches reuse one buffer; dropped after a batch that made it huge.
    private NetlinkWriter? _batchWriter;
    private const int KeptBatchBuffer = 8 << 20;

    public NfTablesConnection(NetlinkSocket socket) => _socket = socket;

    public static NfTablesConnection Open(string? networkNamespace = null) => new(NetlinkSocket.Open(networkNamespace));

    public NetlinkSocket Socket => _socket;
    public string? NetworkNamespace => _socket.NetworkNamespace;

    public static ushort WireType(NfTablesMessageType type) =>
        (ushort)((NetlinkConstants.NFNL_SUBSYS_NFTABLES << 8) | (byte)type);

    /// <summary>NFT_MSG_GETGEN: the ruleset generation id, bumped by every committed batch.</summary>
    public uint GetGeneration(CancellationToken cancellation = default)
    {
        uint generation = 0;
        bool seen = false;
        Request(NfTablesMessageType.GetGen, NftFamily.Unspecified, NetlinkConstants.NLM_F_REQUEST, null,
            (in NetlinkMessage m) =>
            {
                if (m.NfTablesType != (int)NfTablesMessageType.NewGen) return;
                var attrs = m.GetAttributes();
                while (attrs.TryRead(out var a))
                    if (a.Type == 1) { generation = a.GetBe32(); seen = true; }
            }, "get generation", expectDone: false, cancellation);
        if (!seen) throw new InvalidDataException("The kernel's NEWGEN reply carried no generation id.");
        return generation;
    }

    /// <summary>Runs one dump. Throws <see cref="DumpInterruptedException"/> when the kernel flags it as
    /// interrupted by a concurrent change (after draining it), so the caller can start over.</summary>
    public void Dump(NfTablesMessageType type, NftFamily family, Action<NetlinkWriter>? attributes,
        NetlinkMessageHandler handler, string operation, CancellationToken cancellation = default)
    {
        bool interrupted = false;
        Request(type, family, NetlinkConstants.NLM_F_REQUEST | NetlinkConstants.NLM_F_DUMP, attributes,
            (in NetlinkMessage m) =>
            {
                if ((m.Flags & NetlinkConstants.NLM_F_DUMP_INTR) != 0) interrupted = true;
                if (!interrupted) handler(m);
            }, operation, expectDone: true, cancellation);
        if (interrupted) throw new DumpInterruptedException();
    }

    /// <summary>Sends one request and feeds every reply to <paramref name="handler"/> until DONE (dumps),
    /// an ack/error, or the first reply (expectDone false and no ACK flag).</summary>
    public void Request(NfTablesMessageType type, NftFamily family, ushort flags, Action<NetlinkWriter>? attributes,
        NetlinkMessageHandler handler, string operation, bool expectDone, CancellationToken cancellation = default)
    {
        uint seq = _socket.NextSequence();
        _writer.Reset();
        int token = _writer.BeginMessage(WireType(type), flags, seq, (byte)family);
        attributes?.Invoke(_writer);
        _writer.EndMessage(token);
        _socket.Send(_writer.WrittenSpan);

        bool wantAck = (flags & NetlinkConstants.NLM_F_ACK) != 0;
        while (true)
        {
            var reader = new NetlinkMessageReader(_socket.Receive(cancellation));
            while (reader.TryRead(out var m))
            {
                if (m.Sequence != seq || (m.PortId != 0 && m.PortId != _socket.PortId)) continue;
                if (m.Type == NetlinkConstants.NLMSG_DONE) return;
                if (m.Type == NetlinkConstants.NLMSG_ERROR)
                {
                    var err = NetlinkError.Parse(m);
                    if (err.Error == 0) { if (!expectDone) return; continue; }
                    throw new NetlinkException(-err.Error, operation, err.Message, err.Offset);
                }
                handler(m);
                if (!expectDone && !wantAck) return;
            }
        }
    }

    /// <summary>Sends a batch as one datagram and waits for the kernel's verdict on every message in it.</summary>
    public BatchResult ExecuteBatch(NftBatch batch, BatchOptions options, CancellationToken cancellation = default)
    {
        int count = batch.Count;
        if (count == 0) return new BatchResult(new List<BatchError>(), new List<byte[]>());
        uint begin = _socket.ReserveSequences(count + 2);
        var writer = _batchWriter ??= new NetlinkWriter(64 * 1024);
        writer.Reset();
        batch.EncodeInto(writer, begin, options);
        _socket.Send(writer.WrittenSpan);
        if (writer.Capacity > KeptBatchBuffer) _batchWriter = null;

        // Acks come only for messages flagged ACK, errors always. The kernel processes the batch inside
        // sendmsg, so every reply is queued already; we asked for an ack on the last message (or on END
        // for check-only runs we ask for one on every message) to know when the answer is complete.
        var errors = new List<BatchError>();
        var echoes = new List<byte[]>();
        uint lastSeq = begin + (uint)count;
        bool finished = false;
        bool drained = false;
        while (!drained)
        {
            // Once the last message is answered, whatever else belongs to this batch (a commit failure is
            // reported against the first message) is already queued: read it without waiting.
            if (finished && !_socket.HasPendingData()) { drained = true; break; }
            var reader = new NetlinkMessageReader(_socket.Receive(cancellation));
            while (reader.TryRead(out var m))
            {
                if (m.PortId != 0 && m.PortId != _socket.PortId) continue;
                if (m.Type == NetlinkConstants.NLMSG_ERROR)
                {
                    var err = NetlinkError.Parse(m);
                    if (err.Sequence < begin || err.Sequence > begin + count + 1) continue;
                    if (err.Error != 0)
                    {
                        int index = (int)(err.Sequence - begin) - 1; // -1: BEGIN itself, count: END
                        errors.Add(new BatchError(index, -err.Error, err.Message, err.Offset,
                            index >= 0 && index < count ? batch[index] : null));
                        if (err.Sequence == begin) finished = true; // the whole batch was refused up front
                    }
                    if (err.Sequence == lastSeq) finished = true;
                }
                else if (m.Sequence >= begin && m.Sequence <= begin + count && m.IsNfTables && options.Echo)
                {
                    echoes.Add(m.Whole.ToArray());
                }
            }
        }
        if (options.Echo && errors.Count == 0 && !options.CheckOnly) DrainEchoes(begin, count, echoes, cancellation);
        return new BatchResult(errors, echoes, begin);
    }

    // Echoed objects are unicast after the commit, followed by NEWGEN; collect until that NEWGEN. A batch that changed
    // nothing (say, adding a table that exists) is not committed at all: no echo and no NEWGEN ever come. The kernel
    // commits before it acks, so when every ack is in and not one echo came, there is nothing to wait for.
    private void DrainEchoes(uint begin, int count, List<byte[]> echoes, CancellationToken cancellation)
    {
        if (echoes.Count == 0) return;
        if (echoes.Any(e => (e[4] | e[5] << 8) == WireType(NfTablesMessageType.NewGen))) return;
        while (true)
        {
            var reader = new NetlinkMessageReader(_socket.Receive(cancellation));
            while (reader.TryRead(out var m))
            {
                if (!m.IsNfTables) continue;
                if (m.NfTablesType == (int)NfTablesMessageType.NewGen) return;
                if (m.Sequence >= begin && m.Sequence <= begin + count) echoes.Add(m.Whole.ToArray());
            }
        }
    }

    NftRuleset INftBackend.ReadSnapshot(RulesetQuery? query, CancellationToken cancellation) =>
        new RulesetReader(this).Read(query, cancellation);

    CommitResult INftBackend.Commit(NftTransaction transaction, CommitOptions? options, CancellationToken cancellation) =>
        NetlinkCommit.Commit(this, transaction, options, cancellation);

    IReadOnlyList<NftObjectBase> INftBackend.Reset(Operations.ResetOperation operation, CancellationToken cancellation) =>
        NetlinkReset.Reset(this, operation, cancellation);

    IDisposable INftBackend.Subscribe(Action<NftRulesetEvent> onEvent, Action<Exception>? onError) =>
        NetlinkEvents.Start(NetworkNamespace, onEvent, onError);

    public void Dispose() => _socket.Dispose();
}
