using NftPS.NfTables;
using NftPS.NfTables.Backend;
using NftPS.NfTables.Events;
using NftPS.NfTables.Model;
using NftPS.NfTables.Operations;
using NftPS.NfTables.Reading;
using NftPS.NfTables.Transactions;

namespace NftPS.Tests.Observe;

/// <summary>The feed pairs each commit's object events with the NEWGEN that closes it.</summary>
public class RulesetChangeFeedTests
{
    private sealed class ScriptedBackend : INftBackend
    {
        public Action<NftRulesetEvent>? Deliver;
        public Action<Exception>? Fail;
        public bool Unsubscribed;
        public string? NetworkNamespace => "nsx";
        public uint GetGeneration(CancellationToken cancellation = default) => throw new NotSupportedException();
        public NftRuleset ReadSnapshot(RulesetQuery? query = null, CancellationToken cancellation = default) => throw new NotSupportedException();
        public CommitResult Commit(NftTransaction transaction, CommitOptions? options = null, CancellationToken cancellation = default) => throw new NotSupportedException();
        public IReadOnlyList<NftObjectBase> Reset(ResetOperation operation, CancellationToken cancellation = default) => throw new NotSupportedException();
        public IDisposable Subscribe(Action<NftRulesetEvent> onEvent, Action<Exception>? onError = null)
        {
            Deliver = onEvent;
            Fail = onError;
            return new Unsubscriber(this);
        }
        public void Dispose() { }
        private sealed class Unsubscriber(ScriptedBackend b) : IDisposable { public void Dispose() => b.Unsubscribed = true; }
    }

    [Fact]
    public void ObjectsWaitForTheirGenerationAndCarryItsProcess()
    {
        var backend = new ScriptedBackend();
        using (var feed = new RulesetChangeFeed(backend))
        {
            var table = new NftTable { Family = NftFamily.Inet, Name = "t", Handle = 4 };
            var rule = new NftRule { Family = NftFamily.Inet, Table = "t", Chain = "c", Handle = 9 };
            backend.Deliver!(new NftObjectChanged(NftVerb.Add, NftObjectKind.Table, NftFamily.Inet, "t", "t", table));
            backend.Deliver!(new NftObjectChanged(NftVerb.Delete, NftObjectKind.Rule, NftFamily.Inet, "t", "c", rule));
            // Nothing is handed out before the commit's NEWGEN.
            Assert.Null(feed.Next(TimeSpan.FromMilliseconds(50), CancellationToken.None));
            backend.Deliver!(new NftGenerationChanged(77, 1234, "nft"));
            var commit = feed.Next(TimeSpan.FromSeconds(1), CancellationToken.None);
            Assert.NotNull(commit);
            Assert.Collection(commit,
                t =>
                {
                    Assert.Equal((NftVerb.Add, NftObjectKind.Table, "t", "t", 4UL), (t.Action, t.Kind, t.Table, t.Name, t.Handle));
                    Assert.Null(t.Chain);
                },
                r =>
                {
                    Assert.Equal((NftVerb.Delete, NftObjectKind.Rule, "c", 9UL), (r.Action, r.Kind, r.Chain, r.Handle));
                    Assert.Null(r.Name);
                    Assert.Same(rule, r.Object);
                });
            Assert.All(commit, c => Assert.Equal((77u, (uint?)1234, "nft", "nsx"), (c.Generation, c.ProcessId, c.ProcessName, c.NetworkNamespace)));
            Assert.Equal("nsx", rule.NetworkNamespace);

            // A commit with no object messages (an empty batch) yields nothing.
            backend.Deliver!(new NftGenerationChanged(78, 1, "x"));
            Assert.Null(feed.Next(TimeSpan.FromMilliseconds(50), CancellationToken.None));
        }
        Assert.True(backend.Unsubscribed);
    }

    [Fact]
    public void ASubscriptionFailureIsThrownToTheReader()
    {
        var backend = new ScriptedBackend();
        using var feed = new RulesetChangeFeed(backend);
        backend.Fail!(new InvalidDataException("bad message"));
        var ex = Assert.Throws<IOException>(() => feed.Next(TimeSpan.FromSeconds(1), CancellationToken.None));
        Assert.Contains("bad message", ex.Message);
    }

    [Fact]
    public void CancellingAWaitingReadThrowsOperationCanceled()
    {
        using var feed = new RulesetChangeFeed(new ScriptedBackend());
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        Assert.ThrowsAny<OperationCanceledException>(() => feed.Next(Timeout.InfiniteTimeSpan, cancel.Token));
    }
}
