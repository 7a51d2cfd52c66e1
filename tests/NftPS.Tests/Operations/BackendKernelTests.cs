using System.Collections.Concurrent;
using NftPS.NfTables;
using NftPS.NfTables.Backend;
using NftPS.NfTables.Operations;
using NftPS.NfTables.Transactions;
using NftPS.NfTables.Writing;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Operations;

/// <summary>Commits, snapshots and change events through <see cref="INftBackend"/>, over the netlink connection, in a
/// private network namespace.</summary>
public class BackendKernelTests : IClassFixture<PrivateNetworkNamespace>
{
    private readonly PrivateNetworkNamespace _ns;
    public BackendKernelTests(PrivateNetworkNamespace ns) => _ns = ns;

    private INftBackend Open()
    {
        _ns.Require();
        _ns.Flush();
        return NfTablesConnection.Open(_ns.Name);
    }

    private static NftTransaction Begin(INftBackend backend, Action<NftBatch> queue)
    {
        var tx = new NftSession(backend).Begin();
        queue(tx.Batch);
        return tx;
    }

    [KernelFact]
    public void A_snapshot_holds_model_objects_at_the_current_generation()
    {
        using var backend = Open();
        _ns.NftLoad("table inet snap {\n set s { type ipv4_addr; elements = { 10.0.0.1 } }\n chain c {\n tcp dport 22 accept\n }\n}\n").EnsureSuccess("load");
        var snapshot = backend.ReadSnapshot();
        Assert.Equal(backend.GetGeneration(), snapshot.Generation);
        Assert.Equal("snap", Assert.Single(snapshot.Tables).Name);
        Assert.Equal("c", Assert.Single(snapshot.Chains).Name);
        Assert.Single(snapshot.Rules);
        Assert.Equal("s", Assert.Single(snapshot.Sets).Name);
    }

    [KernelFact]
    public void Validate_only_checks_and_leaves_the_ruleset_unchanged()
    {
        using var backend = Open();
        uint before = backend.GetGeneration();
        var tx = Begin(backend, b => { b.AddTable(NftFamily.Inet, "checked"); b.AddChain(NftFamily.Inet, "checked", "c"); });
        var result = backend.Commit(tx, new CommitOptions { CheckOnly = true });
        Assert.True(result.CheckedOnly);
        Assert.Equal(2, result.OperationCount);
        Assert.Equal(before, backend.GetGeneration());
        Assert.Empty(backend.ReadSnapshot().Tables);

        // And a refusal is still reported when only checking.
        var bad = Begin(backend, b => b.AddChain(NftFamily.Inet, "missing", "c"));
        var e = Assert.Throws<NftTransactionException>(() => backend.Commit(bad, new CommitOptions { CheckOnly = true }));
        Assert.Contains("would refuse", e.Message);
    }

    [KernelFact]
    public void A_stale_generation_is_refused_with_the_conflict_exception()
    {
        using var backend = Open();
        var stale = Begin(backend, b => b.AddTable(NftFamily.Inet, "late"));
        backend.Commit(Begin(backend, b => b.AddTable(NftFamily.Inet, "first")));
        var e = Assert.Throws<NftConflictException>(() => backend.Commit(stale));
        Assert.Equal(stale.Generation, e.ExpectedGeneration);
        Assert.Equal(backend.GetGeneration(), e.CurrentGeneration);
        Assert.Equal(new[] { "first" }, backend.ReadSnapshot().Tables.Select(t => t.Name));
    }

    [KernelFact]
    public void A_kernel_error_names_the_operation_and_nothing_is_applied()
    {
        using var backend = Open();
        var tx = Begin(backend, b =>
        {
            b.AddTable(NftFamily.Inet, "ok");
            b.AddChain(NftFamily.Inet, "no such table", "c");
        });
        var e = Assert.Throws<NftTransactionException>(() => backend.Commit(tx));
        var failure = Assert.Single(e.Failures);
        Assert.Equal(2, failure.Number);
        Assert.Equal("add chain inet \"no such table\" c", failure.Operation!.Description);
        Assert.IsType<ChainOperation>(failure.Operation.Operation);
        Assert.Contains("add chain inet \"no such table\" c", e.Message);
        Assert.Empty(backend.ReadSnapshot().Tables);
    }

    [KernelFact]
    public void Created_objects_come_back_with_their_handles()
    {
        using var backend = Open();
        var tx = Begin(backend, b => { b.AddTable(NftFamily.Inet, "echo"); b.AddChain(NftFamily.Inet, "echo", "c"); });
        var result = backend.Commit(tx, new CommitOptions { Echo = true });
        var chain = Assert.Single(result.Created, c => c.Operation.Operation is ChainOperation);
        Assert.Equal(1, chain.OperationIndex);
        Assert.NotEqual(0UL, chain.Object.Handle);
        Assert.Equal(chain.Object.Handle, backend.ReadSnapshot().Chains.Single().Handle);
    }

