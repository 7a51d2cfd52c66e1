using NftPS.Tests.Conformance;
using NftPS.Tests.Conformance.Vectors;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.DesiredState;

/// <summary>Where the differential pairs come from, all read from ../shared at run time: the nft dumps that nft 1.0.6
/// loads and lists back identically (so the file is nft's own listing), the scenarios' expected listings, and, loaded
/// in the test's namespace, one table per vector file with the rules nft accepts in every table and chain.</summary>
internal static class DifferentialBases
{
    public static List<DifferentialBase> FromDumpsAndScenarios()
    {
        var bases = new List<DifferentialBase>();
        foreach (var d in ConformanceCorpus.DumpStatuses().Where(d => d.Loaded && d.ListedIdentical).OrderBy(d => d.File, StringComparer.Ordinal))
        {
            string text = File.ReadAllText(Path.Combine(ConformanceCorpus.DumpRoot, d.File));
            if (TryParse(text) is { } r) bases.Add(new DifferentialBase("dump " + d.File, r));
        }
        ScenarioUsers.Ensure();
        foreach (string path in Directory.EnumerateFiles(ConformanceCorpus.ScenarioRoot, "*.nft").Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileNameWithoutExtension(path);
            if (TryParse(ScenarioUsers.ExpectedListing(name)) is { } r) bases.Add(new DifferentialBase("scenario " + name, r));
        }
        return bases;
    }

    /// <summary>One table per vector file (the declaration of the file's own family), its sets, elements and objects,
    /// and up to <paramref name="rulesPerFile"/> of its rules that nft 1.0.6 accepted everywhere, spread over the
    /// table's chains; loaded in <paramref name="ns"/> (what nft refuses is dropped) and taken as nft lists it.</summary>
    public static List<DifferentialBase> FromVectors(PrivateNetworkNamespace ns, int rulesPerFile, int maxFiles, Random rng)
    {
        var statuses = StatusTables.ByLine(ConformanceCorpus.LineStatuses());
        var files = ConformanceCorpus.LoadVectorFiles().OrderBy(_ => rng.Next()).Take(maxFiles).OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
        // Every file's table gets its own name (suffix __dsK) so all load in one go and nft lists them once.
        var commands = new List<string>();
        var names = new Dictionary<int, string>();
        for (int k = 0; k < files.Count; k++)
        {
            var file = files[k];
            var table = file.Tables.FirstOrDefault(t => t.Family == file.Folder) ?? file.Tables.FirstOrDefault();
            if (table is null || table.Chains.Count == 0) continue;
            var rules = file.EnabledOkRules
                .Where(r => statuses.TryGetValue((file.Name, r.Line), out var s) && s.Status == "ok_identical")
                .ToList();
            if (rules.Count == 0) continue;
            if (rules.Count > rulesPerFile) rules = rules.OrderBy(_ => rng.Next()).Take(rulesPerFile).OrderBy(r => r.Line).ToList();
            string name = table.Name + "__ds" + k;
            names[k] = file.Name;
            commands.Add($"add table {table.Family} {name}");
            commands.AddRange(table.Chains.Select(c => $"add chain {table.Family} {name} {c.Name} {{ {c.Spec}; }}"));
            foreach (var line in file.Lines)
            {
                switch (line)
                {
                    case SetDirective s when s.Expect == Expectation.Ok: commands.Add(s.ToCommand(table.Family, name)); break;
                    case ElementDirective e when e.Expect == Expectation.Ok: commands.Add(e.ToCommand(table.Family, name)); break;
                    case ObjectDirective o when o.Expect == Expectation.Ok: commands.Add(o.ToCommand(table.Family, name)); break;
                }
            }
            for (int i = 0; i < rules.Count; i++)
                commands.Add($"add rule {table.Family} {name} {table.Chains[i % table.Chains.Count].Name} {rules[i].Rule}");
        }
        ns.Flush();
        ns.NftLoadKeepingGood(commands);
        var bases = new List<DifferentialBase>();
        if (TryParse(ns.NftListRuleset()) is { } listed)
            foreach (var t in listed.Tables)
            {
                var m = System.Text.RegularExpressions.Regex.Match(t.Name, @"__ds(\d+)$");
                if (!m.Success || !t.Chains.Any(c => c.Rules.Count > 0)) continue;
                t.Name = t.Name[..m.Index];
                var r = new ListingRuleset();
                r.Tables.Add(t);
                bases.Add(new DifferentialBase("vectors " + names[int.Parse(m.Groups[1].Value)], r));
            }
        ns.Flush();
        return bases;
    }

    private static ListingRuleset? TryParse(string text)
    {
        try
        {
            // nft 1.0.6 lists a chain binding as `jump { … }` but cannot read that back: such listings are no base.
            if (text.Contains("jump {") || text.Contains("goto {")) return null;
            var r = ListingRuleset.Parse(text);
            return r.Tables.Count == 0 ? null : r;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
