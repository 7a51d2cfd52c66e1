using NftPS.Netlink;
using NftPS.NfTables.Model;
using NftPS.NfTables.Reading;

namespace NftPS.NfTables.Transactions;

internal sealed record CommitOptions
{
    /// <summary>Send the batch without BATCH_END: the kernel validates everything and applies nothing (nft -c).</summary>
    public bool CheckOnly { get; init; }
    /// <summary>Ask the kernel to echo created objects back, so their handles are known.</summary>
    public bool Echo { get; init; }
}

/// <summary>An object the kernel created, echoed back after the commit, and the operation that created it.</summary>
internal sealed record CreatedObject(int OperationIndex, BatchOperation Operation, NftObjectBase Object);

internal sealed record CommitResult(int OperationCount, bool CheckedOnly, IReadOnlyList<CreatedObject> Created);

/// <summary>Transactions over one nf_tables connection: <see cref="Begin"/> reads the generation, <see cref="Commit"/>
/// sends the queued batch checked against it and maps the kernel's answer back to the operations.</summary>
internal sealed class NftSession
{
    private readonly NfTablesConnection _connection;

    public NftSession(NfTablesConnection connection) => _connection = connection;

    public NftTransaction Begin(CancellationToken cancellation = default) => new(_connection.GetGeneration(cancellation));

    public CommitResult Commit(NftTransaction transaction, CommitOptions? options = null, CancellationToken cancellation = default)
    {
        options ??= new CommitOptions();
        var batch = transaction.Batch;
        if (batch.Count == 0) return new CommitResult(0, options.CheckOnly, Array.Empty<CreatedObject>());
        bool echo = options.Echo && !options.CheckOnly;
        var result = _connection.ExecuteBatch(batch,
            new BatchOptions { CheckOnly = options.CheckOnly, GenerationId = transaction.Generation, Echo = echo }, cancellation);

        if (!result.Succeeded)
        {
            if (result.Errors.Any(e => e.Index < 0 && e.Errno == Errors.ERESTART))
            {
                uint? now = null;
                try { now = _connection.GetGeneration(cancellation); } catch (NetlinkException) { }
                throw new NftConflictException(transaction.Generation, now, _connection.NetworkNamespace);
            }
            var failures = result.Errors
                .OrderBy(e => e.Index)
                .Select(e => new NftOperationFailure(e.Index + 1, e.Errno, e.KernelMessage, e.Offset, e.Operation,
                    transaction.TargetOf(e.Operation)))
                .ToList();
            throw new NftTransactionException(failures, batch.Count, options.CheckOnly);
        }
        IReadOnlyList<CreatedObject> created = echo ? DecodeEchoes(result.Echoes, batch, result.FirstSequence) : Array.Empty<CreatedObject>();
        return new CommitResult(batch.Count, options.CheckOnly, created);
    }

    private List<CreatedObject> DecodeEchoes(IReadOnlyList<byte[]> echoes, NftBatch batch, uint begin)
    {
        var created = new List<CreatedObject>();
        string host = NftObjectBase.LocalHostName;
        foreach (var bytes in echoes)
        {
            var m = new NetlinkMessage(bytes);
            int index = (int)unchecked(m.Sequence - begin) - 1;
            if (index < 0 || index >= batch.Count) continue;
            var op = batch[index];
            NftObjectBase? o = (NfTablesMessageType)m.NfTablesType switch
            {
                NfTablesMessageType.NewTable when op.Type == NfTablesMessageType.NewTable => NftMessageDecoder.DecodeTable(m),
                NfTablesMessageType.NewChain when op.Type == NfTablesMessageType.NewChain => NftMessageDecoder.DecodeChain(m),
                NfTablesMessageType.NewRule when op.Type == NfTablesMessageType.NewRule => NftMessageDecoder.DecodeRule(m),
                NfTablesMessageType.NewSet when op.Type == NfTablesMessageType.NewSet => NftMessageDecoder.DecodeSet(m),
                NfTablesMessageType.NewObject when op.Type == NfTablesMessageType.NewObject => NftMessageDecoder.DecodeObject(m),
                _ => null,
            };
            if (o is null) continue;
            o.Host = host;
            o.NetworkNamespace = _connection.NetworkNamespace;
            created.Add(new CreatedObject(index, op, o));
        }
        return created;
    }
}
