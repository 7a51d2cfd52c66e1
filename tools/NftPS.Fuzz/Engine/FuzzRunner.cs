using System.Diagnostics;
using NftPS.NfTables;

namespace NftPS.Fuzz;

/// <summary>One undesigned exception or slow input, with the input that caused it.</summary>
public sealed record FuzzFinding(FuzzTarget Target, string Kind, string Input, string Detail);

/// <summary>What one target's run produced.</summary>
public sealed class FuzzReport
{
    public required FuzzTarget Target { get; init; }
    public long Inputs { get; set; }
    public long DesignedErrors { get; set; }
    public long Accepted { get; set; }
    public long Crashes { get; set; }
    public long Slow { get; set; }
    public bool Hung { get; set; }
    public TimeSpan Elapsed { get; set; }
    /// <summary>The most CPU time one input took (the worker thread's own time).</summary>
    public TimeSpan Slowest { get; set; }
    /// <summary>The longest wall time of one input (includes time the machine spent on other processes).</summary>
    public TimeSpan SlowestWall { get; set; }
    /// <summary>The input that took <see cref="Slowest"/>, for looking into near misses.</summary>
    public string SlowestInput { get; set; } = "";
    /// <summary>Undesigned exception types and how often each was seen.</summary>
    public Dictionary<string, int> CrashTypes { get; } = new();
    public List<FuzzFinding> Findings { get; } = new();
    public double PerSecond => Elapsed.TotalSeconds > 0 ? Inputs / Elapsed.TotalSeconds : 0;
    public bool Clean => Crashes == 0 && Slow == 0 && !Hung;

    public override string ToString() =>
        $"{Target,-6} {Inputs,9:N0} inputs  {Accepted,8:N0} accepted  {DesignedErrors,9:N0} refused  {Crashes} crashes  " +
        $"{Slow} over {FuzzRunner.SlowLimit.TotalSeconds:0} s{(Hung ? "  HUNG" : "")}  slowest {Slowest.TotalMilliseconds:0} ms CPU " +
        $"({SlowestWall.TotalMilliseconds:0} ms wall)  " +
        $"{Elapsed.TotalSeconds:0.0} s  {PerSecond:N0}/s";
}

/// <summary>Feeds mutated inputs to one target on a worker thread and watches it: an input that raises anything but a
/// designed language/JSON error is a crash, one that takes over <see cref="SlowLimit"/> of CPU is slow, and one still running
/// after the hang limit stops the run (the worker is abandoned, the input reported). The worker has a 1 MiB stack,
/// smaller than PowerShell's pipeline thread, so a depth bound that holds here holds under pwsh.</summary>
public sealed class FuzzRunner
{
    public static readonly TimeSpan SlowLimit = TimeSpan.FromSeconds(1);
    private const int WorkerStack = 1024 * 1024;
    private const int MaxFindingsKept = 20;

    private readonly FuzzSeeds _seeds;
    private readonly TimeSpan _hangLimit;

    public FuzzRunner(FuzzSeeds seeds, TimeSpan? hangLimit = null)
    {
        _seeds = seeds;
        _hangLimit = hangLimit ?? TimeSpan.FromSeconds(20);
    }

    public FuzzReport Run(FuzzTarget target, long count, int seed, Action<FuzzReport>? progress = null)
    {
        var report = new FuzzReport { Target = target };
        var rng = new Random(seed);
        var mutator = new Mutator(rng, () => SeedText(target, rng));
        long started = 0; // Stopwatch ticks of the input in progress, 0 when idle
        string? current = null;
        bool stop = false;
        var total = Stopwatch.StartNew();
        var worker = new Thread(() =>
        {
            for (long i = 0; i < count && !Volatile.Read(ref stop); i++)
            {
                var (family, seedText) = Seed(target, rng);
                string input = mutator.Mutate(seedText);
                Volatile.Write(ref current, input);
                long t0 = Stopwatch.GetTimestamp();
                var cpu0 = ThreadCpu.Now();
                Volatile.Write(ref started, t0);
                Exception? error = null;
                try { Execute(target, family, input); }
                catch (Exception e) { error = e; }
                var cpu = ThreadCpu.Now() - cpu0;
                var wall = Stopwatch.GetElapsedTime(t0);
                Volatile.Write(ref started, 0);
                lock (report) Record(report, target, family, input, error, cpu, wall);
                if (progress is not null && (i + 1) % 50_000 == 0)
                {
                    report.Elapsed = total.Elapsed;
                    progress(report);
                }
            }
        }, WorkerStack) { IsBackground = true, Name = "fuzz " + target };
        worker.Start();
        while (!worker.Join(100))
        {
            long t0 = Volatile.Read(ref started);
            if (t0 != 0 && Stopwatch.GetElapsedTime(t0) > _hangLimit)
            {
                lock (report)
                {
                    report.Hung = true;
                    report.Findings.Add(new FuzzFinding(target, "hang", Volatile.Read(ref current) ?? "", $"still running after {_hangLimit.TotalSeconds} s"));
                }
                Volatile.Write(ref stop, true);
                break; // the worker is a background thread: abandoned, the process can exit
            }
        }
        report.Elapsed = total.Elapsed;
        return report;
    }

    private static void Record(FuzzReport report, FuzzTarget target, NftFamily family, string input, Exception? error, TimeSpan took,
        TimeSpan wall)
    {
        report.Inputs++;
        if (wall > report.SlowestWall) report.SlowestWall = wall;
        if (took > report.Slowest)
        {
            report.Slowest = took;
            report.SlowestInput = Describe(target, family, input);
        }
        if (error is null) report.Accepted++;
        else if (FuzzTargets.IsDesigned(error)) report.DesignedErrors++;
        else
        {
            report.Crashes++;
            string type = error.GetType().FullName ?? error.GetType().Name;
            report.CrashTypes[type] = report.CrashTypes.GetValueOrDefault(type) + 1;
            if (report.Findings.Count < MaxFindingsKept)
                report.Findings.Add(new FuzzFinding(target, type, Describe(target, family, input), error.ToString()));
        }
        if (took > SlowLimit)
        {
            report.Slow++;
            if (report.Findings.Count < MaxFindingsKept)
                report.Findings.Add(new FuzzFinding(target, "slow", Describe(target, family, input), $"{took.TotalMilliseconds:0} ms"));
        }
    }

    private static string Describe(FuzzTarget target, NftFamily family, string input) =>
        target == FuzzTarget.Rule ? $"[{FuzzSeeds.FamilyWord(family)}] {input}" : input;

    private static void Execute(FuzzTarget target, NftFamily family, string input)
    {
        switch (target)
        {
            case FuzzTarget.Rule: FuzzTargets.RunRule(family, input); break;
            case FuzzTarget.Script: FuzzTargets.RunScript(input); break;
            default: FuzzTargets.RunJson(input); break;
        }
    }

    private (NftFamily, string) Seed(FuzzTarget target, Random rng)
    {
        switch (target)
        {
            case FuzzTarget.Rule:
                var r = _seeds.Rules[rng.Next(_seeds.Rules.Count)];
                return (r.Family, r.Rule);
            case FuzzTarget.Script:
                return (NftFamily.Unspecified, _seeds.Scripts[rng.Next(_seeds.Scripts.Count)]);
            default:
                return (NftFamily.Unspecified, _seeds.JsonDocuments[rng.Next(_seeds.JsonDocuments.Count)]);
        }
    }

    private string SeedText(FuzzTarget target, Random rng) => Seed(target, rng).Item2;
}
