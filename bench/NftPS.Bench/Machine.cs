using NftPS.Bench.Native;

namespace NftPS.Bench;

/// <summary>The conditions a table was measured under: machine, kernel, tool versions, commit and load.</summary>
public static class Machine
{
    public static string LoadAverage()
    {
        try { return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "?"; }
    }

    public static string Describe()
    {
        string cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() ?? "?";
        string mem = File.ReadLines("/proc/meminfo").First().Split(':', 2)[1].Trim();
        string kernel = File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        string nft = Try(() => ChildProcess.Run(ChildProcess.Which("nft"), new[] { "--version" }, captureStdOut: true).StdOut.Trim());
        string commit = Try(() => ChildProcess.Run(ChildProcess.Which("git"), new[] { "-C", BenchPaths.RepoRoot, "rev-parse", "--short", "HEAD" },
            captureStdOut: true).StdOut.Trim());
        string dirty = Try(() => ChildProcess.Run(ChildProcess.Which("git"), new[] { "-C", BenchPaths.RepoRoot, "status", "--porcelain", "--untracked-files=no" },
            captureStdOut: true).StdOut.Trim().Length > 0 ? " (with uncommitted changes)" : "");
        bool debugModule = typeof(NftPS.NfTables.NfTablesConnection).Assembly
            .GetCustomAttributes(typeof(System.Diagnostics.DebuggableAttribute), false)
            .OfType<System.Diagnostics.DebuggableAttribute>().Any(d => d.IsJITOptimizerDisabled);
        return $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, commit {commit}{dirty}; {Environment.ProcessorCount} CPUs ({cpu}), {mem} RAM; " +
            $"kernel {kernel}; {nft}; .NET {Environment.Version}; module {(debugModule ? "Debug build (numbers not representative: run with -c Release)" : "Release build")}" +
            $"\nload average before: {LoadAverage()}";
    }

    private static string Try(Func<string> f)
    {
        try { return f(); }
        catch (Exception) { return "?"; }
    }
}

/// <summary>bench/RESULTS.md: the latest table with the conditions it was measured under.</summary>
public static class ResultsFile
{
    public static void Write(string path, string table, string targets, string conditions) =>
        File.WriteAllText(path,
            "# NftPS benchmark results\n\n" +
            "Produced by `dotnet run -c Release --project bench/NftPS.Bench -- --results bench/RESULTS.md` (see README.md).\n" +
            "Medians; ratio = NftPS wall time / nft wall time. *in-session*: Stopwatch in a session that already imported the\n" +
            "module; *process*: a fresh process per run, runtime start and import included. *peak +MiB*: how far the session's\n" +
            "resident memory rose during the run. NftPS via *core* = the library's batch encoders called directly (what a\n" +
            "program using NftPS as a library pays); *cmdlet* = the module's cmdlets (rule text compiled, elements parsed).\n\n" +
            "## Conditions\n\n" + conditions.Replace("\n", "  \n") + "\n\n## Table\n\n" + table + "\n## Targets\n\n```\n" + targets + "```\n");
}
