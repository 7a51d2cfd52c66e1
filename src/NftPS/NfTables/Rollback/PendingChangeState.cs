using NftPS.NfTables.Model;

namespace NftPS.NfTables.Rollback;

/// <summary>Where a pending change stands.</summary>
public enum PendingChangeStatus
{
    /// <summary>Applied; rolls back at the deadline unless confirmed.</summary>
    Pending,
    /// <summary>Confirmed in time: the change stays.</summary>
    Confirmed,
    /// <summary>Rolled back by the agent at the deadline.</summary>
    RolledBack,
    /// <summary>Rolled back on request (Undo-NftChange) before the deadline.</summary>
    Undone,
    /// <summary>The rollback was attempted and failed (see the outcome's error); the change may still be in place.</summary>
    Failed,
}

/// <summary>How the rollback agent runs.</summary>
public enum RollbackAgentKind { Process, SystemdUnit }

/// <summary>The state of one pending change, kept as JSON in /run/nftps/pending/ID/state.json (0600) next to the
/// restore batch (restore.bin). Written by the process that applied the change; read by the agent and by whichever
/// process confirms or undoes it. Plain data: no PowerShell, no code, nothing a reader executes.</summary>
public sealed class PendingChangeState
{
    public string Id { get; set; } = "";
    public PendingChangeStatus Status { get; set; }
    public DateTime CreatedUtc { get; set; }
    public DateTime DeadlineUtc { get; set; }
    /// <summary>The -NetworkNamespace the change was made in, as the caller gave it (null: the caller's own).</summary>
    public string? NetworkNamespace { get; set; }
    /// <summary>The file the agent enters the namespace by: /run/netns/NAME, or a bind mount of the namespace under
    /// the change's directory when it has no name (a /proc/PID path dies with the process it names).</summary>
    public string NamespacePath { get; set; } = "";
    public bool NamespacePinned { get; set; }
    /// <summary>The namespace file's identity when armed: the agent acts only in that very namespace (a name deleted
    /// and re-created by `ip netns` keeps its path, not its inode).</summary>
    public ulong NamespaceDevice { get; set; }
    public ulong NamespaceInode { get; set; }
    public List<ScopedTableState> Tables { get; set; } = new();
    public uint GenerationBefore { get; set; }
    public uint GenerationAfter { get; set; }
    /// <summary><see cref="RollbackScope.Fingerprint"/> of the scope right after the change.</summary>
    public string FingerprintAfter { get; set; } = "";
    public bool PreserveDynamicSets { get; set; } = true;
    public SegmentState Core { get; set; } = new();
    public List<DynamicSetState> DynamicSets { get; set; } = new();
    public RollbackAgentKind AgentKind { get; set; }
    public int? AgentProcessId { get; set; }
    /// <summary>The agent's start time in clock ticks since boot (/proc/PID/stat field 22): with the pid, what tells
    /// the agent from a later process that got the same pid.</summary>
    public ulong? AgentStartTicks { get; set; }
    public string? AgentUnit { get; set; }
    /// <summary>Set once the rollback ran (or failed).</summary>
    public RollbackOutcome? Outcome { get; set; }
}

public sealed class ScopedTableState
{
    public NftFamily Family { get; set; }
    public string Name { get; set; } = "";
}

public sealed class SegmentState
{
    public int Offset { get; set; }
    public int Length { get; set; }
    public int Count { get; set; }
    public static SegmentState Of(Segment s) => new() { Offset = s.Offset, Length = s.Length, Count = s.Count };
}

public sealed class DynamicSetState
{
    public NftFamily Family { get; set; }
    public string Table { get; set; } = "";
    public string Set { get; set; } = "";
    public SegmentState Elements { get; set; } = new();
}

/// <summary>What happened when the change was rolled back.</summary>
public sealed class RollbackOutcome
{
    public DateTime AtUtc { get; set; }
    /// <summary>Who rolled back: "agent" at the deadline, "undo" on request.</summary>
    public string By { get; set; } = "";
    /// <summary>The scope was changed by someone else during the window (rolled back anyway).</summary>
    public bool Drift { get; set; }
    public string? DriftDetail { get; set; }
    public uint? GenerationAtRollback { get; set; }
    /// <summary>Dynamic sets whose elements at rollback time were kept.</summary>
    public List<string> PreservedSets { get; set; } = new();
    public string? Error { get; set; }
}
