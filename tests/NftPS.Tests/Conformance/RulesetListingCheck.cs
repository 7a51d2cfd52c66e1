using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Conformance;

/// <summary>One ruleset file loaded with nft and listed by nft and by a reader.</summary>
public sealed record RulesetCheck(string Name, bool Loaded, string? LoadError, string? NftListing, string? OurListing, string? ReaderError)
{
    public bool Identical => Loaded && NftListing is not null && OurListing is not null
        && RulesetListingCheck.Comparable(NftListing) == RulesetListingCheck.Comparable(OurListing);

    public string FirstDifference => NftListing is null || OurListing is null
        ? ReaderError ?? LoadError ?? "no listing"
        : RulesetListingCheck.FirstDifference(RulesetListingCheck.Comparable(NftListing), RulesetListingCheck.Comparable(OurListing));
}

/// <summary>Loads whole ruleset files (`nft -f FILE`) in private namespaces, a few in parallel, and compares
/// `nft list ruleset` with a reader's text of the same ruleset.</summary>
public static partial class RulesetListingCheck
{
    [GeneratedRegex(@" expires [0-9dhms]+")]
    private static partial Regex Expires();

    /// <summary>Element expiry counts down between nft's listing and ours; everything else must be equal byte for byte.</summary>
    public static string Comparable(string listing) => Expires().Replace(listing, " expires <t>");

    public static string FirstDifference(string expected, string actual)
    {
        string[] e = expected.Split('\n'), a = actual.Split('\n');
        for (int i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            string x = i < e.Length ? e[i] : "<end>", y = i < a.Length ? a[i] : "<end>";
            if (x != y) return $"line {i + 1}: nft `{x.Replace("\t", "\\t")}` ours `{y.Replace("\t", "\\t")}`";
        }
        return "identical";
    }

    public static IReadOnlyList<RulesetCheck> Run(IReadOnlyList<(string Name, string Path)> files, IRulesetTextReader reader, int workers = 3)
    {
        var results = ScratchNamespaceWorkers.Run(files, "rs", workers, (ns, f) => Check(ns, f.Name, f.Path, reader));
        return results.OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
    }

    public static RulesetCheck Check(ScratchNamespace ns, string name, string path, IRulesetTextReader reader)
    {
        // Loaded by path so that relative includes resolve as they do for nft users.
        var load = NftRunner.Nft(ns.Name, new[] { "-f", path }, timeZone: reader.Style.TimeZone);
        if (load.ExitCode != 0) return new RulesetCheck(name, false, ScratchNamespaceWorkers.FirstLine(load.StdErr), null, null, null);
        var list = NftRunner.Nft(ns.Name, reader.Style.NftOptions().Concat(new[] { "list", "ruleset" }), timeZone: reader.Style.TimeZone);
        if (list.ExitCode != 0) return new RulesetCheck(name, true, "nft list ruleset: " + ScratchNamespaceWorkers.FirstLine(list.StdErr), null, null, null);
        if (reader.UnavailableReason is { } why) return new RulesetCheck(name, true, null, list.StdOut, null, "not available: " + why);
        try
        {
            return new RulesetCheck(name, true, null, list.StdOut, reader.ReadRulesetText(ns.Name), null);
        }
        catch (Exception e)
        {
            return new RulesetCheck(name, true, null, list.StdOut, null, $"{e.GetType().Name}: {e.Message}");
        }
    }

    public static string ToMarkdown(string title, IReadOnlyList<RulesetCheck> checks, IRulesetTextReader reader, double goal, TimeSpan duration)
    {
        var loaded = checks.Where(c => c.Loaded).ToList();
        int identical = loaded.Count(c => c.Identical);
        var sb = new StringBuilder();
        sb.AppendLine($"# {title}: {reader.Name} vs `{reader.Style} list ruleset`");
        sb.AppendLine();
        sb.AppendLine($"{checks.Count} files, {loaded.Count} loaded by nft, {identical} listed identically by NftPS "
            + $"({(loaded.Count == 0 ? 0 : 100.0 * identical / loaded.Count):0.0}%; goal {goal:P0}), {duration.TotalSeconds:0.0}s.");
        if (reader.UnavailableReason is { } why) sb.AppendLine().AppendLine($"**NftPS side not available:** {why}");
        var failing = loaded.Where(c => !c.Identical).ToList();
        if (failing.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine($"## Differing ({failing.Count})");
            sb.AppendLine();
            foreach (var c in failing) sb.AppendLine($"- `{c.Name}`: {c.FirstDifference}");
        }
        var notLoaded = checks.Where(c => !c.Loaded).ToList();
        if (notLoaded.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine($"## Not loaded by nft ({notLoaded.Count})");
            sb.AppendLine();
            foreach (var c in notLoaded) sb.AppendLine($"- `{c.Name}`: {c.LoadError}");
        }
        return sb.ToString();
    }

    public static TimeSpan Time(Action a)
    {
        var sw = Stopwatch.StartNew();
        a();
        return sw.Elapsed;
    }
}
