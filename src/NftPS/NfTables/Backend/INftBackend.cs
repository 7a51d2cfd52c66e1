using NftPS.NfTables.Model;
using NftPS.NfTables.Operations;
using NftPS.NfTables.Reading;
using NftPS.NfTables.Transactions;

namespace NftPS.NfTables.Backend;

/// <summary>What NftPS needs from a ruleset store, and nothing of how it is kept: read a consistent snapshot (model
/// objects, with the generation they were read at), commit typed operations all together or not at all, and hear
/// about changes. The netlink connection is one implementation (namespace entry stays inside it); an in-memory store
/// can be another, since operations carry typed objects (<see cref="NftTransaction.Operations"/>) and snapshots are
/// model objects: nothing here is bytes.</summary>
internal interface INftBackend : IDisposable
{
    /// <summary>The network namespace the store is (null: the caller's own); stamped on the objects read.</summary>
    string? NetworkNamespace { get; }

    /// <summary>The ruleset generation: bumped by every commit, so a transaction can ask to apply only if nothing
    /// changed since it began.</summary>
    uint GetGeneration(CancellationToken cancellation = default);

    /// <summary>The ruleset (or the part <paramref name="query"/> asks for) as it was at one generation
    /// (<see cref="NftRuleset.Generation"/>).</summary>
    NftRuleset ReadSnapshot(RulesetQuery? query = null, CancellationToken cancellation = default);

    /// <summary>Applies the transaction's operations atomically. Throws <see cref="NftConflictException"/> when the
    /// ruleset is no longer at <see cref="NftTransaction.Generation"/> (non-zero), <see cref="NftTransactionException"/>
    /// naming the refused operations otherwise; either way nothing was applied. With
    /// <see cref="CommitOptions.CheckOnly"/> everything is checked and nothing applied; with
    /// <see cref="CommitOptions.Echo"/> the created objects come back with their handles.</summary>
    CommitResult Commit(NftTransaction transaction, CommitOptions? options = null, CancellationToken cancellation = default);

    /// <summary>Zeroes what <paramref name="operation"/> names, at once and outside any transaction (the kernel has no
    /// reset in a batch), and returns the objects as they were just before: the named counter or quota
    /// (<see cref="NftNamedObject"/>), or the rule with its counters (<see cref="NftRule"/>). Throws the kernel's error
    /// (not found, ...) when it refuses; nothing was reset then.</summary>
    IReadOnlyList<NftObjectBase> Reset(ResetOperation operation, CancellationToken cancellation = default);

    /// <summary>Calls <paramref name="onEvent"/> for every change anyone commits to the store from now on, until the
    /// returned handle is disposed. <paramref name="onError"/> hears why the subscription stopped, if it did.</summary>
    IDisposable Subscribe(Action<NftRulesetEvent> onEvent, Action<Exception>? onError = null);
}

/// <summary>A change notification.</summary>
internal abstract record NftRulesetEvent;

/// <summary>An object was added (<see cref="NftVerb.Add"/>) or deleted (<see cref="NftVerb.Delete"/>). Elements are
/// reported by table and set (<see cref="Name"/>) only.</summary>
internal sealed record NftObjectChanged(NftVerb Verb, NftObjectKind Kind, NftFamily Family, string? Table, string? Name,
    NftObjectBase? Object) : NftRulesetEvent
{
    /// <summary>For elements: the message's attributes (NFTA_SET_ELEM_LIST_*), decodable with the set's key type.</summary>
    public byte[]? ElementAttributes { get; init; }
}

/// <summary>A commit ended: the ruleset is now at <paramref name="Generation"/>, changed by the process named.</summary>
internal sealed record NftGenerationChanged(uint Generation, uint? ProcessId, string? ProcessName) : NftRulesetEvent;
