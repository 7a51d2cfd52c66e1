using NftPS.Tests.Conformance.Vectors;
using NftPS.Tests.Infrastructure;

namespace NftPS.Tests.Conformance;

/// <summary>Where the shared conformance data lives (read at run time from ../shared, never copied).</summary>
public static class ConformanceCorpus
{
    public static readonly string[] Folders = { "any", "arp", "bridge", "inet", "ip", "ip6", "netdev" };

    public static string Root => Path.Combine(TestEnvironment.RequireShared(), "conformance");
    public static string VectorRoot => Path.Combine(Root, "nft-py");
    public static string DumpRoot => Path.Combine(Root, "nft-dumps");
    public static string ScenarioRoot => Path.Combine(TestEnvironment.RequireShared(), "scenarios");

    /// <summary>Every `.t` file (plus `any/icmpX.t.netdev`, a `.t` file by another name), named relative to nft-py/.</summary>
    public static IReadOnlyList<string> VectorFilePaths() =>
        Folders.SelectMany(f => Directory.EnumerateFiles(Path.Combine(VectorRoot, f)))
            .Where(p => p.EndsWith(".t") || p.EndsWith(".t.netdev"))
            .OrderBy(p => p, StringComparer.Ordinal).ToList();

    public static string RelativeName(string path) => Path.GetRelativePath(VectorRoot, path).Replace('\\', '/');

    public static IReadOnlyList<VectorFile> LoadVectorFiles() =>
        VectorFilePaths().Select(p => VectorFileParser.ParseFile(p, RelativeName(p))).ToList();

    public static IReadOnlyList<LineStatus> LineStatuses() => StatusTables.LoadLines(Path.Combine(Root, "nft-1.0.6-lines.tsv"));
    public static IReadOnlyList<DumpStatus> DumpStatuses() => StatusTables.LoadDumps(Path.Combine(Root, "nft-1.0.6-dumps-status.tsv"));

    /// <summary>Where reports go: TestResults/ under the test output directory.</summary>
    public static string ReportPath(string fileName)
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "TestResults");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, fileName);
    }
}
