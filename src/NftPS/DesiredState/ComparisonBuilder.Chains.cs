using NftPS.NfTables;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;
using NftPS.NfTables.Operations;
using NftPS.NfTables.Writing;

namespace NftPS.DesiredState;

internal sealed partial class ComparisonBuilder
{
    /// <summary>Above this many cells the middle of a chain is matched greedily in order instead of by a full LCS
    /// table (still a common subsequence, so still correct; maybe a few more operations).</summary>
    private const long MaxLcsCells = 2_000_000;

    private void CompareChains(DesiredTable desired, LiveTable live, Recreated recreated)
    {
        var family = desired.Family;
        var poisoned = new HashSet<NftRule>(ReferenceEqualityComparer.Instance);
        if (recreated.Any)
        {
            foreach (var list in live.Rules.Values)
                foreach (var r in list)
                {
                    var info = live.InfoOf(r);
                    string? what = info.SetNames.FirstOrDefault(recreated.Sets.Contains) is { } s ? "set " + s
                        : info.ObjectNames.FirstOrDefault(recreated.Objects.Contains) is { } o ? "object " + o
                        : r.Expressions.OfType<FlowOffloadExpression>().FirstOrDefault(f => recreated.Flowtables.Contains(f.FlowtableName)) is { } f ? "flowtable " + f.FlowtableName
                        : null;
                    if (what is null) continue;
                    poisoned.Add(r);
                    var del = new RuleOperation(NftVerb.Delete, family, desired.Name, r.Chain) { Handle = r.Handle };
                    Record(NftDifferenceChange.Recreate, NftDifferenceObject.Rule, family, desired.Name, r.Chain, null,
                        new[] { (Phase.RuleDelete, (NftOperation)del) }, r.Position, r.Handle, before: DifferenceText.Rule(r, _live),
                        reason: $"refers to {what}, which is created again: the rule is deleted first and the desired one added after it");
                }
        }

        foreach (var c in desired.Chains.Items)
        {
            var add = AsAdd(c.Create);
            if (!live.Chains.TryGetValue(c.Model.Name, out var lc))
            {
                Record(NftDifferenceChange.Add, NftDifferenceObject.Chain, family, desired.Name, c.Model.Name, c.Model.Name,
                    new[] { (Phase.CreateChain, (NftOperation)add) }, after: DifferenceText.Chain(c.Model));
                AppendAll(desired, c);
                continue;
            }
            if (ChainDefinitionChange(lc, c.Model) is { } change)
            {
                var del = new ChainOperation(NftVerb.Delete, family, desired.Name, lc.Name) { Handle = lc.Handle };
                var ops = new List<(Phase, NftOperation)>();
                // A chain without rules needs no flush before it goes (one operation less per empty chain).
                if (HasRules(live, lc.Name)) ops.Add((Phase.RecreateChain, new ChainOperation(NftVerb.Flush, family, desired.Name, lc.Name)));
                ops.Add((Phase.RecreateChain, del));
                ops.Add((Phase.CreateChain, add));
                Record(NftDifferenceChange.Recreate, NftDifferenceObject.Chain, family, desired.Name, c.Model.Name, c.Model.Name,
                    ops,
                    handle: lc.Handle, before: DifferenceText.Chain(lc), after: DifferenceText.Chain(c.Model),
                    reason: $"{change} changed: the chain is deleted and created again with its {c.Rules.Count} rules");
                AppendAll(desired, c);
                continue;
            }
            if (lc.IsBaseChain && (lc.Policy ?? "accept") != (c.Model.Policy ?? "accept"))
            {
                var policy = new ChainPolicyOperation(family, desired.Name, c.Model.Name, c.Model.Policy ?? "accept");
                Record(NftDifferenceChange.Update, NftDifferenceObject.Chain, family, desired.Name, c.Model.Name, c.Model.Name,
                    new[] { (Phase.ChainUpdate, (NftOperation)policy) }, handle: lc.Handle,
                    before: DifferenceText.Chain(lc), after: DifferenceText.Chain(c.Model), reason: "policy changed");
            }
            var host = live.Rules.TryGetValue(lc.Name, out var hl) ? hl.Where(r => !poisoned.Contains(r)).ToList() : new List<NftRule>();
            DiffRules(desired, c, host, live);
        }

        if (!_options.Purge) return;
        foreach (var lc in live.ChainOrder)
        {
            if (desired.Chains.Find(lc.Name) is not null) continue;
            var del = new ChainOperation(NftVerb.Delete, family, desired.Name, lc.Name) { Handle = lc.Handle };
            int rules = live.Rules.TryGetValue(lc.Name, out var rl) ? rl.Count : 0;
            var ops = rules == 0
                ? new[] { (Phase.RemoveChain, (NftOperation)del) }
                : new[] { (Phase.RemoveChainFlush, (NftOperation)new ChainOperation(NftVerb.Flush, family, desired.Name, lc.Name)), (Phase.RemoveChain, (NftOperation)del) };
            Record(NftDifferenceChange.Remove, NftDifferenceObject.Chain, family, desired.Name, lc.Name, lc.Name,
                ops, handle: lc.Handle,
                before: DifferenceText.Chain(lc), reason: rules == 0 ? null : $"deleted with its {rules} rules");
        }
    }

