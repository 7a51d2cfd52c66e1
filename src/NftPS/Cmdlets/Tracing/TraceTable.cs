using System.Security.Cryptography;
using NftPS.Cmdlets.Changes;
using NftPS.NfTables;
using NftPS.NfTables.Backend;
using NftPS.NfTables.Model;
using NftPS.NfTables.Transactions;
using NftPS.NfTables.Writing;

namespace NftPS.Cmdlets.Tracing;

/// <summary>The temporary table Trace-NftPacket owns: `table FAMILY nftps_trace_RANDOM { flags owner; }` with two base
/// chains hooked before everything else (prerouting and output at priority raw - 1, so packets from this host are
/// traced too) holding one rule each, `MATCH meta nftrace set 1`. The owner flag binds the table to the netlink socket
/// that created it: if the process dies (kill -9) the kernel deletes the table when the socket closes, and no other
/// process can change it meanwhile.</summary>
internal sealed class TraceTable
{
    public const string Prefix = "nftps_trace_";
    private const uint OwnerFlag = 2; // NFT_TABLE_F_OWNER
    private const int RawPriority = -300;

    private TraceTable(NftFamily family, string name) => (Family, Name) = (family, name);

    public NftFamily Family { get; }
    public string Name { get; }

    /// <summary>Compiles the match (built from parameters, never from text) and creates the table in one commit.</summary>
    public static TraceTable Create(INftBackend backend, NftFamily family, RuleTreeBuilder match, CancellationToken cancellation)
    {
        var table = new TraceTable(family, Prefix + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant());
        var tx = new NftTransaction(0);
        var scope = new ChangeScope(backend.NetworkNamespace, tx, ambient: false);
        tx.Batch.AddTable(family, table.Name, OwnerFlag, "Trace-NftPacket: removed when the command ends");
        foreach (string hook in new[] { "prerouting", "output" })
        {
            uint number = NftHooks.HookNumber(family, hook) ?? throw new ArgumentException($"The {family.ToKeyword()} family has no {hook} hook to trace at.");
            tx.Batch.AddChain(family, table.Name, hook, new ChainHookSpec("filter", number, RawPriority - 1), "accept");
            LanguageAdapter.QueueRule(tx.Batch, scope, (_, _) => null, family, table.Name, hook, match.Build(), RulePlacement.Append, null, null);
        }
        backend.Commit(tx, null, cancellation);
        return table;
    }

    /// <summary>Deletes the table; over the same cached connection, the socket that owns it.</summary>
    public void Remove(INftBackend backend)
    {
        var tx = new NftTransaction(0);
        tx.Batch.DeleteTable(Family, Name, destroy: true);
        backend.Commit(tx, null, CancellationToken.None);
    }

    public bool Owns(NfTables.Trace.NftTraceStep step) => step.Family == Family && step.Table == Name;
}
