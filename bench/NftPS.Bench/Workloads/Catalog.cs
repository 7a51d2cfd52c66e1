namespace NftPS.Bench.Workloads;

/// <summary>The workloads of issue 5 with their targets; quick mode uses small sizes (targets are for the full sizes).</summary>
public static class Catalog
{
    public static IReadOnlyList<Workload> All(bool quick) => quick ? Quick() : Full();

    private static IReadOnlyList<Workload> Full() => new Workload[]
    {
        new ModuleImport(),
        new ColdStart(ColdStart.Kind.GetRule),
        new ColdStart(ColdStart.Kind.NewRule),
        new RulesetTransaction(1_000),
        new RulesetTransaction(10_000, Target.Ratio(0.45)),
        new NewSetWithElements(10_000),
        new NewSetWithElements(100_000),
        new NewSetWithElements(1_000_000, Target.Ratio(0.2)),
        new ElementsIntoExistingSet(10_000),
        new ElementsIntoExistingSet(100_000),
        new ElementsIntoExistingSet(1_000_000, Target.Ratio(0.6)),
        new IntervalSetWithPrefixes(100_000, Target.Ratio(0.5)),
        new Listing(Listing.Kind.RulesAsObjects, 10_000, Target.Ratio(0.5)),
        new Listing(Listing.Kind.RulesQueried, 10_000, Target.Ratio(0.5)),
        new Listing(Listing.Kind.RulesAsText, 10_000),
        new Listing(Listing.Kind.ElementsAsObjects, 100_000, Target.Ratio(0.3)),
        new SmallChange(SmallChange.Kind.AddElement, 100_000, 10_000),
        new SmallChange(SmallChange.Kind.DeleteRule, 100_000, 10_000),
        new ManySmallTransactions(),
        CmdletVariant.Rules(1_000),
        CmdletVariant.Rules(10_000, Target.Ratio(0.45)),
        CmdletVariant.RulesLoop(10_000),
        // Issue 18: New-NftSet -Element 100k as the first call in a fresh pwsh ≤ 1× nft (real-pwsh column).
        CmdletVariant.NewSet(100_000, pwshTarget: Target.Ratio(1)),
        CmdletVariant.IntoSet(100_000),
        CmdletVariant.PipedIntoSet(100_000, Target.Ratio(0.5)),
        CmdletVariant.Interval(100_000, Target.Ratio(0.5)),
        CmdletVariant.AddElement(100_000, 10_000),
        CmdletVariant.DeleteRule(100_000, 10_000),
        CmdletVariant.Transactions(),
        new DesiredStateWorkload(DesiredStateWorkload.Kind.Test, 10_000, 100_000),
        new DesiredStateWorkload(DesiredStateWorkload.Kind.TestVsLoad, 10_000, 100_000),
        new DesiredStateWorkload(DesiredStateWorkload.Kind.SetOneRule, 10_000, 100_000),
        new NativeCommand(NativeCommand.Kind.Export, 1_000, Target.Ratio(2)),
        new NativeCommand(NativeCommand.Kind.Test, 1_000, Target.Ratio(2)),
    };

    private static IReadOnlyList<Workload> Quick() => new Workload[]
    {
        new ModuleImport(),
        new ColdStart(ColdStart.Kind.GetRule),
        new ColdStart(ColdStart.Kind.NewRule),
        new RulesetTransaction(1_000),
        new NewSetWithElements(10_000),
        new ElementsIntoExistingSet(10_000),
        new IntervalSetWithPrefixes(10_000),
        new Listing(Listing.Kind.RulesAsObjects, 1_000),
        new Listing(Listing.Kind.RulesQueried, 1_000),
        new Listing(Listing.Kind.RulesAsText, 1_000),
        new Listing(Listing.Kind.ElementsAsObjects, 10_000),
        new SmallChange(SmallChange.Kind.AddElement, 10_000, 1_000),
        new SmallChange(SmallChange.Kind.DeleteRule, 10_000, 1_000),
        new ManySmallTransactions(),
        CmdletVariant.Rules(1_000),
        CmdletVariant.NewSet(10_000),
        CmdletVariant.DeleteRule(10_000, 1_000),
        CmdletVariant.Transactions(),
        new DesiredStateWorkload(DesiredStateWorkload.Kind.Test, 1_000, 10_000),
        new DesiredStateWorkload(DesiredStateWorkload.Kind.SetOneRule, 1_000, 10_000),
        new NativeCommand(NativeCommand.Kind.Export, 1_000, Target.Ratio(2)),
        new NativeCommand(NativeCommand.Kind.Test, 1_000, Target.Ratio(2)),
    };

    /// <summary>Per filter (case-insensitive): the workload with exactly that id, or else every id starting with it
    /// ("W2" picks every W2 variant, "W4-del-rule" just that one, "W4-del-rule/cmdlet" its cmdlet variant).</summary>
    public static IReadOnlyList<Workload> Select(bool quick, IReadOnlyCollection<string> filters)
    {
        var all = All(quick);
        if (filters.Count == 0) return all;
        var chosen = new HashSet<Workload>();
        foreach (string f in filters)
        {
            var exact = all.Where(w => string.Equals(w.Id, f, StringComparison.OrdinalIgnoreCase)).ToList();
            chosen.UnionWith(exact.Count > 0 ? exact : all.Where(w => w.Id.StartsWith(f, StringComparison.OrdinalIgnoreCase)));
        }
        return all.Where(chosen.Contains).ToList();
    }

    public static Workload Find(string id, bool quick) =>
        All(quick).Concat(All(!quick)).FirstOrDefault(w => string.Equals(w.Id, id, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown workload '{id}'.");

    public static string Count(int n) => n >= 1_000_000 ? $"{n / 1_000_000}M" : n >= 1000 ? $"{n / 1000}k" : n.ToString();
}
