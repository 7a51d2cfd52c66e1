namespace NftPS.NfTables.Expressions.Xtables;

// Typed views of the xt_*_info structs (linux/netfilter/xt_*.h, ipt_*/ip6t_* headers) of the match and target
// extensions iptables-nft, ip6tables-nft and ebtables-nft write. One record per struct layout; the revision picks
// the layout. Field names follow the kernel's.

/// <summary>A decoded info blob.</summary>
public abstract record XtInfo;

/// <summary>xt_conntrack_mtinfo1/2/3 (one shape: rev 1 has 8-bit state/status masks, rev 3 port ranges).</summary>
public sealed record XtConntrackInfo(ushort MatchFlags, ushort InvertFlags, ushort StateMask, ushort StatusMask, ushort L4Proto,
    byte[][] Addresses, byte[][] Masks, ushort[] PortLow, ushort[] PortHigh, uint ExpiresMin, uint ExpiresMax) : XtInfo
{
    public const ushort State = 1, Proto = 2, OrigSrc = 4, OrigDst = 8, ReplSrc = 16, ReplDst = 32, Status = 64, Expires = 128,
        OrigSrcPort = 256, OrigDstPort = 512, ReplSrcPort = 1024, ReplDstPort = 2048, Direction = 4096, StateAlias = 8192;
    public const ushort StateInvalid = 1, StateEstablished = 2, StateRelated = 4, StateNew = 8, StateSnat = 64, StateDnat = 128,
        StateUntracked = 256;
}

/// <summary>xt_addrtype_info_v1: address type bits (RTN_*), flags: limit to in/out interface, inversions.</summary>
public sealed record XtAddrtypeInfo(ushort Source, ushort Dest, uint Flags) : XtInfo
{
    public const uint InvertSource = 1, InvertDest = 2, LimitIfaceIn = 4, LimitIfaceOut = 8;
}

/// <summary>xt_multiport_v1: up to 15 ports, a range flag per port (port i..i+1), source/destination/either.</summary>
public sealed record XtMultiportInfo(byte Flags, ushort[] Ports, byte[] RangeFlags, bool Invert) : XtInfo
{
    public const byte Source = 0, Destination = 1, Either = 2;
}

/// <summary>xt_comment_info.</summary>
public sealed record XtCommentInfo(string Comment) : XtInfo;

/// <summary>xt_mark_mtinfo1 and xt_connmark_mtinfo1 (same layout).</summary>
public sealed record XtMarkMatchInfo(uint Mark, uint Mask, bool Invert) : XtInfo;

/// <summary>xt_rateinfo: avg is the period in 1/10000 s, burst in packets.</summary>
public sealed record XtLimitInfo(uint Average, uint Burst) : XtInfo
{
    public const uint Scale = 10000;
}

/// <summary>xt_tcp and xt_udp: port ranges in host order; TCP flags and option.</summary>
public sealed record XtPortsInfo(bool Tcp, ushort[] SourcePorts, ushort[] DestinationPorts, byte Option, byte FlagMask,
    byte FlagCompare, byte InvertFlags) : XtInfo
{
    public const byte InvSource = 1, InvDestination = 2, InvFlags = 4, InvOption = 8;
}

/// <summary>ipt_icmp / ip6t_icmp: type, code range, inversion.</summary>
public sealed record XtIcmpInfo(bool V6, byte Type, byte CodeMin, byte CodeMax, bool Invert) : XtInfo;

/// <summary>xt_statistic_info: random (probability scaled to 2^31) or nth.</summary>
public sealed record XtStatisticInfo(ushort Mode, ushort Flags, uint Probability, uint Every, uint Packet) : XtInfo
{
    public const ushort Random = 0, Nth = 1, Invert = 1;
}

/// <summary>xt_owner_match_info.</summary>
public sealed record XtOwnerInfo(uint UidMin, uint UidMax, uint GidMin, uint GidMax, byte Match, byte Invert) : XtInfo
{
    public const byte Uid = 1, Gid = 2, Socket = 4, SupplGroups = 8;
}

/// <summary>The NAT targets' ranges (nf_nat_ipv4_multi_range_compat, nf_nat_range, nf_nat_range2): addresses in network
/// order (4 or 16 bytes), ports in host numbers.</summary>
public sealed record XtNatInfo(uint Flags, byte[] MinAddress, byte[] MaxAddress, ushort MinPort, ushort MaxPort) : XtInfo
{
    public const uint MapIps = 1, ProtoSpecified = 2, ProtoRandom = 4, Persistent = 8, ProtoRandomFully = 16;
}

/// <summary>ipt_reject_info / ip6t_reject_info: the `with` enum of its family.</summary>
public sealed record XtRejectInfo(bool V6, uint With) : XtInfo;

/// <summary>ipt_log_info / ip6t_log_info.</summary>
public sealed record XtLogInfo(byte Level, byte Flags, string Prefix) : XtInfo
{
    public const byte TcpSequence = 1, TcpOptions = 2, IpOptions = 4, Uid = 8, MacDecode = 0x20;
}

/// <summary>xt_mark_tginfo2: mark = (mark &amp; ~mask) ^ value.</summary>
public sealed record XtMarkTargetInfo(uint Mark, uint Mask) : XtInfo;

/// <summary>xt_connmark_tginfo1/2: set, save or restore, with masks (and a shift in rev 2).</summary>
public sealed record XtConnmarkTargetInfo(uint CtMark, uint CtMask, uint NfMask, byte Mode, byte ShiftDir, byte ShiftBits) : XtInfo
{
    public const byte Set = 0, Save = 1, Restore = 2;
}

/// <summary>xt_nflog_info.</summary>
public sealed record XtNflogInfo(uint Length, ushort Group, ushort Threshold, ushort Flags, string Prefix) : XtInfo
{
    public const ushort UseLength = 1;
}

/// <summary>xt_tcpmss_info: 0xffff means clamp to the path MTU.</summary>
public sealed record XtTcpmssInfo(ushort Mss) : XtInfo;

/// <summary>xt_ct_target_info(_v1).</summary>
public sealed record XtCtTargetInfo(ushort Flags, ushort Zone, string Helper, string Timeout) : XtInfo
{
    public const ushort NoTrack = 1;
}
