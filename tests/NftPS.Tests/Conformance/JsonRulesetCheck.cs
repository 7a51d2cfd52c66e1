using System.Text;
using System.Text.Json.Nodes;
using NftPS.Language.Json;

namespace NftPS.Tests.Conformance;

/// <summary>One ruleset file loaded with nft, listed as JSON by nft and by NftPS, and our JSON loaded back.</summary>
public sealed record JsonRulesetCheck(string Name, bool Loaded, string? LoadError, string? NftJson, string? OurJson, string? OurError,
    bool? LoadsBack = null, string? LoadBackError = null)
{
    /// <summary>Both parse to equal JSON trees (member order within an object not significant).</summary>
    public bool Equal => Loaded && NftJson is not null && OurJson is not null && JsonRulesetChecks.StructurallyEqual(NftJson, OurJson);

    /// <summary>Byte for byte what nft prints (without its trailing newline).</summary>
    public bool SameText => Loaded && NftJson is not null && OurJson is not null && NftJson.TrimEnd('\n') == OurJson;

    public string FirstDifference => NftJson is null || OurJson is null
        ? OurError ?? LoadError ?? "no listing"
        : JsonRulesetChecks.FirstDifference(NftJson, OurJson);
}

/// <summary>Loads ruleset files (`nft -f FILE`) in private namespaces, a few in parallel, and compares
/// `nft -j list ruleset` with NftPS's JSON of the same ruleset; then feeds our JSON to `nft -j -f -` after a flush
/// and compares `nft list ruleset` with the listing of the original load.</summary>
public static class JsonRulesetChecks
{
    public static IReadOnlyList<JsonRulesetCheck> Run(IReadOnlyList<(string Name, string Path)> files, bool loadBack, int workers = 3)
    {
        var results = ScratchNamespaceWorkers.Run(files, "js", workers, (ns, f) => Check(ns, f.Name, f.Path, loadBack));
        return results.OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
    }

    public static JsonRulesetCheck Check(ScratchNamespace ns, string name, string path, bool loadBack)
    {
        var load = NftRunner.Nft(ns.Name, new[] { "-f", path });
        if (load.ExitCode != 0) return new JsonRulesetCheck(name, false, ScratchNamespaceWorkers.FirstLine(load.StdErr), null, null, null);
        var json = NftRunner.Nft(ns.Name, new[] { "-j", "list", "ruleset" });
        if (json.ExitCode != 0) return new JsonRulesetCheck(name, true, "nft -j list ruleset: " + ScratchNamespaceWorkers.FirstLine(json.StdErr), null, null, null);
        string ours;
        try
        {
            ours = RulesetJson.ToText(NftPsReaders.Read(ns.Name));
        }
        catch (Exception e)
        {
            return new JsonRulesetCheck(name, true, null, json.StdOut, null, $"{e.GetType().Name}: {e.Message}");
        }
        var check = new JsonRulesetCheck(name, true, null, json.StdOut, ours, null);
        if (!loadBack) return check;
        var listing = NftRunner.Nft(ns.Name, new[] { "list", "ruleset" }).EnsureSuccess("nft list ruleset").StdOut;
        ns.Flush();
        var reload = NftRunner.Nft(ns.Name, new[] { "-j", "-f", "-" }, ours);
        if (reload.ExitCode != 0) return check with { LoadsBack = false, LoadBackError = "nft -j -f: " + ScratchNamespaceWorkers.FirstLine(reload.StdErr) };
        var relisted = NftRunner.Nft(ns.Name, new[] { "list", "ruleset" }).EnsureSuccess("nft list ruleset").StdOut;
        string a = RulesetListingCheck.Comparable(listing), b = RulesetListingCheck.Comparable(relisted);
        return a == b
            ? check with { LoadsBack = true }
            : check with { LoadsBack = false, LoadBackError = RulesetListingCheck.FirstDifference(a, b) };
    }