    private static bool HasRules(LiveTable live, string chain) => live.Rules.TryGetValue(chain, out var l) && l.Count > 0;

    private static ChainOperation AsAdd(ChainOperation c) => c.Verb == NftVerb.Add ? c
        : new ChainOperation(NftVerb.Add, c.Family, c.Table, c.Name) { Hook = c.Hook, Policy = c.Policy, Comment = c.Comment, ChainId = c.ChainId };

    /// <summary>What the kernel cannot change on an existing chain, or null when nothing of it differs.</summary>
    private static string? ChainDefinitionChange(NftChain live, NftChain desired)
    {
        if (live.HookNumber != desired.HookNumber) return live.IsBaseChain != desired.IsBaseChain ? "base chain or not" : "hook";
        if (!live.IsBaseChain) return live.Comment != desired.Comment ? "comment" : null;
        if ((live.Type ?? "filter") != (desired.Type ?? "filter")) return "type";
        if (live.Priority != desired.Priority) return "priority";
        if (!live.Devices.OrderBy(x => x, StringComparer.Ordinal).SequenceEqual(desired.Devices.OrderBy(x => x, StringComparer.Ordinal))) return "device";
        return live.Comment != desired.Comment ? "comment" : null;
    }

    private void AppendAll(DesiredTable table, DesiredChain chain)
    {
        for (int j = 0; j < chain.Rules.Count; j++) AddRule(table, chain, j, anchor: null, append: true);
    }

    private readonly record struct Anchor(ulong? Handle, uint? RuleId);

    /// <summary>Adds desired rule <paramref name="j"/> after <paramref name="anchor"/> (a kept host rule's handle or
    /// a rule added earlier in this batch), at the head of the chain when there is none.</summary>
    private Anchor AddRule(DesiredTable table, DesiredChain chain, int j, Anchor? anchor, bool append = false)
    {
        var d = chain.Rules[j];
        uint id = ++_ruleId;
        var (verb, placement) = append ? (NftVerb.Add, RulePlacement.Append)
            : anchor is { Handle: { } h } ? (NftVerb.Add, new RulePlacement(Handle: h))
            : anchor is { RuleId: { } rid } ? (NftVerb.Add, new RulePlacement(RuleIdInBatch: rid))
            : (NftVerb.Insert, RulePlacement.Prepend);
        var op = new RuleOperation(verb, table.Family, table.Name, chain.Model.Name)
        {
            Expressions = d.Add.Expressions, Text = d.Add.Text, Comment = d.Add.Comment, Placement = placement, RuleId = id,
        };
        var ops = d.Implied.Select(o => (Phase.RuleWrite, o)).Append((Phase.RuleWrite, (NftOperation)op));
        var diff = Record(NftDifferenceChange.Add, NftDifferenceObject.Rule, table.Family, table.Name, chain.Model.Name, null, ops,
            position: j, after: DifferenceText.WithComment(d.Add.Text, d.Add.Comment));
        _ruleKeys[diff] = d.Key;
        return new Anchor(null, id);
    }

