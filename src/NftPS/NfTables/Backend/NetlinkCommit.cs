using NftPS.Netlink;
using NftPS.NfTables.Model;
using NftPS.NfTables.Reading;
using NftPS.NfTables.Transactions;

namespace NftPS.NfTables.Backend;

/// <summary>The netlink side of a commit: encode the transaction's operations as one batch (checked against its
/// generation), send it, and map the kernel's answer back to the operations (errors, echoed handles).</summary>
internal static class NetlinkCommit
{
    public static CommitResult Commit(NfTablesConnection connection, NftTransaction transaction, CommitOptions? options,
        CancellationToken cancellation)
    {
        options ??= new CommitOptions();
        var batch = transaction.Batch;
        if (batch.Count == 0) return new CommitResult(0, options.CheckOnly, Array.Empty<CreatedObject>());
        bool echo = options.Echo && !options.CheckOnly;
        var result = connection.ExecuteBatch(batch,
            new BatchOptions { CheckOnly = options.CheckOnly, GenerationId = transaction.Generation, Echo = echo }, cancellation);

        if (!result.Succeeded)
        {
            if (result.Errors.Any(e => e.Index < 0 && e.Errno == Errors.ERESTART))
            {
                uint? now = null;
                try { now = connection.GetGeneration(cancellation); } catch (NetlinkException) { }
                throw new NftConflictException(transaction.Generation, now, connection.NetworkNamespace);
            }
            var failures = result.Errors
                .OrderBy(e => e.Index)
                .Select(e => new NftOperationFailure(e.Index + 1, e.Errno, e.KernelMessage, e.Offset, e.Operation,
                    transaction.TargetOf(e.Operation)))
                .ToList();
            throw new NftTransactionException(failures, batch.Count, options.CheckOnly);
        }
        IReadOnlyList<CreatedObject> created = echo
            ? DecodeEchoes(result.Echoes, batch, result.FirstSequence, connection.NetworkNamespace)
            : Array.Empty<CreatedObject>();
        return new CommitResult(batch.Count, options.CheckOnly, created);
    }

    private static List<CreatedObject> DecodeEchoes(IReadOnlyList<byte[]> echoes, NftBatch batch, uint begin, string? networkNamespace)
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
            o.NetworkNamespace = networkNamespace;
            created.Add(new CreatedObject(index, op, o));
        }
        return created;
    }
}
