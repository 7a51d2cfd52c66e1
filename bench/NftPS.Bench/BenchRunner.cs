using System.Diagnostics;
using NftPS.Bench.Native;
using NftPS.Bench.Workloads;

namespace NftPS.Bench;

public sealed record BenchOptions
{
    public bool Quick { get; init; }
    public int Runs { get; init; } = 5;
    public int Warmups { get; init; } = 1;
    public IReadOnlyCollection<string> Workloads { get; init; } = Array.Empty<string>();
    /// <summary>Also measure NftPS in a fresh process per run (runtime start and import included).</summary>
    public bool WholeProcess { get; init; } = true;
    /// <summary>Also run the workloads that have a script form in a fresh `pwsh -NoProfile -File` (see <see cref="RealPwsh"/>).</summary>
    public bool RealPwsh { get; init; } = true;
    public TextWriter Log { get; init; } = Console.Error;
}

/// <summary>Medians of one tool's runs: wall and CPU time in ms, peak memory in MiB (for in-session runs: how far the
/// session's resident memory rose above where it stood), and for in-session runs the bytes allocated.</summary>
public sealed record Measurement(double WallMs, double CpuMs, double PeakMiB, double? AllocatedMiB = null, int Runs = 0)
{
    public static Measurement Median(IReadOnlyList<Measurement> runs) => new(
        Med(runs.Select(r => r.WallMs)), Med(runs.Select(r => r.CpuMs)), Med(runs.Select(r => r.PeakMiB)),
        runs.All(r => r.AllocatedMiB is not null) ? Med(runs.Select(r => r.AllocatedMiB!.Value)) : null, runs.Count);

    private static double Med(IEnumerable<double> values)
    {
        var v = values.OrderBy(x => x).ToArray();
        if (v.Length == 0) return double.NaN;
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }
}

public sealed record ResultRow(string Workload, string Description, string Via, Measurement? Nft, Measurement? InSession,
    Measurement? Process, Target? Target)
{
    /// <summary>Real-pwsh runs (fresh `pwsh -NoProfile`), and for cold-get-rule bare `pwsh -NoProfile -c 1` in the same rounds.</summary>
    public PwshMeasurement? Pwsh { get; init; }
    public PwshMeasurement? BarePwsh { get; init; }
    public Target? PwshTarget { get; init; }

    public double? InSessionRatio => Ratio(InSession);
    public double? ProcessRatio => Ratio(Process);
    /// <summary>The workload's first run inside a fresh pwsh against nft's wall time.</summary>
    public double? PwshRatio => Pwsh is { FirstCallMs: var f } && !double.IsNaN(f) && Nft is { WallMs: > 0 } n ? f / n.WallMs : null;
    public double? PwshProcessRatio => Pwsh is { } p && Nft is { WallMs: > 0 } n ? p.ProcessWallMs / n.WallMs : null;

    /// <summary>The real-pwsh target: cold-get-rule against bare pwsh, cold-new-rule on its first call and import, others as a ratio.</summary>
    public bool? PwshTargetMet => (PwshTarget, Pwsh) switch
    {
        (null, _) or (_, null) => null,
        _ when Workload == "cold-get-rule" => BarePwsh is { } bare ? Pwsh.ProcessWallMs - bare.ProcessWallMs <= Workloads.ColdStart.MaxOverBarePwshMs : null,
        _ when Workload == "cold-new-rule" => Pwsh.FirstCallMs <= Workloads.ColdStart.MaxFirstNewRuleMs && Pwsh.ImportMs <= Workloads.ColdStart.MaxImportMs,
        ({ MaxRatio: { } r }, _) => PwshRatio is { } x ? x <= r : null,
        _ => null,
    };

    private double? Ratio(Measurement? m) => m is null || Nft is null || Nft.WallMs <= 0 ? null : m.WallMs / Nft.WallMs;

    /// <summary>Pass/fail of the workload's target on in-session wall time; null without a target.</summary>
    public bool? TargetMet => Target switch
    {
        null => null,
        { MaxRatio: { } r } => InSessionRatio is { } x ? x <= r : null,
        { MaxInSessionMs: { } ms } => InSession is { } m ? m.WallMs <= ms : null,
        _ => null,
    };

    /// <summary>"Peak memory never above nft's": what the workload adds to a session against nft's whole peak.</summary>
    public bool? MemoryMet => Nft is null || InSession is null ? null : InSession.PeakMiB <= Nft.PeakMiB;
}

