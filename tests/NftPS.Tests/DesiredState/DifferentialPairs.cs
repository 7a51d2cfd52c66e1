using System.Text.RegularExpressions;

namespace NftPS.Tests.DesiredState;

/// <summary>A ruleset the pairs are made from: a dump, a scenario's listing, or the listing nft gave for a vector
/// file's accepted rules.</summary>
internal sealed record DifferentialBase(string Name, ListingRuleset Ruleset);

/// <summary>One (from-state, to-state) pair. <see cref="Expected"/> is what the host must hold after converging to
/// <see cref="To"/>: the to-state's tables, and the tables of the from-state the to-state does not name (not managed,
/// so untouched), in the order the host keeps them (those already there first).</summary>
internal sealed record DifferentialPair(string Category, string Description, string From, string To, string Expected)
{
    public string Show() =>
        $"[{Category}] {Description}\n--- from-state (nft -f) ---\n{From}--- to-state (DesiredRuleset.FromText) ---\n{To}";
}

/// <summary>Builds the pairs with a fixed seed: the same bases give the same pairs on every run.</summary>
internal static class DifferentialPairs
{
    public const int Seed = 14_300;

    /// <summary>How many pairs each category gets (at least 300 in all).</summary>
    public static readonly IReadOnlyDictionary<string, int> Quota = new Dictionary<string, int>
    {
        ["subset"] = 50,      // to-state: a random subset of the rules (rules removed)
        ["superset"] = 40,    // from-state: a random subset (rules inserted at their positions)
        ["reorder"] = 45,     // rules moved or shuffled within one chain
        ["edit"] = 55,        // one statement of one rule edited (verdict, counter added, comment added)
        ["elements"] = 50,    // set/map elements added and/or removed
        ["policy"] = 35,      // a base chain's policy flipped
        ["tables"] = 40,      // a table added; left out (unmanaged, untouched); emptied
        ["other-policy"] = 25,// from one base to another (tables of the same name converted)
    };

    public static List<DifferentialPair> Build(IReadOnlyList<DifferentialBase> bases)
    {
        var rng = new Random(Seed);
        var pairs = new List<DifferentialPair>();
        foreach (var (category, quota) in Quota)
        {
            var order = bases.OrderBy(_ => rng.Next()).ToList();
            int made = 0;
            for (int attempt = 0; made < quota && attempt < order.Count * 3; attempt++)
            {
                var b = order[attempt % order.Count];
                var pair = Make(category, b, bases, rng);
                if (pair is null) continue;
                pairs.Add(pair);
                made++;
            }
        }
        return pairs;
    }

    private static DifferentialPair? Make(string category, DifferentialBase b, IReadOnlyList<DifferentialBase> all, Random rng) =>
        category switch
        {
            "subset" => Subset(b, rng, reverse: false),
            "superset" => Subset(b, rng, reverse: true),
            "reorder" => Reorder(b, rng),
            "edit" => Edit(b, rng),
            "elements" => Elements(b, rng),
            "policy" => Policy(b, rng),
            "tables" => Tables(b, all, rng),
            "other-policy" => OtherPolicy(b, all, rng),
            _ => throw new ArgumentOutOfRangeException(nameof(category)),
        };

    public static DifferentialPair Pair(string category, string description, ListingRuleset from, ListingRuleset to) =>
        new(category, description, from.Render(), to.Render(), Compose(from, to).Render());

    /// <summary>What converging <paramref name="from"/> to <paramref name="to"/> leaves: see <see cref="DifferentialPair"/>.</summary>
    public static ListingRuleset Compose(ListingRuleset from, ListingRuleset to)
    {
        var r = new ListingRuleset();
        foreach (var t in from.Tables) r.Tables.Add((to.Find(t.Key) ?? t).Clone());
        foreach (var t in to.Tables.Where(t => from.Find(t.Key) is null)) r.Tables.Add(t.Clone());
        return r;
    }

    private static List<(ListingTable Table, ListingBlock Chain)> ChainsWith(ListingRuleset r, int minRules) =>
        r.Tables.SelectMany(t => t.Chains.Select(c => (t, c))).Where(x => x.c.Rules.Count >= minRules).ToList();

    private static T Pick<T>(IReadOnlyList<T> items, Random rng) => items[rng.Next(items.Count)];

