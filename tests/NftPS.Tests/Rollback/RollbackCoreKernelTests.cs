using NftPS.NfTables;
using NftPS.NfTables.Backend;
using NftPS.NfTables.Model;
using NftPS.NfTables.Rollback;
using NftPS.NfTables.Transactions;
using NftPS.NfTables.Writing;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Rollback;

/// <summary>The rollback core without an agent process: arm around a commit, then run the agent's own code in-process
/// (its deadline already past) or undo, and compare nft's listing of the scope with the one before the change.</summary>
public sealed class RollbackCoreKernelTests : IClassFixture<PrivateNetworkNamespace>, IDisposable
{
    private readonly PrivateNetworkNamespace _ns;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "nftps-rollback-" + Guid.NewGuid().ToString("N")[..8]);

    public RollbackCoreKernelTests(PrivateNetworkNamespace ns) => _ns = ns;

    public void Dispose()
    {
        var store = new PendingChangeStore(_root);
        foreach (var s in store.List()) store.Remove(s.Id);
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private const string Rich = """
        table inet guard {
            comment "the firewall"
            counter seen { packets 5 bytes 300; }
            quota q { over 10 mbytes; }
            set allow { type ipv4_addr; flags interval; elements = { 10.0.0.0/8, 192.168.1.7 comment "gw" } }
            map ports { type inet_service : verdict; elements = { 22 : accept, 80 : jump web } }
            set bans { type ipv4_addr; flags dynamic, timeout; timeout 1h; }
            chain web { counter accept; }
            chain input {
                type filter hook input priority filter; policy accept;
                iif "lo" accept comment "loopback"
                ip saddr @allow tcp dport { 22, 443 } accept
                ip saddr @bans drop
                tcp dport vmap @ports
                counter name "seen"
            }
        }
        table ip other { chain c { }; }
        """;

    private (NfTablesConnection Connection, INftBackend Backend) Open()
    {
        var c = NfTablesConnection.Open(_ns.Name);
        return (c, c);
    }

    private string List(string family, string table) => _ns.Nft("list", "table", family, table).EnsureSuccess("nft list table").StdOut;

    private PendingChangeState ApplyLockout(INftBackend backend, TimeSpan within, Action<NftBatch>? more = null)
    {
        var tx = new NftTransaction(backend.GetGeneration());
        tx.Batch.SetChainPolicy(NftFamily.Inet, "guard", "input", "drop");
        tx.Batch.FlushChain(NftFamily.Inet, "guard", "input");
        more?.Invoke(tx.Batch);
        var arm = RollbackArm.Prepare(backend, tx, new ConfirmOptions(within, null) { StoreRoot = _root })!;
        backend.Commit(tx);
        return arm.Complete(backend);
    }

    [KernelFact]
    public void TheAgentRestoresTheScopeByteForByteAndKeepsOtherTables()
    {
        _ns.Require();
        _ns.Flush();
        _ns.NftLoad(Rich).EnsureSuccess("load");
        string before = List("inet", "guard");
        var (connection, backend) = Open();
        using var _ = connection;
        var state = ApplyLockout(backend, TimeSpan.FromMilliseconds(1));
        Assert.Equal(["inet guard"], state.Tables.Select(t => $"{t.Family.ToKeyword()} {t.Name}"));
        Assert.NotEqual(before, List("inet", "guard"));
        _ns.Nft("add", "chain", "ip", "other", "added_meanwhile").EnsureSuccess("change outside the scope");

        int exit = PendingChanges.RunAgent(new PendingChangeStore(_root), state.Id);
        Assert.True(exit == 0, new PendingChangeStore(_root).ReadOutcome(state.Id)?.Outcome?.Error);

        Assert.Equal(before, List("inet", "guard"));
        Assert.Contains("added_meanwhile", List("ip", "other"));
        var outcome = new PendingChangeStore(_root).ReadOutcome(state.Id)!;
        Assert.Equal(PendingChangeStatus.RolledBack, outcome.Status);
        Assert.False(outcome.Outcome!.Drift);
        Assert.Empty(new PendingChangeStore(_root).List());
    }

    [KernelFact]
    public void DynamicSetElementsAddedDuringTheWindowSurviveTheRollback()
    {
        _ns.Require();
        _ns.Flush();
        _ns.NftLoad(Rich).EnsureSuccess("load");
        var (connection, backend) = Open();
        using var _ = connection;
        var state = ApplyLockout(backend, TimeSpan.FromMinutes(5));
        _ns.Nft("add", "element", "inet", "guard", "bans", "{ 203.0.113.9 }").EnsureSuccess("a ban during the window");

        var (result, done) = PendingChanges.Undo(new PendingChangeStore(_root), state.Id);

        Assert.Equal(PendingChangeResult.Done, result);
        Assert.Equal(PendingChangeStatus.Undone, done!.Status);
        Assert.Equal(["inet guard bans"], done.Outcome!.PreservedSets);
        Assert.Contains("203.0.113.9", List("inet", "guard"));
        Assert.Contains("policy accept", List("inet", "guard"));
    }

    [KernelFact]
    public void WithoutPreservationTheSnapshotElementsComeBack()
    {
        _ns.Require();
        _ns.Flush();
        _ns.NftLoad(Rich).EnsureSuccess("load");
        var (connection, backend) = Open();
        using var _ = connection;
        var tx = new NftTransaction(backend.GetGeneration());
        tx.Batch.SetChainPolicy(NftFamily.Inet, "guard", "input", "drop");
        var arm = RollbackArm.Prepare(backend, tx, new ConfirmOptions(TimeSpan.FromMinutes(5), null) { StoreRoot = _root, PreserveDynamicSets = false })!;
        backend.Commit(tx);
        var state = arm.Complete(backend);
        _ns.Nft("add", "element", "inet", "guard", "bans", "{ 203.0.113.9 }").EnsureSuccess("a ban during the window");

        PendingChanges.Undo(new PendingChangeStore(_root), state.Id);

        Assert.DoesNotContain("203.0.113.9", List("inet", "guard"));
    }

    [KernelFact]
    public void ATableTheChangeCreatedIsDeletedAndDriftIsRecorded()
    {
        _ns.Require();
        _ns.Flush();
        _ns.NftLoad(Rich).EnsureSuccess("load");
        string before = List("inet", "guard");
        var (connection, backend) = Open();
        using var _ = connection;
        var state = ApplyLockout(backend, TimeSpan.FromMilliseconds(1), b => b.AddTable(NftFamily.Inet, "brand_new"));
        _ns.Nft("add", "rule", "inet", "guard", "web", "drop").EnsureSuccess("someone else changes the scope");

        PendingChanges.RunAgent(new PendingChangeStore(_root), state.Id);

        Assert.Equal(before, List("inet", "guard"));
        Assert.NotEqual(0, _ns.Nft("list", "table", "inet", "brand_new").ExitCode);
        var outcome = new PendingChangeStore(_root).ReadOutcome(state.Id)!;
        Assert.True(outcome.Outcome!.Drift, "someone else's change inside the scope is drift");
        Assert.Contains("changed by someone else", outcome.Outcome.DriftDetail);
    }

    [KernelFact]
    public void ConfirmingKeepsTheChangeAndAConfirmationAfterTheRollbackIsTooLate()
    {
        _ns.Require();
        _ns.Flush();
        _ns.NftLoad(Rich).EnsureSuccess("load");
        var (connection, backend) = Open();
        using var _ = connection;
        var store = new PendingChangeStore(_root);
        var kept = ApplyLockout(backend, TimeSpan.FromMinutes(5));
        Assert.Equal(PendingChangeResult.Done, PendingChanges.Confirm(store, kept.Id).Result);
        Assert.Contains("policy drop", List("inet", "guard"));
        Assert.Equal(0, PendingChanges.RunAgent(store, kept.Id));
        Assert.Contains("policy drop", List("inet", "guard"));

        var late = ApplyLockout(backend, TimeSpan.FromMilliseconds(1));
        PendingChanges.RunAgent(store, late.Id);
        var (result, outcome) = PendingChanges.Confirm(store, late.Id);
        Assert.Equal(PendingChangeResult.TooLate, result);
        Assert.Equal(PendingChangeStatus.RolledBack, outcome!.Status);
        Assert.Equal(PendingChangeResult.NotFound, PendingChanges.Confirm(store, "0123456789abcdef").Result);
    }

    [KernelFact]
    public void AConfirmationAfterTheDeadlineIsTooLateEvenBeforeTheAgentActed()
    {
        _ns.Require();
        _ns.Flush();
        _ns.NftLoad(Rich).EnsureSuccess("load");
        string before = List("inet", "guard");
        var (connection, backend) = Open();
        using var _ = connection;
        var store = new PendingChangeStore(_root);
        var late = ApplyLockout(backend, TimeSpan.FromMilliseconds(1));
        Thread.Sleep(20);
        // No agent ran (none was started here): the window closed all the same, so nothing is kept.
        var (result, state) = PendingChanges.Confirm(store, late.Id);
        Assert.Equal(PendingChangeResult.TooLate, result);
        Assert.Equal(PendingChangeStatus.RolledBack, state!.Status);
        Assert.Equal(before, List("inet", "guard"));
        Assert.Equal(PendingChangeResult.TooLate, PendingChanges.Confirm(store, late.Id).Result);
    }

    [KernelFact]
    public void ANamespaceReplacedUnderTheSameNameIsNeverTouched()
    {
        _ns.Require();
        _ns.Flush();
        _ns.NftLoad(Rich).EnsureSuccess("load");
        var (connection, backend) = Open();
        using var _ = connection;
        var state = ApplyLockout(backend, TimeSpan.FromMilliseconds(1));
        var store = new PendingChangeStore(_root);
        var s = store.Read(state.Id)!;
        s.NamespaceInode++;
        store.Write(s);

        PendingChanges.RunAgent(store, state.Id);

        var outcome = store.ReadOutcome(state.Id)!;
        Assert.Equal(PendingChangeStatus.Failed, outcome.Status);
        Assert.Contains("another network namespace", outcome.Outcome!.Error);
        Assert.Contains("policy drop", List("inet", "guard"));
    }

    [Fact]
    public void IdsAreCheckedBeforeTheyNameAPath()
    {
        var store = new PendingChangeStore(_root);
        foreach (string bad in (string[])["../../etc", "0123456789ABCDEF", "", "0123456789abcde", "0123456789abcdef/"])
            Assert.Throws<ArgumentException>(() => store.DirectoryOf(bad));
        Assert.Matches("^[0-9a-f]{16}$", PendingChangeStore.NewId());
    }
}