    private void DiffRules(DesiredTable table, DesiredChain chain, List<NftRule> host, LiveTable live)
    {
        var hk = host.Select(r => live.InfoOf(r).Key).ToArray();
        var dk = chain.Rules.Select(r => r.Key).ToArray();
        var matches = CommonSubsequence(hk, dk);
        matches.Add((host.Count, chain.Rules.Count));
        int i = 0, j = 0;
        Anchor? anchor = null;
        foreach (var (mi, mj) in matches)
        {
            int paired = _options.Purge ? Math.Min(mi - i, mj - j) : 0;
            for (int k = 0; k < paired; k++)
            {
                var h = host[i + k];
                var d = chain.Rules[j + k];
                var op = new RuleOperation(NftVerb.Replace, table.Family, table.Name, chain.Model.Name)
                    { Handle = h.Handle, Expressions = d.Add.Expressions, Text = d.Add.Text, Comment = d.Add.Comment };
                var ops = d.Implied.Select(o => (Phase.RuleWrite, o)).Append((Phase.RuleWrite, (NftOperation)op));
                Record(NftDifferenceChange.Replace, NftDifferenceObject.Rule, table.Family, table.Name, chain.Model.Name, null, ops,
                    position: j + k, handle: h.Handle, before: DifferenceText.Rule(h, _live),
                    after: DifferenceText.WithComment(d.Add.Text, d.Add.Comment));
                anchor = new Anchor(h.Handle, null);
            }
            if (_options.Purge)
            {
                for (int k = i + paired; k < mi; k++)
                {
                    var h = host[k];
                    var del = new RuleOperation(NftVerb.Delete, table.Family, table.Name, chain.Model.Name) { Handle = h.Handle };
                    var diff = Record(NftDifferenceChange.Remove, NftDifferenceObject.Rule, table.Family, table.Name, chain.Model.Name, null,
                        new[] { (Phase.RuleDelete, (NftOperation)del) }, position: h.Position, handle: h.Handle, before: DifferenceText.Rule(h, _live));
                    _ruleKeys[diff] = hk[k];
                }
            }
            for (int k = j + paired; k < mj; k++) anchor = AddRule(table, chain, k, anchor);
            if (mi < host.Count) anchor = new Anchor(host[mi].Handle, null);
            i = mi + 1;
            j = mj + 1;
        }
    }

    /// <summary>Matched (host, desired) index pairs in order: common prefix and suffix first (the whole chain when
    /// nothing changed, with no table built), then a longest common subsequence of the middle.</summary>
    private static List<(int, int)> CommonSubsequence(byte[][] a, byte[][] b)
    {
        static bool Eq(byte[] x, byte[] y) => x.AsSpan().SequenceEqual(y);
        int n = a.Length, m = b.Length, p = 0, s = 0;
        while (p < n && p < m && Eq(a[p], b[p])) p++;
        while (s < n - p && s < m - p && Eq(a[n - 1 - s], b[m - 1 - s])) s++;
        var result = new List<(int, int)>(Math.Min(n, m));
        for (int k = 0; k < p; k++) result.Add((k, k));
        int an = n - p - s, bm = m - p - s;
        if (an > 0 && bm > 0)
        {
            // Keys compared as small integers from here on.
            var ids = new Dictionary<string, int>();
            int Id(byte[] k) { string key = Convert.ToBase64String(k); if (!ids.TryGetValue(key, out int v)) ids[key] = v = ids.Count; return v; }
            var x = new int[an];
            var y = new int[bm];
            for (int k = 0; k < an; k++) x[k] = Id(a[p + k]);
            for (int k = 0; k < bm; k++) y[k] = Id(b[p + k]);
            foreach (var (u, v) in (long)an * bm <= MaxLcsCells ? Lcs(x, y) : Greedy(x, y)) result.Add((p + u, p + v));
        }
        for (int k = s; k > 0; k--) result.Add((n - k, m - k));
        return result;
    }

