using System.Text;
using NftPS.Tests.Conformance.Vectors;

namespace NftPS.Tests.Conformance;

/// <summary>How one reader did on one `;ok` line across all its (table, chain) units.</summary>
public enum LineOutcome { NotAccepted, Identical, Differs, Error, NotAvailable }

public sealed record LineResult(VectorFile File, RuleVector Vector, IReadOnlyList<ReplayUnit> Units, LineOutcome Outcome, ReplayUnit? Example)
{
    public string Folder => File.Folder;
}

/// <summary>Per-family and per-folder counts of a reader's rule text against nft's listing, plus every failing
/// vector with nft's text and the reader's, as a markdown report.</summary>
public sealed class ReadConformanceReport
{
    public ReadConformanceReport(ReplayRun run, IRuleTextReader reader)
    {
        Run = run;
        Reader = reader;
        Lines = run.Units.GroupBy(u => (u.File.Name, u.Vector.Line))
            .Select(g => Classify(g.First().File, g.First().Vector, g.ToList()))
            .OrderBy(l => l.File.Name, StringComparer.Ordinal).ThenBy(l => l.Vector.Line).ToList();
    }

    public ReplayRun Run { get; }
    public IRuleTextReader Reader { get; }
    public IReadOnlyList<LineResult> Lines { get; }

    public IEnumerable<LineResult> Accepted => Lines.Where(l => l.Outcome != LineOutcome.NotAccepted);
    public int AcceptedCount => Accepted.Count();
    public int IdenticalCount => Lines.Count(l => l.Outcome == LineOutcome.Identical);
    public double IdenticalRate => AcceptedCount == 0 ? 0 : (double)IdenticalCount / AcceptedCount;

    private LineResult Classify(VectorFile file, RuleVector vector, List<ReplayUnit> units)
    {
        if (units.Any(u => !u.Accepted || u.Handle is null))
            return new LineResult(file, vector, units, LineOutcome.NotAccepted, units.FirstOrDefault(u => !u.Accepted));
        if (Reader.UnavailableReason is not null) return new LineResult(file, vector, units, LineOutcome.NotAvailable, null);
        var differing = units.FirstOrDefault(u => UnitOutcome(u) == LineOutcome.Differs);
        if (differing is not null) return new LineResult(file, vector, units, LineOutcome.Differs, differing);
        var error = units.FirstOrDefault(u => UnitOutcome(u) == LineOutcome.Error);
        if (error is not null) return new LineResult(file, vector, units, LineOutcome.Error, error);
        return new LineResult(file, vector, units, LineOutcome.Identical, null);
    }

    public LineOutcome UnitOutcome(ReplayUnit u)
    {
        if (!u.Accepted || u.Handle is null) return LineOutcome.NotAccepted;
        if (Reader.UnavailableReason is not null) return LineOutcome.NotAvailable;
        if (!u.Listings.TryGetValue(Reader.Style, out var nft)) return LineOutcome.Error;
        if (!u.ReaderTexts.TryGetValue(Reader.Name, out var ours) || ours is null) return LineOutcome.Error;
        return ours.Trim() == nft.Trim() ? LineOutcome.Identical : LineOutcome.Differs;
    }

