using System.Globalization;
using System.Text.RegularExpressions;
using NftPS.Bench.Native;

namespace NftPS.Bench;

/// <summary>The "real pwsh" column: a workload run by `pwsh -NoProfile -File SCRIPT` in a fresh process, inside the
/// workload's namespace, the way cron jobs, systemd units and automation pay for it. pwsh is the tool manifest's
/// PowerShell package (.config/dotnet-tools.json), started as `dotnet …/unix/pwsh.dll` — the resolved path, not
/// `dotnet pwsh`, whose tool-manifest lookup and shim add ≈0.1–0.4 s of CPU that users of an installed pwsh do not pay.</summary>
public static class RealPwsh
{
    private static readonly Lazy<string?> Dll = new(FindPwshDll);
    private static readonly Lazy<string> Dotnet = new(() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : ChildProcess.Which("dotnet"));

    /// <summary>pwsh.dll of the pinned PowerShell, or null where the tool was not restored (`dotnet tool restore`).</summary>
    public static string? PwshDll => Dll.Value;

    public static string Version => ManifestVersion() ?? "?";

    public static string Describe() => PwshDll is null
        ? "real pwsh: not found (run `dotnet tool restore`)"
        : $"real pwsh: PowerShell {Version} from the tool manifest, started as `dotnet {PwshDll} -NoProfile -NonInteractive`" +
          $" (POWERSHELL_TELEMETRY_OPTOUT={Environment.GetEnvironmentVariable("POWERSHELL_TELEMETRY_OPTOUT") ?? "unset"})";

    /// <summary>Runs pwsh with these arguments inside the namespace and returns the child's wall/CPU time and output.</summary>
    public static ChildResult Run(PrivateNamespace ns, params string[] pwshArgs)
    {
        string dll = PwshDll ?? throw new InvalidOperationException("pwsh not found: run `dotnet tool restore`");
        var args = new List<string> { dll, "-NoProfile", "-NonInteractive" };
        args.AddRange(pwshArgs);
        return ns.Spawn(Dotnet.Value, args, captureStdOut: true);
    }

    /// <summary>A script that imports the module, sets $ns and the workload's inputs, then runs the workload once and
    /// prints how long the import and the workload's first run took inside the process.</summary>
    public static string Script(string nsName, string prologue, string work) => $$"""
        $ErrorActionPreference = 'Stop'
        $nftpsBenchSelf = [System.Diagnostics.Process]::GetCurrentProcess()
        $nftpsBenchCpu0 = $nftpsBenchSelf.TotalProcessorTime.TotalMilliseconds
        $nftpsBenchClock = [System.Diagnostics.Stopwatch]::StartNew()
        Import-Module '{{BenchPaths.ModuleManifest}}'
        $nftpsBenchImport = $nftpsBenchClock.Elapsed.TotalMilliseconds
        $nftpsBenchSelf.Refresh(); $nftpsBenchCpu1 = $nftpsBenchSelf.TotalProcessorTime.TotalMilliseconds
        $ns = '{{nsName}}'
        {{prologue}}
        $nftpsBenchSelf.Refresh(); $nftpsBenchCpu2 = $nftpsBenchSelf.TotalProcessorTime.TotalMilliseconds
        $nftpsBenchClock.Restart()
        $null = & {
        {{work}}
        }
        $nftpsBenchWork = $nftpsBenchClock.Elapsed.TotalMilliseconds
        $nftpsBenchSelf.Refresh(); $nftpsBenchCpu3 = $nftpsBenchSelf.TotalProcessorTime.TotalMilliseconds
        "nftps-bench import=$nftpsBenchImport work=$nftpsBenchWork importcpu=$($nftpsBenchCpu1 - $nftpsBenchCpu0) workcpu=$($nftpsBenchCpu3 - $nftpsBenchCpu2)"
        """;

    /// <summary>The import and workload times a <see cref="Script"/> printed: wall, and the process's CPU time (all threads).</summary>
    public static (double ImportMs, double WorkMs, double ImportCpuMs, double WorkCpuMs) Parse(ChildResult r)
    {
        const string number = "([0-9.Ee+-]+)";
        var m = Regex.Match(r.StdOut, $"nftps-bench import={number} work={number} importcpu={number} workcpu={number}");
        if (!m.Success) throw new InvalidOperationException("pwsh script printed no timing: " + r.StdErr + r.StdOut);
        double At(int i) => double.Parse(m.Groups[i].Value, CultureInfo.InvariantCulture);
        return (At(1), At(2), At(3), At(4));
    }

    private static string? ManifestVersion()
    {
        string manifest = Path.Combine(BenchPaths.RepoRoot, ".config", "dotnet-tools.json");
        if (!File.Exists(manifest)) return null;
        var m = Regex.Match(File.ReadAllText(manifest), "\"powershell\"\\s*:\\s*\\{[^}]*?\"version\"\\s*:\\s*\"([^\"]+)\"", RegexOptions.Singleline);
        return m.Success ? m.Groups[1].Value : null;
    }

    private static string? FindPwshDll()
    {
        string? version = ManifestVersion();
        if (version is null) return null;
        string root = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p
            ? p : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string tools = Path.Combine(root, "powershell", version, "tools");
        if (!Directory.Exists(tools)) return null;
        return Directory.EnumerateFiles(tools, "pwsh.dll", SearchOption.AllDirectories)
            .FirstOrDefault(f => f.Replace('\\', '/').Contains("/any/unix/", StringComparison.Ordinal));
    }
}

/// <summary>Medians of the real-pwsh runs: the workload's first run inside the fresh process (after Import-Module),
/// the import itself, and the whole process (wall and user+sys CPU from wait4); the first run's and the import's CPU
/// time are the process's (all threads, so background tiered JIT included).</summary>
public sealed record PwshMeasurement(double FirstCallMs, double ImportMs, double ProcessWallMs, double ProcessCpuMs, int Runs,
    double FirstCallCpuMs = double.NaN, double ImportCpuMs = double.NaN)
{
    public static PwshMeasurement Median(IReadOnlyList<PwshMeasurement> runs) => new(
        Med(runs.Select(r => r.FirstCallMs)), Med(runs.Select(r => r.ImportMs)), Med(runs.Select(r => r.ProcessWallMs)),
        Med(runs.Select(r => r.ProcessCpuMs)), runs.Count, Med(runs.Select(r => r.FirstCallCpuMs)), Med(runs.Select(r => r.ImportCpuMs)));

    internal static double Med(IEnumerable<double> values)
    {
        var v = values.Where(x => !double.IsNaN(x)).OrderBy(x => x).ToArray();
        if (v.Length == 0) return double.NaN;
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }
}
