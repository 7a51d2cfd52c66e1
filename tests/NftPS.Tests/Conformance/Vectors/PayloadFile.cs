namespace NftPS.Tests.Conformance.Vectors;

/// <summary>An anonymous set or map a rule creates, as recorded before the rule's header line:
/// `__set%d TABLE FLAGS`, then `__set%d TABLE 0` and tab-indented element lines.</summary>
public sealed record PayloadSet(string Name, string Table, string Flags, IReadOnlyList<string> Elements);

/// <summary>One block of a `.payload` file: the input rule, its anonymous sets, the header
/// (`FAMILY TABLE CHAIN`, informational) and the `[ ... ]` expression lines, without indentation.</summary>
public sealed record PayloadRecord(string Rule, int Line, IReadOnlyList<PayloadSet> Sets, string? Header, IReadOnlyList<string> Expressions)
{
    /// <summary>All element entries of all anonymous sets ("element 0021", ...), in order.</summary>
    public IEnumerable<string> Elements => Sets.SelectMany(s => s.Elements);
}

/// <summary>A parsed `.payload`, `.payload.FAMILY` or `--debug=netlink` output.</summary>
public sealed class PayloadFile
{
    private readonly Dictionary<string, PayloadRecord> _byRule = new(StringComparer.Ordinal);

    public PayloadFile(string name, IReadOnlyList<PayloadRecord> records)
    {
        Name = name;
        Records = records;
        foreach (var r in records) _byRule.TryAdd(r.Rule.Trim(), r);
    }

    public string Name { get; }
    public IReadOnlyList<PayloadRecord> Records { get; }

    /// <summary>The first record for this input rule (upstream matches `# RULE` after trimming).</summary>
    public PayloadRecord? Find(string rule) => _byRule.GetValueOrDefault(rule.Trim());

    public static PayloadFile Load(string path) => Parse(File.ReadAllText(path), Path.GetFileName(path));

