namespace NftPS.Tests.Conformance.Vectors;

/// <summary>A row of nft-1.0.6-lines.tsv: how nft 1.0.6 handled one rule line.</summary>
public sealed record LineStatus(
    string File, int Line, string Expect, string Status, int Units, int AcceptedUnits, int ListedIdenticalUnits,
    int PayloadMatchUnits, string RejectSide, string FirstError, string ListedAs, string Rule)
{
    /// <summary>Accepted in every (table, chain) pair: the vectors the read-back goal counts.</summary>
    public bool Accepted => Status is "ok_identical" or "ok_listing_differs";
    public bool PartlyAccepted => Status == "partly_rejected";
}

/// <summary>A row of nft-1.0.6-dumps-status.tsv.</summary>
public sealed record DumpStatus(string File, bool Loaded, bool ListedIdentical, string FirstError);

public static class StatusTables
{
    public static IReadOnlyList<LineStatus> LoadLines(string path) =>
        Rows(path).Select(f => new LineStatus(f[0], int.Parse(f[1]), f[2], f[3], Int(f[4]), Int(f[5]), Int(f[6]), Int(f[7]),
            f[8], f[9], f[10], f[11])).ToList();

    public static IReadOnlyList<DumpStatus> LoadDumps(string path) =>
        Rows(path).Select(f => new DumpStatus(f[0], f[1] == "1", f[2] == "1", f.Length > 3 ? f[3] : "")).ToList();

    /// <summary>Keyed by (file, line).</summary>
    public static IReadOnlyDictionary<(string File, int Line), LineStatus> ByLine(IEnumerable<LineStatus> rows) =>
        rows.ToDictionary(r => (r.File, r.Line));

    private static int Int(string s) => s.Length == 0 ? 0 : int.Parse(s);

    /// <summary>Data rows split on tabs, padded to the header's width (trailing empty columns may be cut).</summary>
    private static IEnumerable<string[]> Rows(string path)
    {
        string[] lines = File.ReadAllLines(path);
        int width = lines[0].Split('\t').Length;
        foreach (string line in lines.Skip(1))
        {
            if (line.Length == 0) continue;
            string[] f = line.Split('\t');
            if (f.Length < width) f = f.Concat(Enumerable.Repeat("", width - f.Length)).ToArray();
            yield return f;
        }
    }
}
