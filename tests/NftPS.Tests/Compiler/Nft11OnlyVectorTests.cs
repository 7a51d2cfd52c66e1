using System.Text;
using NftPS.Language.Evaluate;
using NftPS.Language.Linearize;
using NftPS.Language.Syntax;
using NftPS.Tests.Infrastructure;
using Xunit.Abstractions;

namespace NftPS.Tests.Compiler;

/// <summary>The `ok` vectors nft 1.0.6 refuses (nft-1.0.6-lines.tsv: status rejected; newer syntax such as `last`)
/// have no local oracle: their expressions are compared with upstream's recorded .payload only. Counts the (rule,
/// table) units that compile to exactly those lines.</summary>
public class Nft11OnlyVectorTests
{
    private readonly ITestOutputHelper _out;
    public Nft11OnlyVectorTests(ITestOutputHelper output) => _out = output;

    /// <summary>Units that compile to their .payload so far; raise it as newer syntax is added.</summary>
    private const int Floor = 326;

    [SharedFact]
    public void Newer_ok_vectors_compile_to_their_recorded_payload()
    {
        string conformance = Path.Combine(TestEnvironment.RequireShared(), "conformance");
        string root = Path.Combine(conformance, "nft-py");
        var newer = new HashSet<(string, int)>();
        foreach (var l in File.ReadLines(Path.Combine(conformance, "nft-1.0.6-lines.tsv")).Skip(1))
        {
            var f = l.Split('\t');
            if (f.Length > 5 && f[2] == "ok" && f[5] == "0" && int.TryParse(f[1], out int n)) newer.Add((f[0], n));
        }
        int pass = 0, total = 0;
        var report = new StringBuilder();
        foreach (var file in newer.Select(x => x.Item1).Distinct().OrderBy(x => x, StringComparer.Ordinal))
        {
            string path = Path.Combine(root, file);
            var (units, sets) = CompilerConformanceTests.ReadFile(path, file);
            var cache = new Dictionary<string, Dictionary<string, List<string>>>();
            foreach (var u in units.Where(u => u.Ok && newer.Contains((file, u.Line))))
            {
                var expected = CompilerConformanceTests.Expected(path, u.Family, u.Rule, cache);
                if (expected is null) continue;
                total++;
                var ctx = new CompileContext
                {
                    Family = CompilerConformanceTests.ParseFamily(u.Family), Table = u.Table,
                    FindSet = n => sets.TryGetValue((u.Family, n), out var d) ? d : null,
                };
                string outcome;
                try
                {
                    var actual = RuleCompiler.Compile(u.Rule, ctx).DebugLines.ToList();
                    bool same = CompilerConformanceTests.Normalize(actual).SequenceEqual(CompilerConformanceTests.Normalize(expected));
                    if (same) pass++;
                    outcome = same ? "equal" : "differs: " + string.Join(" ", actual);
                }
                catch (NftLanguageException e) { outcome = "refused: " + e.Reason; }
                report.AppendLine($"{file}:{u.Line} [{u.Family}] {u.Rule} -> {outcome}");
            }
        }
        string summary = $"nft 1.1-only ok units equal to their .payload: {pass}/{total}";
        _out.WriteLine(summary);
        File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "nft11-only.txt"), summary + "\n" + report);
        Assert.True(total > 0);
        Assert.True(pass >= Floor, summary);
    }
}
