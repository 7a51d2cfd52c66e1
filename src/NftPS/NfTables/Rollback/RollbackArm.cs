using NftPS.NfTables.Backend;
using NftPS.NfTables.Model;
using NftPS.NfTables.Reading;
using NftPS.NfTables.Transactions;

namespace NftPS.NfTables.Rollback;

/// <summary>What -ConfirmWithin asks for. <see cref="Agent"/> null starts no agent: the caller runs
/// <see cref="PendingChanges.RunAgent"/> itself (the core's tests do, in-process).</summary>
public sealed record ConfirmOptions(TimeSpan Within, AgentProgram? Agent)
{
    /// <summary>Keep the elements dynamic sets (bans, meters) hold at rollback time rather than the snapshot's.</summary>
    public bool PreserveDynamicSets { get; init; } = true;
    public string StoreRoot { get; init; } = PendingChangeStore.DefaultRoot;
}

/// <summary>Arms a rollback around one commit. <see cref="Prepare"/> runs before the commit: it snapshots only the
/// tables the transaction touches, encodes the batch that puts them back, writes it with the state under /run, pins the
/// namespace and starts the agent — all before anything is applied, so a caller killed between the commit and the
/// return still has its rollback. The commit is checked against the transaction's generation, so if the snapshot was
/// read at that generation nothing slipped in between. <see cref="Complete"/> then records the state after the
/// change; <see cref="Cancel"/> undoes the arming when the commit was refused.</summary>
internal sealed class RollbackArm
{
    private readonly PendingChangeStore _store;
    private readonly PendingChangeState _state;

    private RollbackArm(PendingChangeStore store, PendingChangeState state)
    {
        _store = store;
        _state = state;
    }

    public string Id => _state.Id;

    /// <summary>Null when the transaction touches no table (nothing to roll back).</summary>
    public static RollbackArm? Prepare(INftBackend backend, NftTransaction transaction, ConfirmOptions options, CancellationToken cancellation = default)
    {
        if (options.Within <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(options), "The confirmation window must be longer than zero.");
        var scope = RollbackScope.Of(transaction.Operations, RollbackScope.ExistingTables(backend, cancellation));
        if (scope.Count == 0) return null;
        var scoped = RollbackScope.Read(backend, scope, includeElements: true, cancellation);
        var full = scoped;
        var messages = RestoreBatchBuilder.Encode(scoped, scope, options.PreserveDynamicSets);

        var store = new PendingChangeStore(options.StoreRoot);
        store.PruneOutcomes();
        var now = DateTime.UtcNow;
        var state = new PendingChangeState
        {
            Id = PendingChangeStore.NewId(),
            Status = PendingChangeStatus.Pending,
            CreatedUtc = now,
            DeadlineUtc = now + options.Within,
            NetworkNamespace = backend.NetworkNamespace,
            Tables = scope.Select(t => new ScopedTableState { Family = t.Family, Name = t.Name }).ToList(),
            GenerationBefore = full.Generation,
            GenerationAfter = full.Generation,
            FingerprintAfter = RollbackScope.Fingerprint(scoped),
            PreserveDynamicSets = options.PreserveDynamicSets,
            Core = SegmentState.Of(messages.Core),
            DynamicSets = messages.DynamicSets.Select(d => new DynamicSetState
            {
                Family = d.Family, Table = d.Table, Set = d.Set, Elements = SegmentState.Of(d.Elements),
            }).ToList(),
        };
        store.Create(state.Id, messages.Bytes);
        try
        {
            NamespacePin.Pin(state, store, backend.NetworkNamespace);
            store.Write(state);
            if (options.Agent is { } agent) AgentLauncher.Start(state, agent with { StoreRoot = options.StoreRoot });
            store.Write(state);
        }
        catch
        {
            AgentProcess.Stop(state);
            store.Remove(state.Id);
            throw;
        }
        return new RollbackArm(store, state);
    }

    /// <summary>The change is applied: record the generation and the scope's fingerprint after it.</summary>
    public PendingChangeState Complete(INftBackend backend, CancellationToken cancellation = default)
    {
        var scope = _state.Tables.Select(t => new ScopedTable(t.Family, t.Name)).ToList();
        var after = RollbackScope.Read(backend, scope, includeElements: false, cancellation);
        using var _ = _store.Lock();
        var current = _store.Read(_state.Id);
        if (current is null) return _state; // confirmed (or undone) already, from elsewhere
        current.GenerationAfter = after.Generation;
        current.FingerprintAfter = RollbackScope.Fingerprint(after);
        _store.Write(current);
        return current;
    }

    /// <summary>The commit was refused: nothing to roll back.</summary>
    public void Cancel()
    {
        using var _ = _store.Lock();
        AgentProcess.Stop(_state);
        _store.Remove(_state.Id);
    }
}