/// <summary>Runs each selected workload in a fresh private namespace: prepare, warm up, then alternate nft, NftPS
/// in-session and NftPS whole-process runs (rotating which goes first), resetting the ruleset before every run.</summary>
public sealed class BenchRunner
{
    private readonly BenchOptions _options;

    public BenchRunner(BenchOptions options) => _options = options;

    /// <summary>The workloads' notes, in run order (printed after the targets).</summary>
    public static List<string> Notes { get; } = new();

    public IReadOnlyList<ResultRow> Run()
    {
        var workloads = Catalog.Select(_options.Quick, _options.Workloads);
        if (workloads.Count == 0) throw new ArgumentException("No workload matches " + string.Join(", ", _options.Workloads));
        string work = Path.Combine(Path.GetTempPath(), "nftps-bench-" + Environment.ProcessId);
        Directory.CreateDirectory(work);
        var rows = new List<ResultRow>();
        try
        {
            using var session = new NftPsSession();
            foreach (var w in workloads)
            {
                _options.Log.WriteLine($"[bench] {w.Id}: {w.Description}");
                rows.Add(w is ModuleImport ? RunImport(w) : RunWorkload(w, session, work));
                if (w.Notes is { } note) Notes.Add(note);
            }
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
        return rows;
    }

    private ResultRow RunWorkload(Workload w, NftPsSession session, string work)
    {
        using var ns = new PrivateNamespace();
        var context = new BenchContext(ns, work, _options.Quick);
        session.NetworkNamespace = ns.Name;
        w.Prepare(context);
        var nft = new List<Measurement>();
        var inSession = new List<Measurement>();
        var process = new List<Measurement>();
        var pwsh = new List<PwshMeasurement>();
        var bare = new List<PwshMeasurement>();
        bool realPwsh = _options.RealPwsh && RealPwsh.PwshDll is not null && w.Pwsh(context, 0) is not null;
        int run = 0;
        int total = _options.Warmups + _options.Runs;
        for (int i = 0; i < total; i++)
        {
            bool measured = i >= _options.Warmups;
            var steps = new List<Action>
            {
                () => { var m = MeasureNft(w, context, run++); if (measured) nft.Add(m); },
                w is NativeCommandWorkload native
                    ? () => { var m = MeasureNative(native, context, run++); if (measured) inSession.Add(m); }
                    : () => { var m = MeasureInSession(w, context, session, run++); if (measured) inSession.Add(m); },
            };
            if (_options.WholeProcess && w is not NativeCommandWorkload)
                steps.Add(() => { var m = MeasureProcess(w, context, run++); if (measured) process.Add(m); });
            if (realPwsh)
                steps.Add(() => { var m = MeasurePwsh(w, context, run++); if (measured) pwsh.Add(m); });
            if (realPwsh && w is ColdStart { Id: "cold-get-rule" })
                steps.Add(() => { var m = MeasureBarePwsh(context); if (measured) bare.Add(m); });
            for (int s = 0; s < steps.Count; s++) steps[(s + i) % steps.Count]();
        }
        // wait4's ru_maxrss of a child started from this process also counts this process's own peak (exec records the
        // old, shared address space's high-water mark), so nft's peak comes from one more run under GNU time instead.
        double nftPeak = NftPeak(w, context, run++);
        var nftMedian = Measurement.Median(nft) with { PeakMiB = nftPeak };
        if (w is NativeCommandWorkload n)
            inSession = [Measurement.Median(inSession) with { PeakMiB = PeakUnderGnuTime(context, n.NftpsCommands(context, run++).Select(a => (NativeCommandWorkload.Binary, a))) }];
        return new ResultRow(w.Id, w.Description, w.NftPsVia, nftMedian, Measurement.Median(inSession),
            process.Count > 0 ? Measurement.Median(process) : null, w.Target)
        {
            Pwsh = pwsh.Count > 0 ? PwshMeasurement.Median(pwsh) : null,
            BarePwsh = bare.Count > 0 ? PwshMeasurement.Median(bare) : null,
            PwshTarget = w.PwshTarget,
        };
    }

    /// <summary>One fresh `pwsh -NoProfile` run inside the namespace: the script's own timing of the import and of the
    /// workload's first run, and the whole process's wall and user+sys CPU time.</summary>
    private static PwshMeasurement MeasurePwsh(Workload w, BenchContext context, int run)
    {
        w.Reset(context, run);
        var work = w.Pwsh(context, run)!;
        if (work.CommandLine is { } commandLine)
        {
            var c = RealPwsh.Run(context.Namespace, commandLine).EnsureSuccess($"{w.Id}: pwsh");
            return new PwshMeasurement(double.NaN, double.NaN, c.Wall.TotalMilliseconds, c.Cpu.TotalMilliseconds, 1);
        }
        string script = context.File($"pwsh-{w.Id.Replace('/', '-')}.ps1");
        File.WriteAllText(script, RealPwsh.Script(context.Namespace.Name, work.Prologue, work.Work));
        var r = RealPwsh.Run(context.Namespace, "-File", script).EnsureSuccess($"{w.Id}: pwsh -File");
        var (import, first, importCpu, firstCpu) = RealPwsh.Parse(r);
        return new PwshMeasurement(first, import, r.Wall.TotalMilliseconds, r.Cpu.TotalMilliseconds, 1, firstCpu, importCpu);
    }

    private static PwshMeasurement MeasureBarePwsh(BenchContext context)
    {
        var r = RealPwsh.Run(context.Namespace, ColdStart.BarePwsh).EnsureSuccess("bare pwsh");
        return new PwshMeasurement(double.NaN, double.NaN, r.Wall.TotalMilliseconds, r.Cpu.TotalMilliseconds, 1);
    }

    private static Measurement MeasureNft(Workload w, BenchContext context, int run)
    {
        w.Reset(context, run);
        double wall = 0, cpu = 0, peak = 0;
        foreach (var args in w.NftCommands(context, run))
        {
            var r = context.Namespace.Nft(args).EnsureSuccess($"{w.Id}: nft {string.Join(' ', args.Take(4))}");
            wall += r.Wall.TotalMilliseconds;
            cpu += r.Cpu.TotalMilliseconds;
            peak = Math.Max(peak, r.PeakRssBytes / 1048576.0);
        }
        return new Measurement(wall, cpu, peak);
    }

    private static double NftPeak(Workload w, BenchContext context, int run)
    {
        w.Reset(context, run);
        double peak = 0;
        foreach (var args in w.NftCommands(context, run).Take(3))
        {
            if (!File.Exists(GnuTime)) return double.NaN;
            string output = context.File("nft-peak.txt");
            var all = new[] { "-f", "%M", "-o", output, ChildProcess.Which("nft") }.Concat(args).ToArray();
            context.Namespace.Spawn(GnuTime, all).EnsureSuccess($"{w.Id}: time nft");
            peak = Math.Max(peak, long.Parse(File.ReadAllText(output).Trim().Split('\n')[^1]) / 1024.0);
        }
        return peak;
    }

    private const string GnuTime = "/usr/bin/time";

    /// <summary>The largest peak RSS (MiB) of the given programs, each run once under GNU time in the namespace.</summary>
    private static double PeakUnderGnuTime(BenchContext context, IEnumerable<(string Program, string[] Args)> runs)
    {
        double peak = 0;
        foreach (var (program, args) in runs)
        {
            if (!File.Exists(GnuTime)) return double.NaN;
            string output = context.File("peak.txt");
            context.Namespace.Spawn(GnuTime, new[] { "-f", "%M", "-o", output, program }.Concat(args).ToArray()).EnsureSuccess($"time {program}");
            peak = Math.Max(peak, long.Parse(File.ReadAllText(output).Trim().Split('\n')[^1]) / 1024.0);
        }
        return peak;
    }

    /// <summary>The nftps process, measured as nft is: spawned inside the namespace, wall and CPU from wait4.</summary>
    private static Measurement MeasureNative(NativeCommandWorkload w, BenchContext context, int run)
    {
        w.Reset(context, run);
        double wall = 0, cpu = 0;
        foreach (var args in w.NftpsCommands(context, run))
        {
            var r = context.Namespace.Spawn(NativeCommandWorkload.Binary, args).EnsureSuccess($"{w.Id}: nftps {string.Join(' ', args.Take(2))}");
            wall += r.Wall.TotalMilliseconds;
            cpu += r.Cpu.TotalMilliseconds;
        }
        return new Measurement(wall, cpu, 0);
    }

    private static Measurement MeasureInSession(Workload w, BenchContext context, NftPsSession session, int run)
    {
        w.Reset(context, run);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        SelfUsage.ResetPeak();
        long rssBefore = SelfUsage.RssBytes();
        long allocBefore = GC.GetTotalAllocatedBytes(precise: true);
        var cpuBefore = SelfUsage.CpuTime();
        var sw = Stopwatch.StartNew();
        w.RunNftPs(session, run);
        sw.Stop();
        var cpu = SelfUsage.CpuTime() - cpuBefore;
        long alloc = GC.GetTotalAllocatedBytes(precise: true) - allocBefore;
        long peak = Math.Max(0, SelfUsage.PeakRssBytes() - rssBefore);
        return new Measurement(sw.Elapsed.TotalMilliseconds, cpu.TotalMilliseconds, peak / 1048576.0, alloc / 1048576.0);
    }

    private Measurement MeasureProcess(Workload w, BenchContext context, int run)
    {
        w.Reset(context, run);
        var args = new List<string> { BenchPaths.BenchAssembly, "--child", w.Id, "--ns", context.Namespace.Name, "--run", run.ToString() };
        if (_options.Quick) args.Add("--quick");
        var r = ChildProcess.Run(Dotnet.Value, args, captureStdOut: true).EnsureSuccess($"{w.Id}: NftPS child process");
        // The child reports its own VmHWM (see NftPeak for why rusage's maxrss is not used).
        return new Measurement(r.Wall.TotalMilliseconds, r.Cpu.TotalMilliseconds, ChildPeak(r));
    }

    private static double ChildPeak(ChildResult r)
    {
        string? line = r.StdOut.Split('\n').LastOrDefault(l => l.StartsWith("peak-bytes=", StringComparison.Ordinal));
        return line is null ? double.NaN : long.Parse(line["peak-bytes=".Length..]) / 1048576.0;
    }

    /// <summary>Import has no nft counterpart: each run is a fresh process that reports its own Import-Module time.</summary>
    private ResultRow RunImport(Workload w)
    {
        var imports = new List<Measurement>();
        var processes = new List<Measurement>();
        for (int i = 0; i < _options.Warmups + _options.Runs; i++)
        {
            var r = ChildProcess.Run(Dotnet.Value, new[] { BenchPaths.BenchAssembly, "--child", "import" }, captureStdOut: true)
                .EnsureSuccess("import child process");
            if (i < _options.Warmups) continue;
            var fields = r.StdOut.Split('\n')[0].Trim().Split(' ').Select(double.Parse).ToArray(); // wall cpu peakDelta
            imports.Add(new Measurement(fields[0], fields[1], fields[2], fields[3]));
            processes.Add(new Measurement(r.Wall.TotalMilliseconds, r.Cpu.TotalMilliseconds, ChildPeak(r)));
        }
        return new ResultRow(w.Id, w.Description, w.NftPsVia, null, Measurement.Median(imports), Measurement.Median(processes), w.Target);
    }

    private static readonly Lazy<string> Dotnet = new(() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : ChildProcess.Which("dotnet"));
}