    public static bool StructurallyEqual(string a, string b)
    {
        try
        {
            return JsonNode.DeepEquals(Normalize(JsonNode.Parse(a)), Normalize(JsonNode.Parse(b)));
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    /// <summary>Element expiry counts down between two listings; everything else must be equal.</summary>
    public static JsonNode? Normalize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToList())
                {
                    if (key == "expires") o[key] = 0;
                    else Normalize(o[key]);
                }
                break;
            case JsonArray a:
                foreach (var x in a) Normalize(x);
                break;
        }
        return node;
    }

    /// <summary>The first top-level item (table, chain, rule…) that differs, both sides shown.</summary>
    public static string FirstDifference(string nft, string ours)
    {
        JsonArray? x, y;
        try
        {
            x = Normalize(JsonNode.Parse(nft))?["nftables"]?.AsArray();
            y = Normalize(JsonNode.Parse(ours))?["nftables"]?.AsArray();
        }
        catch (System.Text.Json.JsonException e)
        {
            return "unparsable: " + e.Message;
        }
        if (x is null || y is null) return "no nftables array";
        for (int i = 0; i < Math.Max(x.Count, y.Count); i++)
        {
            var a = i < x.Count ? x[i] : null;
            var b = i < y.Count ? y[i] : null;
            if (!JsonNode.DeepEquals(a, b))
                return $"item {i}: nft `{a?.ToJsonString() ?? "<end>"}` ours `{b?.ToJsonString() ?? "<end>"}`";
        }
        return "identical";
    }

    public static string ToMarkdown(string title, IReadOnlyList<JsonRulesetCheck> checks, TimeSpan duration)
    {
        var loaded = checks.Where(c => c.Loaded).ToList();
        int equal = loaded.Count(c => c.Equal), same = loaded.Count(c => c.SameText);
        var tried = loaded.Where(c => c.LoadsBack is not null).ToList();
        int back = tried.Count(c => c.LoadsBack == true);
        var sb = new StringBuilder();
        sb.AppendLine($"# {title}: NftPS RulesetJson vs `nft -j list ruleset` (nft 1.0.6)");
        sb.AppendLine();
        sb.AppendLine($"{checks.Count} files, {loaded.Count} loaded by nft, {duration.TotalSeconds:0.0}s.");
        sb.AppendLine();
        sb.AppendLine("| measure | count | rate |");
        sb.AppendLine("| --- | --- | --- |");
        sb.AppendLine($"| our JSON parses equal to nft's | {equal}/{loaded.Count} | {Rate(equal, loaded.Count)} |");
        sb.AppendLine($"| our JSON byte-identical to nft's | {same}/{loaded.Count} | {Rate(same, loaded.Count)} |");
        if (tried.Count > 0) sb.AppendLine($"| our JSON loads with `nft -j -f` to the same listing | {back}/{tried.Count} | {Rate(back, tried.Count)} |");
        var failing = loaded.Where(c => !c.Equal).ToList();
        if (failing.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine($"## JSON differs ({failing.Count})");
            sb.AppendLine();
            foreach (var c in failing) sb.AppendLine($"- `{c.Name}`: {Short(c.FirstDifference)}");
        }
        var notBack = tried.Where(c => c.LoadsBack == false).ToList();
        if (notBack.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine($"## Our JSON does not load back the same ({notBack.Count})");
            sb.AppendLine();
            sb.AppendLine($"{notBack.Count(c => c.Equal)} of these equal nft's own JSON, so nft 1.0.6 cannot load "
                + "its own listing back either (its JSON has no typeof, no netdev chain devices, statements without a JSON "
                + "form written as text, sets listed before the chains their elements jump to).");
            sb.AppendLine();
            foreach (var c in notBack) sb.AppendLine($"- `{c.Name}`{(c.Equal ? "" : " **(our JSON differs from nft's)**")}: {Short(c.LoadBackError ?? "")}");
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

    private static string Rate(int n, int d) => d == 0 ? "-" : $"{100.0 * n / d:0.0}%";

    private static string Short(string s) => s.Length > 600 ? s[..600] + "…" : s;
}
