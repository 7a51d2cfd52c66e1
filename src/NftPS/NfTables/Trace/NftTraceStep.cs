namespace NftPS.NfTables.Trace;

/// <summary>What a trace event reports (enum nft_trace_types): a rule matched, a chain returned, or a base chain's
/// policy decided.</summary>
public enum NftTraceStepKind { Unspecified = 0, Policy = 1, Return = 2, Rule = 3 }

/// <summary>One step of a traced packet (`meta nftrace set 1`), as the kernel reports it on NFNLGRP_NFTRACE: the
/// table, chain and rule (handle) it reached and the verdict there. Steps of one packet share <see cref="TraceId"/>.</summary>
public sealed class NftTraceStep
{
    public uint TraceId { get; init; }
    public NftTraceStepKind Kind { get; init; }
    public NftFamily Family { get; init; }
    public string Table { get; init; } = "";
    public string Chain { get; init; } = "";
    /// <summary>The rule's handle (Rule steps only).</summary>
    public ulong? Handle { get; init; }
    /// <summary>accept, drop, continue, jump, goto, return, queue ... as nft names them; null when none was sent.</summary>
    public string? Verdict { get; init; }
    /// <summary>The chain a jump or goto verdict names.</summary>
    public string? VerdictChain { get; init; }
    /// <summary>The policy verdict (Policy steps): accept or drop.</summary>
    public string? Policy { get; init; }
    public uint? InputInterfaceIndex { get; init; }
    public uint? OutputInterfaceIndex { get; init; }
    public uint? Mark { get; init; }
    /// <summary>The rule's text as the ruleset lists it (Rule steps whose rule could be looked up).</summary>
    public string? Rule { get; internal set; }
    /// <summary>The packet's first bytes from its network header, and from its transport header, as the kernel copied
    /// them into the event (it sends them with the first step of each hook).</summary>
    internal byte[]? NetworkHeader { get; init; }
    internal byte[]? TransportHeader { get; init; }

    public override string ToString() =>
        $"{TraceId:x8} {Kind.ToString().ToLowerInvariant()} {Family.ToKeyword()} {Table} {Chain}" +
        (Handle is ulong h ? $" handle {h}" : "") + (Verdict is null ? "" : $" verdict {Verdict}{(VerdictChain is null ? "" : " " + VerdictChain)}") +
        (Policy is null ? "" : $" policy {Policy}");
}
