using NftPS.Language.Evaluate;
using NftPS.NfTables;
using NftPS.NfTables.Model;
using NftPS.NfTables.Transactions;

namespace NftPS.Cmdlets.Changes;

/// <summary>What a created object is, so -PassThru can find it in the ruleset after the commit.</summary>
internal enum CreatedKind { Table, Chain, Rule, Set, Object }

/// <summary>An operation whose created object a cmdlet asked to get back (-PassThru).</summary>
internal sealed record PassThruRequest(BatchOperation Operation, CreatedKind Kind, NftFamily Family, string Table, string Name);

/// <summary>The cmdlet side of one transaction: the core <see cref="NftTransaction"/> plus what the language layer
/// needs while queueing (batch-local ids, the sets created or deleted so far) and what to give back afterwards.
/// Either one cmdlet invocation owns it, or Invoke-NftTransaction does and every change cmdlet in its block joins.</summary>
internal sealed class ChangeScope
{
    private readonly Dictionary<(NftFamily, string), NftRuleset> _kernelSets = new();
    private string? _namespaceKey;

    public ChangeScope(string? networkNamespace, NftTransaction transaction, bool ambient)
    {
        NetworkNamespace = networkNamespace;
        Transaction = transaction;
        IsAmbient = ambient;
    }

    public string? NetworkNamespace { get; }

    /// <summary>Rules queued in this transaction so far (as the lockout guard reads them): an accept queued earlier
    /// for the same chain shields a drop appended after it, as when a whole chain is copied in one pipeline.</summary>
    public List<NftRule> QueuedRules { get; } = new();
    public NftTransaction Transaction { get; }
    public bool IsAmbient { get; }
    /// <summary>Invoke-NftTransaction -WhatIf: cmdlets queue without asking, the whole batch is shown at the end.</summary>
    public bool WhatIf { get; init; }
    public BatchIds Ids { get; } = new();
    public Dictionary<(NftFamily, string, string), SetDescriptor> NewSets { get; } = new();
    public HashSet<(NftFamily, string, string)> DeletedSets { get; } = new();
    public List<PassThruRequest> PassThru { get; } = new();
    /// <summary>-ConfirmWithin: the commit arms a rollback of the tables it touches, undone unless confirmed in time.</summary>
    public TimeSpan? ConfirmWithin { get; set; }
    /// <summary>The first error a change cmdlet reported inside the transaction: it must not commit then.</summary>
    public string? Doomed { get; set; }

    /// <summary>A named set visible at this point of the transaction: created in it, else in the kernel.</summary>
    public SetDescriptor? FindSet(NftFamily family, string table, string name, Func<NftFamily, string, NftRuleset?> readSets)
    {
        var key = (family, table, name);
        if (NewSets.TryGetValue(key, out var created)) return created;
        if (DeletedSets.Contains(key)) return null;
        if (!_kernelSets.TryGetValue((family, table), out var rs))
        {
            _namespaceKey ??= NamespaceKey.Of(NetworkNamespace);
            rs = KernelSetCache.Find(_namespaceKey, Transaction.Generation, family, table);
            if (rs is null)
            {
                // Read failures return null and leave their error written: not something to remember.
                var read = readSets(family, table);
                if (read is not null) KernelSetCache.Store(_namespaceKey, Transaction.Generation, family, table, read);
                rs = read ?? new NftRuleset();
            }
            _kernelSets[(family, table)] = rs;
        }
        var set = rs.FindSet(family, table, name);
        return set is null || set.IsAnonymous ? null : Descriptors.GetValue(set, LanguageAdapter.Describe);
    }

    /// <summary>The kernel's set behind <see cref="FindSet"/> (its types, for printing elements as nft does); null for
    /// a set created or deleted in this transaction, or not read yet.</summary>
    public (NftSet Set, NftRuleset Ruleset)? FindKernelSet(NftFamily family, string table, string name)
    {
        var key = (family, table, name);
        if (NewSets.ContainsKey(key) || DeletedSets.Contains(key) || !_kernelSets.TryGetValue((family, table), out var rs)) return null;
        return rs.FindSet(family, table, name) is { IsAnonymous: false } set ? (set, rs) : null;
    }

    // What the compiler knows of a kernel set, worked out once per set object read: those objects stay in
    // KernelSetCache across calls, and describing one re-parses its type text.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<NftSet, SetDescriptor> Descriptors = new();
}
