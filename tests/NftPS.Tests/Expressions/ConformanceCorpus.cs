using System.Text.RegularExpressions;

namespace NftPS.Tests.Expressions;

/// <summary>Reads the rule vectors of ../shared/conformance/nft-py/**/*.t (at test time, never copied) and turns one
/// file into nft commands: a preamble (tables, chains, sets, elements, objects) and the rules to add.</summary>
public sealed class ConformanceFile
{
    public required string RelativePath { get; init; }
    /// <summary>Commands creating tables, chains, sets, elements and objects, in file order; each is loaded alone.</summary>
    public List<string> Preamble { get; } = new();
    /// <summary>`add rule ...` commands, one per (table, chain, rule).</summary>
    public List<(string Command, string Rule, int Line)> Rules { get; } = new();

    private static readonly Regex SetLine = new(@"^!(\S+)\s+(type|typeof)\s+(.*?)(\s+timeout\s+(\S+))?(\s+flags\s+(.+))?$");

    public static ConformanceFile Parse(string path, string root, ISet<(string File, int Line)>? rejectedLines = null)
    {
        string rel = Path.GetRelativePath(root, path).Replace('\\', '/');
        var file = new ConformanceFile { RelativePath = rel };
        var templates = new Dictionary<string, string>();
        var tables = new List<(string Family, string Table, string[] Chains)>();
        int lineNo = 0;
        foreach (string raw in File.ReadLines(path))
        {
            lineNo++;
            string line = raw.TrimEnd();
            if (line.Length == 0 || line[0] == '#' || line.StartsWith("- ")) continue;
            switch (line[0])
            {
                case ':':
                {
                    int semi = line.IndexOf(';');
                    if (semi > 0) templates[line[1..semi]] = line[(semi + 1)..];
                    break;
                }
                case '*':
                {
                    var parts = line[1..].Split(';');
                    if (parts.Length < 3) break;
                    var chains = parts[2].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    tables.Add((parts[0], parts[1], chains));
                    file.Preamble.Add($"add table {parts[0]} {parts[1]}");
                    foreach (var c in chains)
                        if (templates.TryGetValue(c, out var spec))
                            file.Preamble.Add($"add chain {parts[0]} {parts[1]} {c} {{ {spec}; }}");
                    break;
                }
                case '!':
                {
                    if (!line.EndsWith(";ok")) break;
                    var m = SetLine.Match(line[..^3]);
                    if (!m.Success) break;
                    string kind = m.Groups[3].Value.Contains(" : ") ? "map" : "set";
                    string body = $"{m.Groups[2].Value} {m.Groups[3].Value};";
                    if (m.Groups[5].Success) body += $" timeout {m.Groups[5].Value};";
                    if (m.Groups[7].Success) body += $" flags {m.Groups[7].Value};";
                    foreach (var t in tables)
                        file.Preamble.Add($"add {kind} {t.Family} {t.Table} {m.Groups[1].Value} {{ {body} }}");
                    break;
                }
                case '?':
                {
                    if (!line.EndsWith(";ok")) break;
                    string rest = line[1..^3];
                    int sp = rest.IndexOf(' ');
                    if (sp < 0) break;
                    foreach (var t in tables)
                        file.Preamble.Add($"add element {t.Family} {t.Table} {rest[..sp]} {{ {rest[(sp + 1)..]} }}");
                    break;
                }
                case '%':
                {
                    if (!line.EndsWith(";ok")) break;
                    string rest = line[1..^3];
                    var m = Regex.Match(rest, @"^(\S+)\s+type\s+(ct helper|ct timeout|ct expectation|\S+)\s*(.*)$");
                    if (!m.Success) break;
                    foreach (var t in tables)
                        file.Preamble.Add($"add {m.Groups[2].Value} {t.Family} {t.Table} {m.Groups[1].Value} {m.Groups[3].Value}".TrimEnd());
                    break;
                }
                default:
                {
                    var fields = line.Split(';');
                    if (fields.Length < 2 || fields[1] != "ok") break;
                    if (rejectedLines?.Contains((rel, lineNo)) == true) break;
                    foreach (var t in tables)
                        foreach (var c in t.Chains)
                            file.Rules.Add(($"add rule {t.Family} {t.Table} {c} {fields[0]}", fields[0], lineNo));
                    break;
                }
            }
        }
        return file;
    }

    /// <summary>Rule lines that nft 1.0.6 is known to reject (nft-1.0.6-lines.tsv), to save load attempts.</summary>
    public static HashSet<(string File, int Line)> ReadRejectedLines(string conformanceDir)
    {
        var set = new HashSet<(string, int)>();
        string tsv = Path.Combine(conformanceDir, "nft-1.0.6-lines.tsv");
        if (!File.Exists(tsv)) return set;
        foreach (var l in File.ReadLines(tsv).Skip(1))
        {
            var f = l.Split('\t');
            if (f.Length > 3 && f[3].StartsWith("rejected") && int.TryParse(f[1], out int n)) set.Add((f[0], n));
        }
        return set;
    }

    public static IEnumerable<string> Files(string nftPyDir) =>
        Directory.EnumerateFiles(nftPyDir, "*.t", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(nftPyDir, "*.t.netdev", SearchOption.AllDirectories))
            .OrderBy(p => p, StringComparer.Ordinal);
}