    private static DifferentialPair? Subset(DifferentialBase b, Random rng, bool reverse)
    {
        var candidates = ChainsWith(b.Ruleset, 1);
        if (candidates.Count == 0) return null;
        var cut = b.Ruleset.Clone();
        int removed = 0;
        foreach (var t in cut.Tables)
            foreach (var c in t.Chains)
            {
                var keep = c.Rules.Where(_ => rng.NextDouble() >= 0.35).ToList();
                removed += c.Rules.Count - keep.Count;
                c.SetRules(keep);
            }
        if (removed == 0)
        {
            var (table, chain) = Pick(candidates, rng);
            var c = cut.Find(table.Key)!.Chains.First(x => x.Name == chain.Name);
            var rules = c.Rules;
            rules.RemoveAt(rng.Next(rules.Count));
            c.SetRules(rules);
            removed = 1;
        }
        string what = $"{b.Name}: {removed} rule(s) {(reverse ? "inserted" : "removed")}";
        return reverse ? Pair("superset", what, cut, b.Ruleset) : Pair("subset", what, b.Ruleset, cut);
    }

    private static DifferentialPair? Reorder(DifferentialBase b, Random rng)
    {
        var candidates = ChainsWith(b.Ruleset, 2).Where(x => x.Chain.Rules.Distinct().Count() >= 2).ToList();
        if (candidates.Count == 0) return null;
        var (table, chain) = Pick(candidates, rng);
        var to = b.Ruleset.Clone();
        var c = to.Find(table.Key)!.Chains.First(x => x.Name == chain.Name);
        var rules = c.Rules;
        bool shuffle = rng.Next(2) == 0;
        string what;
        do
        {
            rules = c.Rules;
            if (shuffle)
            {
                for (int i = rules.Count - 1; i > 0; i--)
                {
                    int j = rng.Next(i + 1);
                    (rules[i], rules[j]) = (rules[j], rules[i]);
                }
                what = $"chain {chain.Name} shuffled";
            }
            else
            {
                int from = rng.Next(rules.Count), to2 = rng.Next(rules.Count);
                string r = rules[from];
                rules.RemoveAt(from);
                rules.Insert(to2, r);
                what = $"chain {chain.Name}: rule {from} moved to {to2}";
            }
        } while (rules.SequenceEqual(c.Rules));
        c.SetRules(rules);
        return Pair("reorder", $"{b.Name}: {table.Key} {what}", b.Ruleset, to);
    }

    private static readonly Regex Verdict = new(@"\b(accept|drop)((?: comment ""[^""]*"")?)$");

    private static DifferentialPair? Edit(DifferentialBase b, Random rng)
    {
        var candidates = ChainsWith(b.Ruleset, 1);
        if (candidates.Count == 0) return null;
        var (table, chain) = Pick(candidates, rng);
        var to = b.Ruleset.Clone();
        var c = to.Find(table.Key)!.Chains.First(x => x.Name == chain.Name);
        var rules = c.Rules;
        int i = rng.Next(rules.Count);
        string rule = rules[i];
        var edits = new List<(string What, string Rule)>();
        var v = Verdict.Match(rule);
        if (v.Success)
            edits.Add(("verdict flipped", rule[..v.Index] + (v.Groups[1].Value == "accept" ? "drop" : "accept") + v.Groups[2].Value));
        if (!rule.Contains("counter")) edits.Add(("counter added", "counter " + rule));
        if (!rule.Contains("comment \"")) edits.Add(("comment added", rule + " comment \"ds edit\""));
        if (edits.Count == 0) return null;
        var (what, edited) = Pick(edits, rng);
        rules[i] = edited;
        c.SetRules(rules);
        return Pair("edit", $"{b.Name}: {table.Key} chain {chain.Name} rule {i}: {what}", b.Ruleset, to);
    }

    /// <summary>Sets whose content only the policy writes (no timeout, not dynamic): the packet path never adds there.</summary>
    private static bool StaticSet(ListingBlock s) =>
        !s.Declaration.Any(l => l.Contains("timeout") || l.Contains("dynamic"));

    private static string? NewElement(ListingBlock s, int n)
    {
        if (s.Kind != "set") return null;
        string type = s.Declaration.FirstOrDefault(l => l.StartsWith("type ")) ?? "";
        return type switch
        {
            "type ipv4_addr" => $"192.0.2.{200 + n}",
            "type ipv6_addr" => $"2001:db8:ffff::{n + 1:x}",
            "type inet_service" => $"{40000 + n}",
            _ => null,
        };
    }

