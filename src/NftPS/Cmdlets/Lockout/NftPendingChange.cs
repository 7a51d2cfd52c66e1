using NftPS.NfTables;
using NftPS.NfTables.Rollback;

namespace NftPS.Cmdlets;

/// <summary>A change applied with -ConfirmWithin: it rolls back at <see cref="Deadline"/> unless Confirm-NftChange
/// keeps it. Also what Confirm-/Undo-/Get-NftPendingChange return.</summary>
public sealed class NftPendingChange
{
    internal NftPendingChange(PendingChangeState state, PendingChangeResult? result = null)
    {
        Id = state.Id;
        Status = state.Status;
        Result = result;
        Created = state.CreatedUtc.ToLocalTime();
        Deadline = state.DeadlineUtc.ToLocalTime();
        Tables = state.Tables.Select(t => $"{t.Family.ToKeyword()} {t.Name}").ToArray();
        GenerationBefore = state.GenerationBefore;
        GenerationAfter = state.GenerationAfter;
        NetworkNamespace = state.NetworkNamespace;
        NamespacePath = state.NamespacePath;
        AgentProcessId = state.AgentProcessId;
        AgentUnit = state.AgentUnit;
        Agent = state.AgentKind == RollbackAgentKind.SystemdUnit
            ? $"systemd unit {state.AgentUnit}"
            : state.AgentProcessId is { } pid ? $"detached process {pid}" : "none";
        if (state.Outcome is { } o)
        {
            RolledBackAt = o.AtUtc.ToLocalTime();
            Drift = o.Drift;
            DriftDetail = o.DriftDetail;
            Error = o.Error;
            PreservedSets = o.PreservedSets.ToArray();
        }
    }

    public string Id { get; }
    public PendingChangeStatus Status { get; }
    /// <summary>What Confirm-NftChange or Undo-NftChange achieved (Done, TooLate); null from the other cmdlets.</summary>
    public PendingChangeResult? Result { get; }
    public DateTime Created { get; }
    public DateTime Deadline { get; }
    /// <summary>Until the rollback (zero once the deadline has passed).</summary>
    public TimeSpan TimeLeft => Status == PendingChangeStatus.Pending && Deadline > DateTime.Now ? Deadline - DateTime.Now : TimeSpan.Zero;
    /// <summary>The tables snapshotted and restored, "family name".</summary>
    public string[] Tables { get; }
    public uint GenerationBefore { get; }
    public uint GenerationAfter { get; }
    public string? NetworkNamespace { get; }
    /// <summary>The namespace file the agent enters (inode-checked).</summary>
    public string NamespacePath { get; }
    /// <summary>How the rollback runs: "detached process PID" or "systemd unit NAME".</summary>
    public string Agent { get; }
    public int? AgentProcessId { get; }
    public string? AgentUnit { get; }
    public DateTime? RolledBackAt { get; }
    /// <summary>The tables were changed by someone else during the window; they were restored all the same.</summary>
    public bool Drift { get; }
    public string? DriftDetail { get; }
    /// <summary>Dynamic sets (bans, meters) whose elements at rollback time were kept.</summary>
    public string[] PreservedSets { get; } = Array.Empty<string>();
    public string? Error { get; }

    public override string ToString() => $"{Id} {Status} ({string.Join(", ", Tables)})";

    /// <summary>The agent: the native nftps beside this NftPS.dll (`nftps rollback-agent`: no PowerShell has to start,
    /// so the rollback does not depend on one being installed or quick). Without it: this PowerShell (pwsh, or dotnet
    /// running pwsh.dll), else pwsh on PATH, else the dotnet tool's pwsh.dll in the NuGet cache, loading this very
    /// NftPS.dll.</summary>
    internal static AgentProgram AgentProgram()
    {
        string assembly = typeof(RollbackAgentEntryPoint).Assembly.Location;
        if (NativeAgent(assembly) is { } nftps) return NftPS.NfTables.Rollback.AgentProgram.Nftps(nftps);
        return new(PowerShellCommand(), assembly);
    }

    /// <summary>The nftps executable in the folder of <paramref name="assembly"/>, when it is there and executable.</summary>
    internal static string? NativeAgent(string assembly)
    {
        string? dir = Path.GetDirectoryName(assembly);
        if (string.IsNullOrEmpty(dir)) return null;
        string path = Path.Combine(dir, "nftps");
        try
        {
            return File.Exists(path) && (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0 ? path : null;
        }
        catch (IOException) { return null; }
    }

    internal static IReadOnlyList<string> PowerShellCommand()
    {
        string? exe = Environment.ProcessPath;
        if (exe is not null && Path.GetFileName(exe) == "pwsh") return [exe];
        string[] args = Environment.GetCommandLineArgs();
        if (exe is not null && args.Length > 0 && Path.GetFileName(args[0]) == "pwsh.dll" && File.Exists(args[0]))
            return [exe, Path.GetFullPath(args[0])];
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
        foreach (string dir in path)
            if (File.Exists(Path.Combine(dir, "pwsh"))) return [Path.Combine(dir, "pwsh")];
        string? dotnet = exe is not null && Path.GetFileName(exe) == "dotnet" ? exe
            : path.Select(d => Path.Combine(d, "dotnet")).FirstOrDefault(File.Exists);
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string tool = Path.Combine(packages, "powershell");
        if (dotnet is not null && Directory.Exists(tool) &&
            Directory.EnumerateFiles(tool, "pwsh.dll", SearchOption.AllDirectories).Order(StringComparer.Ordinal).LastOrDefault() is { } dll)
            return [dotnet, dll];
        throw new InvalidOperationException("No PowerShell was found to run the rollback agent (pwsh on PATH, or the dotnet tool's pwsh.dll).");
    }
}
