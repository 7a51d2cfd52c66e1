using NftPS.NfTables;

namespace NftPS.Fuzz;

/// <summary>Starting inputs read at run time from ../shared/conformance (never copied into the repository): the rule
/// lines of nft-py/**/*.t with the families their `*` lines name, the complete rulesets of nft-dumps/**/*.nft, and
/// the JSON rule forms of nft-py/**/*.t.json wrapped into whole `{"nftables":[...]}` documents.</summary>
public sealed class FuzzSeeds
{
    public required IReadOnlyList<(NftFamily Family, string Rule)> Rules { get; init; }
    public required IReadOnlyList<string> Scripts { get; init; }
    public required IReadOnlyList<string> JsonDocuments { get; init; }

    private static readonly Dictionary<string, NftFamily> Families = new()
    {
        ["ip"] = NftFamily.Ip, ["ip6"] = NftFamily.Ip6, ["inet"] = NftFamily.Inet, ["arp"] = NftFamily.Arp,
        ["bridge"] = NftFamily.Bridge, ["netdev"] = NftFamily.Netdev,
    };

    /// <summary>The conformance folder: $NFTPS_CONFORMANCE, else ../shared/conformance above the working directory
    /// or this assembly.</summary>
    public static string? FindConformance()
    {
        string? env = Environment.GetEnvironmentVariable("NFTPS_CONFORMANCE");
        if (env is not null && Directory.Exists(env)) return env;
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "shared", "conformance");
                if (Directory.Exists(Path.Combine(candidate, "nft-py"))) return candidate;
            }
        }
        return null;
    }

    public static FuzzSeeds Load(string conformance)
    {
        string vectors = Path.Combine(conformance, "nft-py");
        var rules = new List<(NftFamily, string)>();
        var scripts = new List<string>();
        var json = new List<string>();
        foreach (string path in Directory.EnumerateFiles(vectors, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (path.EndsWith(".t") || path.EndsWith(".t.netdev")) ReadVectorFile(path, rules, scripts);
            else if (path.EndsWith(".t.json")) ReadJsonFile(path, json);
        }
        foreach (string path in Directory.EnumerateFiles(Path.Combine(conformance, "nft-dumps"), "*.nft", SearchOption.AllDirectories)
                     .Order(StringComparer.Ordinal))
            scripts.Add(File.ReadAllText(path));
        return new FuzzSeeds { Rules = rules, Scripts = scripts, JsonDocuments = json };
    }

    /// <summary>Rule lines (`RULE;ok…` or `RULE;fail`) for every family of the file's `*` lines; each file's rules
    /// also become one script (a table block per family) so the file parser sees rules in context.</summary>
    private static void ReadVectorFile(string path, List<(NftFamily, string)> rules, List<string> scripts)
    {
        var families = new List<NftFamily>();
        var fileRules = new List<string>();
        foreach (string raw in File.ReadLines(path))
        {
            string line = raw.TrimEnd();
            if (line.Length == 0 || "#:!?%-".Contains(line[0])) continue;
            if (line[0] == '*')
            {
                string fam = line[1..].Split(';')[0];
                if (Families.TryGetValue(fam, out var f) && !families.Contains(f)) families.Add(f);
                continue;
            }
            string rule = line.Split(';')[0];
            if (rule.Length == 0) continue;
            fileRules.Add(rule);
            foreach (var f in families) rules.Add((f, rule));
        }
        if (fileRules.Count == 0 || families.Count == 0) return;
        var sb = new System.Text.StringBuilder();
        string family = FamilyWord(families[0]);
        sb.Append("table ").Append(family).Append(" t {\n\tchain c {\n");
        foreach (string r in fileRules.Take(40)) sb.Append("\t\t").Append(r).Append('\n');
        sb.Append("\t}\n}\n");
        scripts.Add(sb.ToString());
    }

    /// <summary>Each `# rule` heading is followed by the rule's statements as a JSON array.</summary>
    private static void ReadJsonFile(string path, List<string> documents)
    {
        var current = new System.Text.StringBuilder();
        void Flush()
        {
            string expr = current.ToString().Trim();
            current.Clear();
            if (expr.Length == 0) return;
            documents.Add(
                "{\"nftables\": [{\"metainfo\": {\"json_schema_version\": 1}},\n" +
                " {\"table\": {\"family\": \"inet\", \"name\": \"t\"}},\n" +
                " {\"chain\": {\"family\": \"inet\", \"table\": \"t\", \"name\": \"c\", \"type\": \"filter\", \"hook\": \"input\", \"prio\": 0, \"policy\": \"accept\"}},\n" +
                " {\"set\": {\"family\": \"inet\", \"table\": \"t\", \"name\": \"s\", \"type\": \"ipv4_addr\", \"flags\": [\"interval\"], \"elem\": [\"10.0.0.1\", {\"prefix\": {\"addr\": \"10.1.0.0\", \"len\": 16}}]}},\n" +
                " {\"rule\": {\"family\": \"inet\", \"table\": \"t\", \"chain\": \"c\", \"expr\": " + expr + "}}]}");
        }
        foreach (string line in File.ReadLines(path))
        {
            if (line.StartsWith('#')) { Flush(); continue; }
            current.Append(line).Append('\n');
        }
        Flush();
    }

    public static string FamilyWord(NftFamily f) => f switch
    {
        NftFamily.Ip => "ip", NftFamily.Ip6 => "ip6", NftFamily.Inet => "inet", NftFamily.Arp => "arp",
        NftFamily.Bridge => "bridge", NftFamily.Netdev => "netdev", _ => "inet",
    };
}
