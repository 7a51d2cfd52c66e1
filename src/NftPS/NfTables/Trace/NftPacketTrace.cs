using System.Net;

namespace NftPS.NfTables.Trace;

/// <summary>One traced packet (Trace-NftPacket): what it was, and its path through the ruleset — every chain and rule
/// it hit in order, with the verdict each gave — and how it ended (the last deciding verdict, and the base chain policy
/// when a policy decided).</summary>
public sealed class NftPacketTrace
{
    /// <summary>The kernel's trace id: the steps of this packet share it.</summary>
    public uint Id { get; init; }
    /// <summary>The family of the tables that saw the packet (inet, ip, ip6 ...).</summary>
    public NftFamily Family { get; init; }
    public string? InputInterface { get; init; }
    public string? OutputInterface { get; init; }
    /// <summary>The layer-4 protocol (tcp, udp, icmp ...), from the copied network header.</summary>
    public string? Protocol { get; init; }
    public IPAddress? SourceAddress { get; init; }
    public IPAddress? DestinationAddress { get; init; }
    public ushort? SourcePort { get; init; }
    public ushort? DestinationPort { get; init; }
    /// <summary>The chains and rules hit, in the order the kernel reported them.</summary>
    public NftTraceStep[] Steps { get; init; } = Array.Empty<NftTraceStep>();
    /// <summary>The last verdict that decided the packet's fate at a hook (accept, drop, queue, stolen ...); null when
    /// none did (every rule continued and no policy was reported).</summary>
    public string? Verdict { get; init; }
    /// <summary>The base chain policy that decided, when the packet fell off the end of a base chain.</summary>
    public string? Policy { get; init; }
    /// <summary>"table chain" names in the order they were entered (a chain re-entered after a jump is listed once per
    /// entry).</summary>
    public string[] Chains => Steps.Select(s => $"{s.Table} {s.Chain}")
        .Where((c, i) => i == 0 || $"{Steps[i - 1].Table} {Steps[i - 1].Chain}" != c).ToArray();

    public override string ToString() =>
        $"{Id:x8} {Protocol} {SourceAddress}{(SourcePort is { } sp ? ":" + sp : "")} > {DestinationAddress}{(DestinationPort is { } dp ? ":" + dp : "")} " +
        $"{string.Join(" > ", Chains)} {Verdict}{(Policy is null ? "" : " (policy)")}";
}