    private static DifferentialPair? Elements(DifferentialBase b, Random rng)
    {
        var sets = b.Ruleset.Tables.SelectMany(t => t.Sets.Select(s => (t, s)))
            .Where(x => StaticSet(x.s) && ((x.s.Elements?.Count ?? 0) > 0 || NewElement(x.s, 0) is not null)).ToList();
        var from = b.Ruleset.Clone();
        if (sets.Count == 0)
        {
            // No set to edit: give the first table one, in both states, with other elements in each.
            var first = from.Tables.FirstOrDefault(t => t.Family is "ip" or "inet" or "ip6" or "bridge" or "netdev");
            if (first is null) return null;
            var added = ListingBlock.FromHeader("set ds_set");
            added.Lines.Add("type ipv4_addr");
            added.Lines.Add(ListingBlock.ElementsLine(Enumerable.Range(1, 6).Select(n => $"198.51.100.{n}")));
            first.Blocks.Insert(0, added);
            sets = new() { (first, added) };
        }
        var (table, set) = Pick(sets, rng);
        var to = from.Clone();
        var ts = to.Find(table.Key)!.Sets.First(x => x.Name == set.Name);
        var elements = ts.Elements ?? new List<string>();
        int removed = 0, addedCount = 0;
        int mode = rng.Next(3); // 0 remove, 1 add, 2 both
        if (mode != 1 && elements.Count > 0)
        {
            removed = 1 + rng.Next(Math.Max(1, elements.Count / 2));
            for (int k = 0; k < removed; k++) elements.RemoveAt(rng.Next(elements.Count));
        }
        if (mode != 0 && NewElement(ts, 0) is not null)
        {
            addedCount = 1 + rng.Next(4);
            for (int k = 0; k < addedCount; k++) elements.Add(NewElement(ts, k)!);
        }
        if (removed + addedCount == 0) return null;
        ts.SetElements(elements);
        return Pair("elements", $"{b.Name}: {table.Key} {set.Header}: {removed} removed, {addedCount} added", from, to);
    }

    private static DifferentialPair? Policy(DifferentialBase b, Random rng)
    {
        var chains = b.Ruleset.Tables.SelectMany(t => t.Chains.Select(c => (t, c)))
            .Where(x => x.c.Declaration.Any(l => Regex.IsMatch(l, @" policy (accept|drop);"))).ToList();
        if (chains.Count == 0) return null;
        var (table, chain) = Pick(chains, rng);
        var to = b.Ruleset.Clone();
        var c = to.Find(table.Key)!.Chains.First(x => x.Name == chain.Name);
        int i = c.Lines.FindIndex(l => Regex.IsMatch(l, @" policy (accept|drop);"));
        c.Lines[i] = Regex.Replace(c.Lines[i], @" policy (accept|drop);", m => m.Groups[1].Value == "accept" ? " policy drop;" : " policy accept;");
        return Pair("policy", $"{b.Name}: {table.Key} chain {chain.Name} policy flipped", b.Ruleset, to);
    }

    private static DifferentialPair? Tables(DifferentialBase b, IReadOnlyList<DifferentialBase> all, Random rng)
    {
        var other = Pick(all, rng);
        if (other == b || other.Ruleset.Tables.Count == 0) return null;
        var extra = Pick(other.Ruleset.Tables, rng).Clone();
        extra.Name = "ds_added";
        if (b.Ruleset.Find(extra.Key) is not null) return null;
        var with = b.Ruleset.Clone();
        with.Tables.Add(extra);
        switch (rng.Next(3))
        {
            case 0:
                return Pair("tables", $"{b.Name}: table {extra.Key} (from {other.Name}) added", b.Ruleset, with);
            case 1:
                return Pair("tables", $"{b.Name}: table {extra.Key} (from {other.Name}) left out: not managed, kept", with, b.Ruleset);
            default:
                var emptied = b.Ruleset.Clone();
                emptied.Tables.Add(new ListingTable(extra.Family, extra.Name));
                return Pair("tables", $"{b.Name}: table {extra.Key} (from {other.Name}) emptied", with, emptied);
        }
    }

    private static DifferentialPair? OtherPolicy(DifferentialBase b, IReadOnlyList<DifferentialBase> all, Random rng)
    {
        var other = Pick(all, rng);
        if (other == b) return null;
        return Pair("other-policy", $"{b.Name} -> {other.Name}", b.Ruleset, other.Ruleset);
    }
}
