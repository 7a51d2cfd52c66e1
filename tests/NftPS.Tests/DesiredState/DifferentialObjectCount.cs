using System.Text.RegularExpressions;

namespace NftPS.Tests.DesiredState;

/// <summary>How many objects differ between a from-state and a to-state, counted on nft's own listings of the two:
/// the bound the comparison's operation count must stay within.
///
/// Objects are tables, chains, rules, sets and maps, set/map elements, named objects and flowtables. Only managed
/// tables count (the tables the to-state names): a table the to-state leaves out is not touched, so it differs in
/// nothing. For each managed table:
/// - only in the to-state: the table, and everything in it (each chain, rule, set, element, object) is one object;
/// - table lines (flags, comment) changed: one;
/// - a block (chain, set, object, flowtable) only in one side: the block, plus its rules or elements, one each;
/// - a chain whose declaration changed only in its policy or comment: one (updated in place); a chain whose hook,
///   type, priority or device changed cannot be updated, so it counts as removed with its rules and added with its
///   rules; the same for a set or map whose declaration changed (key type, flags…), plus the rules that reference it
///   (`@name`), once removed and once added, since they are recreated with it;
/// - rules of a chain in both: matched as a sequence (longest common subsequence of their texts, counters stripped).
///   Rules outside the match are only in from or only in to, one each; within one gap between matched rules, a rule
///   only in from and one only in to pair up as one changed rule (replaced in place). A rule moved to another place
///   in its chain therefore counts as one removed plus one added;
/// - elements: by key (a map element's key is before " : "); only in one side is one, same key with other data one;
/// - a named object or flowtable whose body changed: one.
/// Operations implied by another (a rule's anonymous set and its elements, continuation messages of a long element
/// list) are not counted on the operation side either: they are part of the command that carries them.</summary>
internal static class DifferentialObjectCount
{
    public static int Count(ListingRuleset from, ListingRuleset to)
    {
        int n = 0;
        foreach (var t in to.Tables)
        {
            var f = from.Find(t.Key);
            if (f is null) { n += 1 + t.Blocks.Sum(Size); continue; }
            if (!f.Attributes.SequenceEqual(t.Attributes)) n++;
            var recreatedSets = new HashSet<string>();
            foreach (var b in t.Blocks)
            {
                var fb = f.Blocks.FirstOrDefault(x => SameObject(x, b));
                if (fb is null) { n += Size(b); continue; }
                if (b.Kind == "chain") n += CompareChain(fb, b);
                else if (b.Kind is "set" or "map")
                {
                    if (!fb.Declaration.SequenceEqual(b.Declaration) || fb.Kind != b.Kind)
                    {
                        n += Size(fb) + Size(b);
                        recreatedSets.Add(b.Name);
                    }
                    else n += CompareElements(fb.Elements ?? new(), b.Elements ?? new());
                }
                else if (!fb.Lines.SequenceEqual(b.Lines)) n++;
            }
            foreach (var fb in f.Blocks.Where(x => !t.Blocks.Any(b => SameObject(x, b)))) n += Size(fb);
            foreach (string set in recreatedSets)
            {
                var reference = new Regex("@" + Regex.Escape(set) + @"\b");
                n += f.Chains.Sum(c => c.Rules.Count(reference.IsMatch)) + t.Chains.Sum(c => c.Rules.Count(reference.IsMatch));
            }
        }
        return n;
    }

    /// <summary>Sets and maps share one name space in a table; so do the other blocks of one kind.</summary>
    private static bool SameObject(ListingBlock a, ListingBlock b) =>
        a.Name == b.Name && (a.Kind == b.Kind || (a.Kind is "set" or "map" && b.Kind is "set" or "map"));

    private static int Size(ListingBlock b) => 1 + b.Rules.Count + (b.Elements?.Count ?? 0);

    private static int CompareChain(ListingBlock from, ListingBlock to)
    {
        var fd = from.Declaration.ToList();
        var td = to.Declaration.ToList();
        if (!fd.SequenceEqual(td))
        {
            if (WithoutPolicyOrComment(fd) != WithoutPolicyOrComment(td)) return Size(from) + Size(to);
            return 1 + CompareRules(from.Rules, to.Rules);
        }
        return CompareRules(from.Rules, to.Rules);
    }

    private static string WithoutPolicyOrComment(IEnumerable<string> declaration) =>
        string.Join("\n", declaration.Where(l => !l.StartsWith("comment ")).Select(l => Regex.Replace(l, @" policy \w+;", "")));

    /// <summary>Rules differing between two sequences: see the class comment.</summary>
    internal static int CompareRules(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        int[,] lcs = new int[a.Count + 1, b.Count + 1];
        for (int i = a.Count - 1; i >= 0; i--)
            for (int j = b.Count - 1; j >= 0; j--)
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
        int count = 0, x = 0, y = 0, gapFrom = 0, gapTo = 0;
        while (x < a.Count || y < b.Count)
        {
            if (x < a.Count && y < b.Count && a[x] == b[y])
            {
                count += Math.Max(gapFrom, gapTo);
                gapFrom = gapTo = 0;
                x++;
                y++;
            }
            else if (y >= b.Count || (x < a.Count && lcs[x + 1, y] >= lcs[x, y + 1])) { gapFrom++; x++; }
            else { gapTo++; y++; }
        }
        return count + Math.Max(gapFrom, gapTo);
    }

    internal static int CompareElements(IReadOnlyList<string> from, IReadOnlyList<string> to)
    {
        var f = from.GroupBy(ListingBlock.ElementKey).ToDictionary(g => g.Key, g => g.First());
        var t = to.GroupBy(ListingBlock.ElementKey).ToDictionary(g => g.Key, g => g.First());
        return f.Keys.Count(k => !t.ContainsKey(k)) + t.Count(kv => !f.TryGetValue(kv.Key, out var v) || v != kv.Value);
    }
}
