using System.Diagnostics;
using System.Text.RegularExpressions;
using NftPS.DesiredState;
using NftPS.NfTables.Backend;
using NftPS.NfTables.Reading;
using NftPS.NfTables.Transactions;
using NftPS.Tests.Conformance;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.DesiredState;

internal enum PairVerdict { Passed, Failed, Invalid }

internal sealed record PairOutcome(DifferentialPair Pair, PairVerdict Verdict, string Message, int Operations, int Bound,
    TimeSpan Engine);

/// <summary>Runs the pairs in one namespace, a batch at a time, so that nft is started a few dozen times rather than
/// a few thousand (each start, and each flush that unregisters hooks, costs tenths of a second on a loaded 2-core
/// machine). Every pair's tables carry the pair's own suffix (<c>__dsN</c>) in the namespace, so the pairs of a batch
/// sit side by side; for each pair the tables of the others are tables its to-state does not name, which the
/// comparison must leave alone. Per batch: (1) nft loads every to-state after a flush and lists them: the answer
/// (a table's listing depends on nothing outside it, so it is what the to-state loaded alone lists); (2) nft loads
/// the from-states after a flush; for each pair the library reads the host, compiles the to-state with
/// DesiredRuleset.FromText, compares, and commits the operations at the comparison's generation; (3) nft lists the
/// result once for the batch; one more read, and a second comparison per pair must find nothing. A text nft refuses
/// is bisected out and reported as not counted.</summary>
internal sealed class DifferentialRunner(PrivateNetworkNamespace ns)
{
    public const int BatchSize = 40;
    private static readonly DesiredStateOptions Options = new();
    private static readonly Regex TagPattern = new(@"__ds(\d+)$");

    /// <summary>Where the time went (nft calls by kind, library work), for the report.</summary>
    public Dictionary<string, TimeSpan> Timings { get; } = new();

    private T Timed<T>(string what, Func<T> f)
    {
        var c = Stopwatch.StartNew();
        try { return f(); }
        finally { Timings[what] = Timings.GetValueOrDefault(what) + c.Elapsed; }
    }

    public List<PairOutcome> RunAll(IReadOnlyList<DifferentialPair> pairs, INftBackend backend)
    {
        var outcomes = new PairOutcome?[pairs.Count];
        foreach (var chunk in Enumerable.Range(0, pairs.Count).Chunk(BatchSize))
        {
            var refused = new Dictionary<int, string>();
            var expected = LoadAndList(chunk.Select(i => (i, pairs[i].Expected)).ToList(), refused);
            foreach (var (i, why) in refused) outcomes[i] = Invalid(pairs[i], "nft refuses the to-state: " + why);
            foreach (var o in RunBatch(chunk.Where(expected.ContainsKey).ToArray(), pairs, expected, backend)) outcomes[o.Index] = o.Outcome;
        }
        return outcomes.Select((o, i) => o ?? Invalid(pairs[i], "not run")).ToList();
    }

    private IEnumerable<(int Index, PairOutcome Outcome)> RunBatch(int[] chunk, IReadOnlyList<DifferentialPair> pairs,
        Dictionary<int, string> expected, INftBackend backend)
    {
        var refused = new Dictionary<int, string>();
        LoadKeepingGood(chunk.Select(i => (i, pairs[i].From)).ToList(), refused);
        var results = new Dictionary<int, PairOutcome>();
        foreach (var (i, why) in refused) results[i] = Invalid(pairs[i], "nft refuses the from-state beside the others of its batch: " + why);

        var work = new Dictionary<int, (DesiredRuleset Desired, int Operations, string Sent, TimeSpan Time)>();
        foreach (int i in chunk.Where(i => !refused.ContainsKey(i)))
        {
            int bound = Timed("bound", () => Bound(pairs[i].From, expected[i]));
            var clock = Stopwatch.StartNew();
            int operations = -1;
            try
            {
                var desired = DesiredRuleset.FromText(Tagged(pairs[i].To, i));
                var comparison = RulesetComparer.Compare(backend.ReadSnapshot(RulesetQuery.Everything), desired, Options);
                operations = comparison.Operations.Count(o => !o.IsImplied);
                var tx = new NftTransaction(comparison.Generation);
                foreach (var op in comparison.Operations) tx.Batch.Add(op);
                if (tx.Count > 0) new NftSession(backend).Commit(tx);
                work[i] = (desired, operations, tx.ToString(), clock.Elapsed);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                results[i] = Fail(pairs[i], Describe(e), operations, bound, clock.Elapsed);
            }
        }

        var actual = Split(Timed("nft list ruleset", () => ns.NftListRuleset()));
        NftPS.NfTables.Model.NftRuleset? snapshot = null;
        foreach (var (i, w) in work)
        {
            int bound = Timed("bound", () => Bound(pairs[i].From, expected[i]));
            string got = actual.TryGetValue(i, out var a) ? a : "";
            // Every check runs, so one message says all that is wrong with the pair.
            var problems = new List<string>();
            string want = ListingRuleset.Normalize(expected[i]), have = ListingRuleset.Normalize(got);
            if (want != have)
                problems.Add($"the host does not hold what nft lists for the to-state: {RulesetListingCheck.FirstDifference(want, have)}\n" +
                    $"--- nft's listing of the to-state ---\n{expected[i]}--- the host after the commit ---\n{got}");
            if (w.Operations > bound)
                problems.Add($"{w.Operations} operations for {bound} differing objects");
            try
            {
                snapshot ??= backend.ReadSnapshot(RulesetQuery.Everything);
                var again = RulesetComparer.Compare(snapshot, w.Desired, Options);
                if (again.Differences.Count > 0 || again.Operations.Count > 0)
                    problems.Add($"a second comparison finds {again.Differences.Count} difference(s) and {again.Operations.Count} operation(s): " +
                        string.Join("; ", again.Differences.Take(5).Select(d => $"{d} [{d.Before} -> {d.After}]")));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                problems.Add("second comparison: " + Describe(e));
            }
            results[i] = problems.Count == 0
                ? new PairOutcome(pairs[i], PairVerdict.Passed, "", w.Operations, bound, w.Time)
                : Fail(pairs[i], string.Join("\n", problems) + $"\n--- operations sent (tables suffixed __ds{i} in the namespace) ---\n{w.Sent}\n",
                    w.Operations, bound, w.Time);
        }
        return results.Select(kv => (kv.Key, kv.Value));
    }

