namespace NftPS.NfTables.Rollback;

/// <summary>What became of a confirmation or an undo.</summary>
public enum PendingChangeResult
{
    /// <summary>Done: the change is confirmed, or rolled back now.</summary>
    Done,
    /// <summary>The window had closed: the change was already rolled back (or its rollback failed).</summary>
    TooLate,
    /// <summary>No pending change, and no record of one, has this id.</summary>
    NotFound,
}

/// <summary>The operations on pending changes that any process may run (the one that made the change, another
/// session, the agent): each under the store's lock, so exactly one of confirm, undo and the deadline's rollback
/// wins.</summary>
internal static class PendingChanges
{
    /// <summary>Keeps the change: marks it confirmed, stops the agent, removes the state.</summary>
    public static (PendingChangeResult Result, PendingChangeState? State) Confirm(PendingChangeStore store, string id)
    {
        using var _ = store.Lock();
        var state = store.Read(id);
        if (state is null || state.Status != PendingChangeStatus.Pending) return Gone(store, id, state);
        if (DateTime.UtcNow >= state.DeadlineUtc)
        {
            // The window has closed even if the agent has not acted yet (it may still be starting, or be gone): a late
            // confirmation keeps nothing. Roll back now, as the agent would, so the answer does not depend on a race.
            AgentProcess.Stop(state);
            RollBack(store, state, "agent");
            return (PendingChangeResult.TooLate, state);
        }
        state.Status = PendingChangeStatus.Confirmed;
        store.Write(state);
        AgentProcess.Stop(state);
        store.Remove(id);
        return (PendingChangeResult.Done, state);
    }

    /// <summary>Rolls the change back now and stops the agent.</summary>
    public static (PendingChangeResult Result, PendingChangeState? State) Undo(PendingChangeStore store, string id)
    {
        using var _ = store.Lock();
        var state = store.Read(id);
        if (state is null || state.Status != PendingChangeStatus.Pending) return Gone(store, id, state);
        AgentProcess.Stop(state);
        RollBack(store, state, "undo");
        return (PendingChangeResult.Done, state);
    }

    private static (PendingChangeResult, PendingChangeState?) Gone(PendingChangeStore store, string id, PendingChangeState? state)
    {
        if (state is not null) return (PendingChangeResult.TooLate, state);
        return store.ReadOutcome(id) is { } outcome ? (PendingChangeResult.TooLate, outcome) : (PendingChangeResult.NotFound, null);
    }

    /// <summary>Restores the scope (caller holds the lock), records the outcome and removes the pending state.</summary>
    public static void RollBack(PendingChangeStore store, PendingChangeState state, string by)
    {
        RollbackOutcome outcome;
        try
        {
            outcome = RollbackReplay.Restore(state, store.ReadRestore(state.Id), by);
        }
        catch (Exception ex)
        {
            outcome = new RollbackOutcome { AtUtc = DateTime.UtcNow, By = by, Error = ex.Message };
        }
        state.Outcome = outcome;
        state.Status = outcome.Error is not null ? PendingChangeStatus.Failed
            : by == "undo" ? PendingChangeStatus.Undone : PendingChangeStatus.RolledBack;
        store.Finish(state);
    }

    /// <summary>The agent: waits for the deadline, then rolls back unless the change was confirmed (or undone) —
    /// which it sees as the state gone or no longer pending. Returns the process exit code.</summary>
    public static int RunAgent(PendingChangeStore store, string id)
    {
        while (true)
        {
            var state = store.Read(id);
            if (state is null || state.Status != PendingChangeStatus.Pending) return 0;
            var left = state.DeadlineUtc - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) break;
            Thread.Sleep(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }
        using var _ = store.Lock(TimeSpan.FromSeconds(60));
        var pending = store.Read(id);
        if (pending is null || pending.Status != PendingChangeStatus.Pending) return 0;
        RollBack(store, pending, "agent");
        return pending.Status == PendingChangeStatus.RolledBack ? 0 : 1;
    }
}
