using NftPS.NfTables.Backend;
using NftPS.NfTables.Model;

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

/// <summary>Transactions over one ruleset store: <see cref="Begin"/> reads the generation, <see cref="Commit"/> applies
/// the queued operations checked against it (the store maps its answer back to the operations).</summary>
internal sealed class NftSession
{
    private readonly INftBackend _backend;

    public NftSession(INftBackend backend) => _backend = backend;

    public NftTransaction Begin(CancellationToken cancellation = default) => new(_backend.GetGeneration(cancellation));

    public CommitResult Commit(NftTransaction transaction, CommitOptions? options = null, CancellationToken cancellation = default) =>
        _backend.Commit(transaction, options, cancellation);
}
