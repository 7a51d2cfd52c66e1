using System.Diagnostics;
using System.Globalization;

namespace NftPS.NfTables.Rollback;

/// <summary>How to start the rollback agent: the program that runs PowerShell (pwsh, or dotnet and pwsh.dll) and the
/// NftPS.dll it loads. The agent is that PowerShell with a fixed command; the change's id, the store and the assembly
/// reach it as environment variables, never as command text.</summary>
public sealed record AgentProgram(IReadOnlyList<string> PowerShell, string Assembly, string StoreRoot = PendingChangeStore.DefaultRoot)
{
    /// <summary>The native nftps command (`nftps rollback-agent`), when it is the agent: no PowerShell starts then,
    /// and it needs no assembly loaded by path. Null: PowerShell loads <see cref="Assembly"/>.</summary>
    public string? Native { get; init; }

    /// <summary>The agent is the nftps executable at <paramref name="path"/>.</summary>
    public static AgentProgram Nftps(string path, string storeRoot = PendingChangeStore.DefaultRoot) =>
        new(Array.Empty<string>(), "", storeRoot) { Native = path };
}

/// <summary>Starts the agent outside the caller's session. Where systemd runs (/run/systemd/system), a transient
/// timer unit (systemd-run --on-active): it outlives the caller's login session and its cgroup, and starts the agent
/// at the deadline. Elsewhere a detached process: `sh -c 'setsid "$@" &lt;/dev/null &gt;/dev/null 2&gt;&amp;1 &amp;'` forks it
/// into a new session of its own (no terminal, so no SIGHUP; another process group, so killing the caller's group does
/// not reach it) and the shell exits at once, so it is no child of the caller either.</summary>
internal static class AgentLauncher
{
    /// <summary>The fixed command the agent's PowerShell runs.</summary>
    public const string Script =
        "Add-Type -LiteralPath $env:NFTPS_ROLLBACK_ASSEMBLY; exit [NftPS.RollbackAgentEntryPoint]::Run($env:NFTPS_ROLLBACK_ROOT, $env:NFTPS_ROLLBACK_ID)";

    private const string DetachScript = "setsid \"$@\" </dev/null >/dev/null 2>&1 & echo $!";

    public static bool SystemdRunning(string root = "/") => Directory.Exists(Path.Combine(root, "run/systemd/system"));

    public static string UnitName(string id) => "nftps-rollback-" + id;

    /// <summary>The subcommand of nftps that is the agent; the id and store come as environment variables.</summary>
    public const string NativeCommand = "rollback-agent";

    public static IReadOnlyList<string> AgentCommandLine(AgentProgram program) => program.Native is { } nftps
        ? [nftps, NativeCommand]
        : [.. program.PowerShell, "-NoProfile", "-NonInteractive", "-NoLogo", "-Command", Script];

    public static IReadOnlyDictionary<string, string> Environment(AgentProgram program, string id) => new Dictionary<string, string>
    {
        ["NFTPS_ROLLBACK_ID"] = id,
        ["NFTPS_ROLLBACK_ROOT"] = program.StoreRoot,
        ["NFTPS_ROLLBACK_ASSEMBLY"] = program.Assembly,
        ["POWERSHELL_TELEMETRY_OPTOUT"] = "1",
        ["POWERSHELL_UPDATECHECK"] = "Off",
    };

    /// <summary>systemd-run's arguments: a timer firing when the window ends (the agent sees the deadline passed and
    /// acts at once), the service collected afterwards whatever its result.</summary>
    public static IReadOnlyList<string> SystemdRunArguments(AgentProgram program, string id, TimeSpan delay)
    {
        var args = new List<string>
        {
            "--unit", UnitName(id),
            "--description", "NftPS rollback of pending change " + id,
            "--on-active", Math.Max(1, (long)Math.Ceiling(delay.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture) + "ms",
            "--timer-property=AccuracySec=100ms",
            "--collect",
            "--quiet",
        };
        foreach (var (k, v) in Environment(program, id)) args.Add($"--setenv={k}={v}");
        args.Add("--");
        args.AddRange(AgentCommandLine(program));
        return args;
    }

    /// <summary>Starts the agent for <paramref name="state"/> and records how it runs (pid and start time, or unit).</summary>
    public static void Start(PendingChangeState state, AgentProgram program)
    {
        if (SystemdRunning())
        {
            var psi = new ProcessStartInfo("systemd-run") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in SystemdRunArguments(program, state.Id, state.DeadlineUtc - DateTime.UtcNow)) psi.ArgumentList.Add(a);
            var (code, _, error) = Run(psi);
            if (code != 0) throw new InvalidOperationException($"systemd-run could not start the rollback timer (exit {code}): {error.Trim()}");
            state.AgentKind = RollbackAgentKind.SystemdUnit;
            state.AgentUnit = UnitName(state.Id);
            return;
        }
        var detach = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["-c", DetachScript, "nftps-rollback"]) detach.ArgumentList.Add(a);
        foreach (var a in AgentCommandLine(program)) detach.ArgumentList.Add(a);
        foreach (var (k, v) in Environment(program, state.Id)) detach.Environment[k] = v;
        var (exit, output, stderr) = Run(detach);
        if (exit != 0 || !int.TryParse(output.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            throw new InvalidOperationException($"The rollback agent could not be started (exit {exit}): {stderr.Trim()}");
        state.AgentKind = RollbackAgentKind.Process;
        state.AgentProcessId = pid;
        state.AgentStartTicks = AgentProcess.StartTicks(pid);
    }

    private static (int Exit, string Output, string Error) Run(ProcessStartInfo psi)
    {
        psi.UseShellExecute = false;
        psi.RedirectStandardInput = true;
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"{psi.FileName} could not be started.");
        p.StandardInput.Close();
        var error = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output, error.Result);
    }
}

/// <summary>An agent process, told apart from a later process that reuses its pid by its start time.</summary>
internal static class AgentProcess
{
    /// <summary>Field 22 of /proc/PID/stat (start time, clock ticks since boot); null when there is no such process.</summary>
    public static ulong? StartTicks(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
            string[] rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return ulong.Parse(rest[19], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Whether the agent of <paramref name="state"/> still runs (a zombie does not count).</summary>
    public static bool IsRunning(PendingChangeState state)
    {
        if (state.AgentProcessId is not { } pid || StartTicks(pid) != state.AgentStartTicks) return false;
        try { return !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal); }
        catch (IOException) { return false; }
    }

    /// <summary>Stops the agent: SIGKILL to its process (only if it is still that process), or stops its unit.</summary>
    public static void Stop(PendingChangeState state)
    {
        if (state.AgentKind == RollbackAgentKind.SystemdUnit && state.AgentUnit is { } unit)
        {
            try
            {
                var psi = new ProcessStartInfo("systemctl") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
                foreach (var a in (string[])["stop", unit + ".timer", unit + ".service"]) psi.ArgumentList.Add(a);
                using var p = Process.Start(psi);
                p?.WaitForExit(10_000);
            }
            catch (System.ComponentModel.Win32Exception) { }
            return;
        }
        if (state.AgentProcessId is not { } pid || state.AgentStartTicks is null || StartTicks(pid) != state.AgentStartTicks) return;
        try
        {
            using var p = Process.GetProcessById(pid);
            p.Kill();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception) { }
    }
}