    [KernelFact]
    public void Subscribers_hear_each_committed_change_and_the_generation_it_made()
    {
        using var backend = Open();
        var events = new BlockingCollection<NftRulesetEvent>();
        Exception? failed = null;
        using (backend.Subscribe(events.Add, e => failed = e))
        {
            backend.Commit(Begin(backend, b =>
            {
                b.AddTable(NftFamily.Inet, "ev");
                b.AddChain(NftFamily.Inet, "ev", "c");
            }));
            uint generation = backend.GetGeneration();
            // Someone else's change (nft itself) is heard too.
            _ns.Nft("delete", "chain", "inet", "ev", "c").EnsureSuccess("delete chain");

            var seen = new List<NftRulesetEvent>();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (seen.OfType<NftGenerationChanged>().Count() < 2 && events.TryTake(out var e, deadline - DateTime.UtcNow < TimeSpan.Zero ? TimeSpan.Zero : deadline - DateTime.UtcNow))
                seen.Add(e);
            Assert.Null(failed);
            Assert.Contains(new NftObjectChanged(NftVerb.Add, NftObjectKind.Table, NftFamily.Inet, "ev", "ev", null),
                seen.OfType<NftObjectChanged>().Select(c => c with { Object = null }));
            Assert.Contains(seen.OfType<NftObjectChanged>(), c => c is { Verb: NftVerb.Add, Kind: NftObjectKind.Chain, Name: "c" } && c.Object!.Handle != 0);
            Assert.Contains(seen.OfType<NftGenerationChanged>(), g => g.Generation == generation);
            Assert.Contains(seen.OfType<NftObjectChanged>(), c => c is { Verb: NftVerb.Delete, Kind: NftObjectKind.Chain, Table: "ev", Name: "c" });
        }
        // Disposed: no more events.
        int count = events.Count;
        backend.Commit(Begin(backend, b => b.AddTable(NftFamily.Inet, "after")));
        Thread.Sleep(300);
        Assert.Equal(count, events.Count);
    }

    [KernelFact]
    public void A_reset_returns_the_values_before_and_zeroes_them()
    {
        using var backend = Open();
        _ns.NftLoad("table inet r {\n counter hits { packets 5 bytes 50 }\n quota q { 100 bytes used 10 bytes }\n chain c {\n counter packets 7 bytes 70 accept\n }\n}\n").EnsureSuccess("load");
        uint generation = backend.GetGeneration();

        var counter = Assert.IsType<NftPS.NfTables.Model.NftNamedObject>(
            Assert.Single(backend.Reset(new ObjectResetOperation(NftFamily.Inet, "r", "hits", ObjectResetOperation.Counter))));
        Assert.Equal("hits", counter.Name);
        Assert.Equal((5UL, 50UL), (counter.Packets, counter.Bytes));
        var quota = Assert.IsType<NftPS.NfTables.Model.NftNamedObject>(
            Assert.Single(backend.Reset(new ObjectResetOperation(NftFamily.Inet, "r", "q", ObjectResetOperation.Quota))));
        Assert.Equal(("q", 10UL), (quota.Name, quota.Consumed));

        ulong handle = backend.ReadSnapshot().Rules.Single().Handle;
        var rule = Assert.IsType<NftPS.NfTables.Model.NftRule>(
            Assert.Single(backend.Reset(new RuleResetOperation(NftFamily.Inet, "r", "c", handle))));
        Assert.Equal(7UL, rule.Counter);
        Assert.Equal(_ns.Name, rule.NetworkNamespace);

        string listing = _ns.NftListRuleset();
        Assert.Contains("packets 0 bytes 0", listing);
        Assert.DoesNotContain("packets 5", listing);
        Assert.DoesNotContain("packets 7", listing);
        Assert.DoesNotContain("used 10 bytes", listing);
        // A reset is not a commit: the ruleset generation stays.
        Assert.Equal(generation, backend.GetGeneration());

        var missing = Assert.Throws<NftPS.Netlink.NetlinkException>(() =>
            backend.Reset(new ObjectResetOperation(NftFamily.Inet, "r", "nope", ObjectResetOperation.Counter)));
        Assert.Equal(NftPS.Netlink.Errors.ENOENT, missing.Errno);
        Assert.Contains("reset counter inet r nope", missing.Message);
    }

    [KernelFact]
    public void Rename_and_policy_commands_commit_what_their_text_says()
    {
        using var backend = Open();
        _ns.NftLoad("table inet p {\n chain base {\n type filter hook input priority 0; policy accept;\n }\n chain old {\n }\n}\n").EnsureSuccess("load");
        var snapshot = backend.ReadSnapshot();
        var context = new NftPS.Language.Script.ScriptContext
        {
            FindExistingChain = (f, t, n) => snapshot.FindChain(f, t, n)?.Handle,
        };
        var tx = new NftSession(backend).Begin();
        NftPS.Language.Script.NftScript.Parse("chain inet p base { policy drop; }\nrename chain inet p old renamed").QueueOn(tx.Batch, context);
        Assert.Equal("chain inet p base { policy drop; }\nrename chain inet p old renamed", tx.Batch.ToString().TrimEnd());
        backend.Commit(tx);
        string listing = _ns.NftListRuleset();
        Assert.Contains("policy drop;", listing);
        Assert.Contains("chain renamed {", listing);
        Assert.DoesNotContain("chain old", listing);
    }
}