    private static List<(int, int)> Lcs(int[] x, int[] y)
    {
        int n = x.Length, m = y.Length;
        var len = new int[(n + 1) * (m + 1)];
        for (int i = n - 1; i >= 0; i--)
            for (int j = m - 1; j >= 0; j--)
                len[i * (m + 1) + j] = x[i] == y[j] ? len[(i + 1) * (m + 1) + j + 1] + 1
                    : Math.Max(len[(i + 1) * (m + 1) + j], len[i * (m + 1) + j + 1]);
        var pairs = new List<(int, int)>();
        int a = 0, b = 0;
        while (a < n && b < m)
        {
            if (x[a] == y[b]) { pairs.Add((a, b)); a++; b++; }
            else if (len[(a + 1) * (m + 1) + b] >= len[a * (m + 1) + b + 1]) a++;
            else b++;
        }
        return pairs;
    }

    private static List<(int, int)> Greedy(int[] x, int[] y)
    {
        var positions = new Dictionary<int, Queue<int>>();
        for (int i = 0; i < x.Length; i++)
        {
            if (!positions.TryGetValue(x[i], out var q)) positions[x[i]] = q = new Queue<int>();
            q.Enqueue(i);
        }
        var pairs = new List<(int, int)>();
        int last = -1;
        for (int j = 0; j < y.Length; j++)
        {
            if (!positions.TryGetValue(y[j], out var q)) continue;
            while (q.Count > 0 && q.Peek() <= last) q.Dequeue();
            if (q.Count == 0) continue;
            last = q.Dequeue();
            pairs.Add((last, j));
        }
        return pairs;
    }

    /// <summary>A rule removed in one place and added with the same key in another is one Move difference.</summary>
    private void MergeMoves()
    {
        var removed = new Dictionary<string, Queue<int>>();
        string KeyOf(NftDifference d) => d.Family + "/" + d.Table + "/" + Convert.ToBase64String(_ruleKeys[d]);
        for (int i = 0; i < _differences.Count; i++)
        {
            if (_differences[i] is not { Change: NftDifferenceChange.Remove, ObjectKind: NftDifferenceObject.Rule } d || !_ruleKeys.ContainsKey(d)) continue;
            string k = KeyOf(d);
            if (!removed.TryGetValue(k, out var q)) removed[k] = q = new Queue<int>();
            q.Enqueue(i);
        }
        if (removed.Count == 0) return;
        for (int i = 0; i < _differences.Count; i++)
        {
            if (_differences[i] is not { Change: NftDifferenceChange.Add, ObjectKind: NftDifferenceObject.Rule } add || !_ruleKeys.ContainsKey(add)) continue;
            if (!removed.TryGetValue(KeyOf(add), out var q) || q.Count == 0) continue;
            int ri = q.Dequeue();
            var rem = _differences[ri]!;
            _differences[ri] = null;
            _differences[i] = new NftDifference
            {
                Change = NftDifferenceChange.Move, ObjectKind = NftDifferenceObject.Rule, Family = add.Family, Table = add.Table,
                Chain = add.Chain, Position = add.Position, Handle = rem.Handle, Before = rem.Before, After = add.After,
                Reason = rem.Chain == add.Chain ? $"moved from position {rem.Position}" : $"moved from chain {rem.Chain}",
                Operations = rem.Operations.Concat(add.Operations).ToArray(), NetworkNamespace = add.NetworkNamespace,
            };
        }
    }
}
