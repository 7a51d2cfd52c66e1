using System.Collections.Concurrent;
using NftPS.NfTables.Backend;
using NftPS.NfTables.Model;
using NftPS.NfTables.Operations;

namespace NftPS.NfTables.Events;

/// <summary>Ruleset changes from <see cref="INftBackend.Subscribe"/>, grouped by commit: the kernel sends a commit's
/// object messages first and its NEWGEN last, so objects are held until the NEWGEN and then handed out together, each
/// stamped with that generation and the committing process. Reads block (cancellably) on the caller's thread.</summary>
internal sealed class RulesetChangeFeed : IDisposable
{
    private readonly BlockingCollection<object> _commits = new();
    private readonly List<NftObjectChanged> _pending = new();
    private readonly IDisposable _subscription;
    private readonly string? _namespace;

    public RulesetChangeFeed(INftBackend backend)
    {
        _namespace = backend.NetworkNamespace;
        _subscription = backend.Subscribe(OnEvent, e => _commits.Add(e));
    }

    // Runs on the subscription's reader thread.
    private void OnEvent(NftRulesetEvent e)
    {
        switch (e)
        {
            case NftObjectChanged change:
                Remember(change);
                _pending.Add(change);
                break;
            case NftGenerationChanged gen:
                var time = DateTimeOffset.Now;
                var commit = _pending.Select(c => ToChange(c, gen, time)).ToList();
                _pending.Clear();
                if (commit.Count > 0) _commits.Add(commit);
                break;
        }
    }

    // Sets by family, table and name, so element messages (which name only their set) can be decoded with its key
    // type, and rules using an anonymous set print its elements.
    private readonly Dictionary<(NftFamily, string, string), NftSet> _sets = new();

    private void Remember(NftObjectChanged change)
    {
        if (change.Object is NftSet set)
        {
            if (change.Verb == NftVerb.Delete) _sets.Remove((set.Family, set.Table, set.Name));
            else _sets[(set.Family, set.Table, set.Name)] = set;
        }
        else if (change.Kind == NftObjectKind.Element && change.Verb != NftVerb.Delete && change.ElementAttributes is { } attrs &&
                 change.Table is { } table && change.Name is { } name && _sets.TryGetValue((change.Family, table, name), out var owner))
        {
            try { Reading.NftMessageDecoder.DecodeSetElements(attrs, owner, owner.Elements.Add); }
            catch (InvalidDataException) { } // shown without its elements rather than not at all
            owner.ElementsLoaded = true;
        }
    }

    private NftRulesetChange ToChange(NftObjectChanged c, NftGenerationChanged gen, DateTimeOffset time)
    {
        if (c.Object is { } o) o.NetworkNamespace = _namespace;
        return new NftRulesetChange
        {
            Time = time,
            Action = c.Verb,
            Kind = c.Kind,
            Family = c.Family,
            Table = c.Table,
            Chain = c.Object switch { NftRule r => r.Chain, NftChain ch => ch.Name, _ => null },
            Name = c.Kind == NftObjectKind.Rule ? null : c.Name,
            Handle = c.Object?.Handle ?? 0,
            Object = c.Object,
            Generation = gen.Generation,
            ProcessId = gen.ProcessId,
            ProcessName = gen.ProcessName,
            NetworkNamespace = _namespace,
        };
    }

    /// <summary>The next commit's changes, or null when none came within <paramref name="wait"/>. Throws what stopped
    /// the subscription, if it stopped.</summary>
    public IReadOnlyList<NftRulesetChange>? Next(TimeSpan wait, CancellationToken cancellation)
    {
        if (!_commits.TryTake(out var item, wait == Timeout.InfiniteTimeSpan ? -1 : (int)Math.Max(0, wait.TotalMilliseconds), cancellation))
            return null;
        if (item is Exception failure) throw new IOException("Listening for ruleset changes stopped: " + failure.Message, failure);
        return (List<NftRulesetChange>)item;
    }

    public void Dispose()
    {
        _subscription.Dispose();
        _commits.Dispose();
    }
}
