using System.Globalization;
using System.Text;

namespace NftPS.Bench;

/// <summary>The results as a Markdown table (medians; ratio = NftPS wall / nft wall) and one pass/fail line per target.</summary>
public static class Report
{
    public static string Table(IReadOnlyList<ResultRow> rows)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| workload | NftPS via | nft wall ms | in-session wall ms | ratio | process wall ms | ratio | nft CPU ms | in-session CPU ms | process CPU ms | nft peak MiB | in-session peak +MiB | process peak MiB | in-session alloc MiB | target | met | pwsh first run ms | ratio | pwsh first run CPU ms | pwsh import ms | pwsh import CPU ms | pwsh process ms | ratio | pwsh process CPU ms |");
        sb.AppendLine("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|---|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var r in rows)
        {
            sb.Append("| ").Append(r.Workload).Append(" | ").Append(r.Via)
                .Append(" | ").Append(Ms(r.Nft?.WallMs))
                .Append(" | ").Append(Ms(r.InSession?.WallMs)).Append(" | ").Append(Ratio(r.InSessionRatio))
                .Append(" | ").Append(Ms(r.Process?.WallMs)).Append(" | ").Append(Ratio(r.ProcessRatio))
                .Append(" | ").Append(Ms(r.Nft?.CpuMs)).Append(" | ").Append(Ms(r.InSession?.CpuMs)).Append(" | ").Append(Ms(r.Process?.CpuMs))
                .Append(" | ").Append(Mib(r.Nft?.PeakMiB)).Append(" | ").Append(Mib(r.InSession?.PeakMiB)).Append(" | ").Append(Mib(r.Process?.PeakMiB))
                .Append(" | ").Append(Mib(r.InSession?.AllocatedMiB))
                .Append(" | ").Append(r.Target?.Text ?? "—").Append(" | ").Append(Verdict(r.TargetMet))
                .Append(" | ").Append(Ms(r.Pwsh?.FirstCallMs)).Append(" | ").Append(Ratio(r.PwshRatio))
                .Append(" | ").Append(Ms(r.Pwsh?.FirstCallCpuMs)).Append(" | ").Append(Ms(r.Pwsh?.ImportMs)).Append(" | ").Append(Ms(r.Pwsh?.ImportCpuMs))
                .Append(" | ").Append(Ms(r.Pwsh?.ProcessWallMs)).Append(" | ").Append(Ratio(r.PwshProcessRatio))
                .Append(" | ").Append(Ms(r.Pwsh?.ProcessCpuMs)).AppendLine(" |");
            if (r.BarePwsh is { } bare)
                sb.Append("| ").Append(r.Workload).Append(" (bare `pwsh -c 1`) | — | — | — | — | — | — | — | — | — | — | — | — | — | — | — | — | — | — | — | — | ")
                    .Append(Ms(bare.ProcessWallMs)).Append(" | — | ").Append(Ms(bare.ProcessCpuMs)).AppendLine(" |");
        }
        return sb.ToString();
    }

    public static string Targets(IReadOnlyList<ResultRow> rows)
    {
        var sb = new StringBuilder();
        foreach (var r in rows)
        {
            if (r.TargetMet is { } met)
                sb.AppendLine($"{(met ? "PASS" : "FAIL")} {r.Workload}: {r.Target!.Text} — in-session {Ms(r.InSession?.WallMs)} ms" +
                    (r.InSessionRatio is { } x ? $", {x:0.00}× nft wall" : "") +
                    (r.Nft is { CpuMs: > 0 } n && r.InSession is { } s ? $", {s.CpuMs / n.CpuMs:0.00}× nft CPU" : ""));
            if (r.PwshTargetMet is { } pmet)
                sb.AppendLine($"{(pmet ? "PASS" : "FAIL")} {r.Workload} real pwsh: {r.PwshTarget!.Text} — " + PwshDetail(r));
            if (r.MemoryMet is { } mem)
                sb.AppendLine($"{(mem ? "PASS" : "FAIL")} {r.Workload} memory: in-session peak +{Mib(r.InSession!.PeakMiB)} MiB vs nft {Mib(r.Nft!.PeakMiB)} MiB" +
                    $" (whole process {Mib(r.Process?.PeakMiB)} MiB)");
        }
        return sb.ToString();
    }

    private static string PwshDetail(ResultRow r)
    {
        var p = r.Pwsh!;
        if (r.BarePwsh is { } bare)
            return $"process {Ms(p.ProcessWallMs)} ms vs bare pwsh {Ms(bare.ProcessWallMs)} ms: +{Ms(p.ProcessWallMs - bare.ProcessWallMs)} ms wall, " +
                $"+{Ms(p.ProcessCpuMs - bare.ProcessCpuMs)} ms CPU (user+sys)";
        return $"first run {Ms(p.FirstCallMs)} ms wall / {Ms(p.FirstCallCpuMs)} ms CPU" +
            (r.PwshRatio is { } x ? $" ({x:0.00}× nft wall" + (r.Nft is { CpuMs: > 0 } n ? $", {p.FirstCallCpuMs / n.CpuMs:0.00}× nft CPU)" : ")") : "") +
            $", Import-Module {Ms(p.ImportMs)} ms wall / {Ms(p.ImportCpuMs)} ms CPU, process {Ms(p.ProcessWallMs)} ms wall / {Ms(p.ProcessCpuMs)} ms CPU";
    }

    private static string Ms(double? v) => v is not { } x || double.IsNaN(x) ? "—" : x >= 100 ? x.ToString("0", CultureInfo.InvariantCulture) : x.ToString("0.0#", CultureInfo.InvariantCulture);
    private static string Mib(double? v) => v is not { } x || double.IsNaN(x) ? "—" : x.ToString("0.0", CultureInfo.InvariantCulture);
    private static string Ratio(double? v) => v is { } x ? x.ToString("0.00", CultureInfo.InvariantCulture) + "×" : "—";
    private static string Verdict(bool? met) => met switch { true => "pass", false => "**fail**", null => "—" };
}
