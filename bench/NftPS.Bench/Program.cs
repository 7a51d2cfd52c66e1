using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using NftPS.Bench;
using NftPS.Bench.Native;
using NftPS.Bench.Workloads;

// dotnet run -c Release --project bench/NftPS.Bench -- [--quick] [--runs N] [--warmups N] [--workload W1 ...]
//     [--no-process] [--no-pwsh] [--results bench/RESULTS.md]
// Internal: --child <workload> --ns <name> --run <k> [--quick]   (one whole-process NftPS run)
//           --child import                                       (prints the Import-Module cost of a fresh process)
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
return Cli.Run(args);

internal static class Cli
{
    private const string Usage =
        "usage: NftPS.Bench [--quick] [--runs N] [--warmups N] [--workload ID-PREFIX ...] [--no-process] [--no-pwsh] [--results FILE]";

    public static int Run(string[] args)
    {
        if (args.Length > 0 && args[0] == "--child") return Child(args);
        if (args.Length > 0 && args[0] == "--profile")
            return Profile.Run(args.Length > 1 ? int.Parse(args[1]) : 10_000, args.Length > 2 ? int.Parse(args[2]) : 100_000);
        if (args.Length > 0 && args[0] == "--profile-w6")
            return ProfileDesiredState.Run(args.Length > 1 ? int.Parse(args[1]) : 10_000, args.Length > 2 ? int.Parse(args[2]) : 100_000,
                args.Length > 3 ? int.Parse(args[3]) : 5);
        bool quick = false, wholeProcess = true, realPwsh = true;
        int? runs = null, warmups = null;
        string? results = null;
        var filters = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick": quick = true; break;
                case "--runs" when i + 1 < args.Length: runs = int.Parse(args[++i]); break;
                case "--warmups" when i + 1 < args.Length: warmups = int.Parse(args[++i]); break;
                case "--workload" or "-w" when i + 1 < args.Length:
                    while (i + 1 < args.Length && !args[i + 1].StartsWith("--")) filters.AddRange(args[++i].Split(','));
                    break;
                case "--no-process": wholeProcess = false; break;
                case "--no-pwsh": realPwsh = false; break;
                case "--results" when i + 1 < args.Length: results = args[++i]; break;
                case "--help" or "-h": Console.WriteLine(Usage); return 0;
                default: Console.Error.WriteLine(Usage); return 2;
            }
        }
        if (Environment.UserName != "root" && geteuid() != 0)
        {
            Console.Error.WriteLine("NftPS.Bench needs root (it creates network namespaces and runs nft inside them).");
            return 2;
        }
        var options = new BenchOptions
        {
            Quick = quick, Runs = runs ?? (quick ? 1 : 5), Warmups = warmups ?? 1, Workloads = filters, WholeProcess = wholeProcess,
            RealPwsh = realPwsh,
        };
        var machineBefore = Machine.Describe();
        var sw = Stopwatch.StartNew();
        var rows = new BenchRunner(options).Run();
        string table = Report.Table(rows);
        string targets = Report.Targets(rows) + string.Concat(BenchRunner.Notes.Select(n => n + "\n"));
        string conditions = $"{machineBefore}\nload average after: {Machine.LoadAverage()}; harness time {sw.Elapsed.TotalSeconds:0} s; " +
            $"{options.Runs} measured run(s) per tool after {options.Warmups} warm-up(s){(quick ? ", quick mode" : "")}" +
            (realPwsh ? "\n" + RealPwsh.Describe() : "");
        Console.WriteLine(table);
        Console.WriteLine(targets);
        Console.WriteLine(conditions);
        if (results is not null) ResultsFile.Write(results, table, targets, conditions);
        return 0;
    }

    private static int Child(string[] args)
    {
        string id = args[1];
        if (id == "import") return ImportChild();
        string? ns = null;
        int run = 0;
        bool quick = false;
        for (int i = 2; i < args.Length; i++)
        {
            if (args[i] == "--ns") ns = args[++i];
            else if (args[i] == "--run") run = int.Parse(args[++i]);
            else if (args[i] == "--quick") quick = true;
        }
        var workload = Catalog.Find(id, quick);
        using var session = new NftPsSession { NetworkNamespace = ns ?? throw new ArgumentException("--ns is required") };
        workload.RunNftPs(session, run);
        Console.WriteLine("peak-bytes=" + SelfUsage.PeakRssBytes());
        return 0;
    }

    /// <summary>Prints "wallMs cpuMs peakDeltaMiB allocMiB" of Import-Module in a new runspace of this fresh process.</summary>
    private static int ImportChild()
    {
        using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        runspace.Open();
        using var ps = PowerShell.Create(runspace);
        ps.AddCommand("Import-Module").AddArgument(BenchPaths.ModuleManifest);
        long openedPeak = SelfUsage.PeakRssBytes();
        SelfUsage.ResetPeak();
        long rss = SelfUsage.RssBytes();
        long alloc = GC.GetTotalAllocatedBytes(true);
        var cpu = SelfUsage.CpuTime();
        var sw = Stopwatch.StartNew();
        ps.Invoke();
        sw.Stop();
        if (ps.HadErrors) { Console.Error.WriteLine(string.Join("; ", ps.Streams.Error)); return 1; }
        Console.WriteLine(string.Join(' ', sw.Elapsed.TotalMilliseconds, (SelfUsage.CpuTime() - cpu).TotalMilliseconds,
            Math.Max(0, SelfUsage.PeakRssBytes() - rss) / 1048576.0, (GC.GetTotalAllocatedBytes(true) - alloc) / 1048576.0));
        Console.WriteLine("peak-bytes=" + Math.Max(openedPeak, SelfUsage.PeakRssBytes()));
        return 0;
    }

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern uint geteuid();
}