    private static string Describe(Exception e)
    {
        string where = e.StackTrace?.Split('\n').FirstOrDefault()?.Trim() ?? "";
        return $"{e.GetType().Name}: {e.Message} ({where})";
    }

    private static int Bound(string fromListing, string expectedListing) =>
        DifferentialObjectCount.Count(ListingRuleset.Parse(ListingRuleset.StripState(fromListing)),
            ListingRuleset.Parse(ListingRuleset.StripState(expectedListing)));

    /// <summary>Flushes, loads every text (its tables suffixed with its index) and returns nft's listing of each,
    /// suffixes removed. Texts nft refuses are bisected out and named in <paramref name="refused"/>.</summary>
    private Dictionary<int, string> LoadAndList(List<(int Index, string Text)> items, Dictionary<int, string> refused)
    {
        LoadKeepingGood(items, refused);
        var listed = Split(Timed("nft list ruleset", () => ns.NftListRuleset()));
        return items.Where(x => !refused.ContainsKey(x.Index))
            .ToDictionary(x => x.Index, x => listed.TryGetValue(x.Index, out var l) ? l : "");
    }

    /// <summary>Flushes the ruleset and loads the texts in the same nft call; when nft refuses (nothing applied), flushes
    /// and bisects, so every text nft accepts lands.</summary>
    private void LoadKeepingGood(List<(int Index, string Text)> items, Dictionary<int, string> refused)
    {
        if (Load(items, flush: true)) return;
        Timed("nft flush", () => { ns.Flush(); return 0; });
        Bisect(items, refused);
    }

    private bool Load(List<(int Index, string Text)> items, bool flush, Dictionary<int, string>? refused = null)
    {
        var r = Timed("nft -f", () => ns.NftLoad((flush ? "flush ruleset\n" : "") + string.Concat(items.Select(x => Tagged(x.Text, x.Index)))));
        if (r.ExitCode != 0 && refused is not null && items.Count == 1) refused[items[0].Index] = ScratchNamespaceWorkers.FirstLine(r.StdErr);
        return r.ExitCode == 0;
    }

    private void Bisect(List<(int Index, string Text)> items, Dictionary<int, string> refused)
    {
        if (items.Count == 0 || Load(items, flush: false, refused) || items.Count == 1) return;
        Bisect(items.GetRange(0, items.Count / 2), refused);
        Bisect(items.GetRange(items.Count / 2, items.Count - items.Count / 2), refused);
    }

    internal static string Tagged(string text, int index)
    {
        var r = ListingRuleset.Parse(text);
        foreach (var t in r.Tables) t.Name += "__ds" + index;
        return r.Render();
    }

    /// <summary>A listing of many pairs' tables cut into one listing per pair (tables in nft's order, suffixes removed).</summary>
    private static Dictionary<int, string> Split(string listing)
    {
        var byPair = new Dictionary<int, ListingRuleset>();
        foreach (var t in ListingRuleset.Parse(listing).Tables)
        {
            var m = TagPattern.Match(t.Name);
            if (!m.Success) continue;
            int i = int.Parse(m.Groups[1].Value);
            t.Name = t.Name[..m.Index];
            if (!byPair.TryGetValue(i, out var r)) byPair[i] = r = new ListingRuleset();
            r.Tables.Add(t);
        }
        return byPair.ToDictionary(kv => kv.Key, kv => kv.Value.Render());
    }

    private static PairOutcome Invalid(DifferentialPair pair, string why) => new(pair, PairVerdict.Invalid, why, 0, 0, TimeSpan.Zero);

    private static PairOutcome Fail(DifferentialPair pair, string why, int operations, int bound, TimeSpan engine) =>
        new(pair, PairVerdict.Failed, why, operations, bound, engine);
}