    /// <summary>The (up to two) words of nft's text just before the reader's text starts to differ, usually the field
    /// or statement being printed; "(error)" when there is no text to compare.</summary>
    private string DivergenceWord(LineResult l)
    {
        var u = l.Example!;
        if (!u.Listings.TryGetValue(Reader.Style, out var nft) || u.ReaderTexts.GetValueOrDefault(Reader.Name) is not { } ours)
            return "(error)";
        string[] a = nft.Split(' '), b = ours.Split(' ');
        int i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i]) i++;
        string context = string.Join(' ', a[Math.Max(0, i - 2)..Math.Min(i, a.Length)]);
        return context.Length == 0 ? "(start)" : context + " …";
    }

    private static string Percent(int n, int of) => of == 0 ? "-" : $"{100.0 * n / of:0.0}%";

    public string ToMarkdown(double goal)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"# Rule read-back conformance: {Reader.Name} vs `{Reader.Style}`");
        sb.AppendLine();
        sb.AppendLine($"Replayed {Run.Files.Count} vector files ({Run.Units.Count()} rule units) in {Run.Duration.TotalSeconds:0.0}s with {Run.Workers} namespaces, "
            + $"{Run.Files.Sum(f => f.NftInvocations)} nft invocations.");
        if (Reader.UnavailableReason is { } why)
        {
            sb.AppendLine();
            sb.AppendLine($"**NftPS side not available:** {why}");
        }
        sb.AppendLine();
        sb.AppendLine($"Goal: identical for >= {goal:P0} of the `;ok` lines nft accepts in every table/chain. "
            + $"Result: {IdenticalCount}/{AcceptedCount} = {Percent(IdenticalCount, AcceptedCount)}.");
        sb.AppendLine();
        sb.AppendLine("## By folder (vector lines)");
        sb.AppendLine();
        sb.AppendLine("| folder | ok lines | accepted by nft | identical | differing | errors | not available | identical % |");
        sb.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var g in Lines.GroupBy(l => l.Folder).OrderBy(g => g.Key).Append(Lines.GroupBy(_ => "total").First()))
        {
            int acc = g.Count(l => l.Outcome != LineOutcome.NotAccepted);
            int id = g.Count(l => l.Outcome == LineOutcome.Identical);
            sb.AppendLine($"| {g.Key} | {g.Count()} | {acc} | {id} | {g.Count(l => l.Outcome == LineOutcome.Differs)} | "
                + $"{g.Count(l => l.Outcome == LineOutcome.Error)} | {g.Count(l => l.Outcome == LineOutcome.NotAvailable)} | {Percent(id, acc)} |");
        }
        sb.AppendLine();
        sb.AppendLine("## By table family (rule units: one line in one table/chain)");
        sb.AppendLine();
        sb.AppendLine("| family | units | accepted by nft | identical | differing | errors | not available | identical % |");
        sb.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        var units = Run.Units.ToList();
        foreach (var g in units.GroupBy(u => u.Family).OrderBy(g => g.Key).Append(units.GroupBy(_ => "total").First()))
        {
            var outcomes = g.Select(UnitOutcome).ToList();
            int acc = outcomes.Count(o => o != LineOutcome.NotAccepted);
            int id = outcomes.Count(o => o == LineOutcome.Identical);
            sb.AppendLine($"| {g.Key} | {g.Count()} | {acc} | {id} | {outcomes.Count(o => o == LineOutcome.Differs)} | "
                + $"{outcomes.Count(o => o == LineOutcome.Error)} | {outcomes.Count(o => o == LineOutcome.NotAvailable)} | {Percent(id, acc)} |");
        }

        var failing = Lines.Where(l => l.Outcome is LineOutcome.Differs or LineOutcome.Error).ToList();
        if (failing.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("## Failing vectors by where the texts part (nft's words just before the first difference)");
            sb.AppendLine();
            sb.AppendLine("| context | lines | example |");
            sb.AppendLine("| --- | ---: | --- |");
            foreach (var g in failing.GroupBy(l => DivergenceWord(l)).OrderByDescending(g => g.Count()).ThenBy(g => g.Key))
                sb.AppendLine($"| `{g.Key}` | {g.Count()} | `{g.First().File.Name}:{g.First().Vector.Line}` |");

            sb.AppendLine();
            sb.AppendLine($"## Failing vectors ({failing.Count})");
            sb.AppendLine();
            foreach (var l in failing)
            {
                var u = l.Example!;
                string nft = u.Listings.GetValueOrDefault(Reader.Style) ?? "(no nft listing)";
                string ours = u.ReaderTexts.GetValueOrDefault(Reader.Name) ?? "(error) " + u.ReaderErrors.GetValueOrDefault(Reader.Name);
                int bad = l.Units.Count(x => UnitOutcome(x) != LineOutcome.Identical);
                sb.AppendLine($"- `{l.File.Name}:{l.Vector.Line}` {u.Family} {u.Table} {u.Chain} ({bad}/{l.Units.Count} units) `{l.Vector.Rule}`");
                sb.AppendLine($"  - nft:  `{nft}`");
                sb.AppendLine($"  - ours: `{ours}`");
            }
        }

        var harness = Run.Files.SelectMany(f => f.HarnessErrors.Select(e => $"{f.File.Name}: {e}")).ToList();
        if (harness.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine($"## Harness problems ({harness.Count})");
            sb.AppendLine();
            foreach (string h in harness) sb.AppendLine("- " + h);
        }
        return sb.ToString();
    }
}
