namespace NftPS.NfTables.Transactions;

/// <summary>Changes queued for one atomic commit, tied to the ruleset generation read when it began: the commit
/// asks the kernel to refuse the batch (ERESTART) if anyone else committed in between.</summary>
internal sealed class NftTransaction
{
    private readonly Dictionary<BatchOperation, object?> _targets = new(ReferenceEqualityComparer.Instance);

    public NftTransaction(uint generation) => Generation = generation;

    /// <summary>The generation the transaction's reads and checks were made against (0: no check).</summary>
    public uint Generation { get; }

    public NftBatch Batch { get; } = new();

    public int Count => Batch.Count;

    /// <summary>The typed operations, in order: what a store that keeps no bytes applies.</summary>
    internal IEnumerable<NftPS.NfTables.Operations.NftOperation> Operations => Batch.TypedOperations;

    /// <summary>Moves the operations of <paramref name="staged"/> (built on a scratch batch, e.g. to show them for
    /// -WhatIf first) onto this transaction, remembering <paramref name="target"/> as what each one acts on.</summary>
    public IReadOnlyList<BatchOperation> Append(NftBatch staged, object? target)
    {
        var added = new List<BatchOperation>(staged.Count);
        foreach (var op in staged.Operations)
        {
            var moved = Batch.Add(op.Operation, op.LocateRefusal);
            _targets[moved] = target;
            added.Add(moved);
        }
        return added;
    }

    /// <summary>What the user asked to act on when <paramref name="operation"/> was queued (for error records).</summary>
    public object? TargetOf(BatchOperation? operation) =>
        operation is not null && _targets.TryGetValue(operation, out var t) ? t : null;

    public int IndexOf(BatchOperation operation)
    {
        for (int i = 0; i < Batch.Count; i++)
            if (ReferenceEquals(Batch[i], operation)) return i;
        return -1;
    }

    /// <summary>The transaction as nft commands, one per line.</summary>
    public override string ToString() => Batch.ToString();
}