    public static PayloadFile Parse(string text, string name = "<text>")
    {
        var records = new List<PayloadRecord>();
        string? rule = null;
        int ruleLine = 0;
        string? header = null;
        var sets = new List<PayloadSet>();
        var exprs = new List<string>();
        PayloadSet? openSet = null;
        var openElements = new List<string>();

        void CloseSet()
        {
            if (openSet is null) return;
            sets.Add(openSet with { Elements = openElements.ToList() });
            openSet = null;
            openElements.Clear();
        }

        void Flush()
        {
            CloseSet();
            if (rule is not null) records.Add(new PayloadRecord(rule, ruleLine, sets.ToList(), header, exprs.ToList()));
            rule = null;
            header = null;
            sets.Clear();
            exprs.Clear();
        }

        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            if (line.StartsWith('#'))
            {
                Flush();
                rule = line.Length > 2 ? line[2..].Trim() : "";
                ruleLine = i + 1;
                continue;
            }
            if (string.IsNullOrWhiteSpace(line)) continue;
            if (rule is null) rule = "";
            string t = line.Trim();
            if (t.StartsWith('['))
            {
                CloseSet();
                exprs.Add(t);
            }
            else if (line.StartsWith('\t') && t.StartsWith("element"))
            {
                openElements.AddRange(SplitElements(t));
            }
            else if (t.StartsWith("__"))
            {
                // `__set%d TABLE FLAGS` opens a set; the second `__set%d TABLE 0` line introduces its element batch.
                string[] f = t.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (openSet is not null && openSet.Name == f[0] && openElements.Count == 0) continue;
                CloseSet();
                openSet = new PayloadSet(f[0], f.Length > 1 ? f[1] : "", f.Length > 2 ? string.Join(' ', f[2..]) : "", Array.Empty<string>());
            }
            else
            {
                CloseSet();
                header = t;
            }
        }
        Flush();
        return new PayloadFile(name, records);
    }

    /// <summary>Parses `nft --debug=netlink` output into one record per rule, in the order nft added them. A rule block
    /// is a `FAMILY TABLE CHAIN` line followed by `  [ ... ]` lines; the anonymous sets (`__set%d`, `__map%d`,
    /// `__objmap%d` and their tab-indented elements) printed since the previous rule belong to it. Everything else
    /// (named sets, objects, chains) is skipped.</summary>
    public static IReadOnlyList<PayloadRecord> ParseNetlinkDebug(string text)
    {
        var records = new List<PayloadRecord>();
        var sets = new List<PayloadSet>();
        string[] lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        PayloadSet? openSet = null;
        var openElements = new List<string>();
        void CloseSet()
        {
            if (openSet is null) return;
            sets.Add(openSet with { Elements = openElements.ToList() });
            openSet = null;
            openElements.Clear();
        }
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            string t = line.Trim();
            if (t.Length == 0) continue;
            if (t.StartsWith("__"))
            {
                string[] f = t.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (openSet is not null && openSet.Name == f[0] && openElements.Count == 0) continue;
                CloseSet();
                openSet = new PayloadSet(f[0], f.Length > 1 ? f[1] : "", f.Length > 2 ? string.Join(' ', f[2..]) : "", Array.Empty<string>());
                continue;
            }
            if (line.StartsWith('\t') && t.StartsWith("element"))
            {
                if (openSet is not null) openElements.AddRange(SplitElements(t));
                continue;
            }
            CloseSet();
            if (!line.StartsWith("  [") && i + 1 < lines.Length && lines[i + 1].StartsWith("  ["))
            {
                var exprs = new List<string>();
                while (i + 1 < lines.Length && lines[i + 1].StartsWith("  ["))
                    exprs.Add(lines[++i].Trim());
                records.Add(new PayloadRecord("", i + 1, sets.ToList(), t, exprs));
                sets.Clear();
            }
            else if (!line.StartsWith("  ["))
            {
                // a named set, object or chain line: anonymous sets never precede those
                sets.Clear();
            }
        }
        return records;
    }

    /// <summary>Splits a tab-separated element line into single "element ..." entries.</summary>
    public static IEnumerable<string> SplitElements(string line) =>
        line.Split('\t', StringSplitOptions.RemoveEmptyEntries).Select(e => e.Trim()).Where(e => e.Length > 0);
}

/// <summary>Finds the expected expressions of a rule in a family, upstream's way: `FILE.payload.FAMILY` first, then `FILE.payload`.</summary>
public sealed class PayloadLookup
{
    private readonly PayloadFile? _common;
    private readonly Dictionary<string, PayloadFile> _perFamily;

    public PayloadLookup(PayloadFile? common, IDictionary<string, PayloadFile> perFamily)
    {
        _common = common;
        _perFamily = new Dictionary<string, PayloadFile>(perFamily, StringComparer.Ordinal);
    }

    /// <summary>Loads the payload files next to a `.t` file (any may be missing).</summary>
    public static PayloadLookup ForVectorFile(string vectorPath)
    {
        string dir = Path.GetDirectoryName(vectorPath)!;
        string baseName = Path.GetFileName(vectorPath) + ".payload";
        PayloadFile? common = File.Exists(Path.Combine(dir, baseName)) ? PayloadFile.Load(Path.Combine(dir, baseName)) : null;
        var perFamily = new Dictionary<string, PayloadFile>();
        foreach (string f in Directory.EnumerateFiles(dir, baseName + ".*"))
        {
            string prefix = Path.Combine(dir, baseName) + ".";
            if (!f.StartsWith(prefix, StringComparison.Ordinal)) continue;
            string family = f[prefix.Length..];
            if (family.Contains('.')) continue;
            perFamily[family] = PayloadFile.Load(f);
        }
        return new PayloadLookup(common, perFamily);
    }

    public IReadOnlyCollection<string> Families => _perFamily.Keys;
    public bool IsEmpty => _common is null && _perFamily.Count == 0;

    public PayloadRecord? Find(string rule, string family) =>
        (_perFamily.TryGetValue(family, out var f) ? f.Find(rule) : null) ?? _common?.Find(rule);
}
