using NftPS.Language.Protocols;
using NftPS.NfTables;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;

namespace NftPS.Language.Model;

// One sealed class per statement kind (nft's struct stmt and its stmt_ops): typed fields only, no text and no
// printing. The text printer (Printing/StatementText) and the JSON writer (Json/StatementJson) switch on these types,
// and the postprocessor walks the sub-expressions each kind holds.

internal enum RelOp { Eq, Neq, Lt, Lte, Gt, Gte, Implicit, Neg }

/// <summary>A statement of the rule; <see cref="MatchS"/> holds the relational ones.</summary>
internal abstract class SStmt
{
    /// <summary>The statement's kind as a rule's Parts name it (match, counter, nat, verdict…).</summary>
    public abstract string Kind { get; }
}

internal sealed class MatchS : SStmt
{
    public override string Kind => "match";
    public SExpr Left { get; set; } = null!;
    public RelOp Op { get; set; }
    public SExpr Right { get; set; } = null!;
    /// <summary>flagcmp: `tcp flags syn / syn,ack`.</summary>
    public SExpr? Mask { get; set; }
}

/// <summary>A kernel expression the delinearizer could not read: kept (and printed as `unknown …`) so the rule is shown
/// and never silently shortened.</summary>
internal sealed class UnknownS : SStmt
{
    public UnknownS(Expression expression) => Expression = expression;
    public override string Kind => "unknown";
    public Expression Expression { get; }
}

/// <summary>`accept`, `jump x`…; a jump to a binding chain prints that chain, so the rule's table is kept.</summary>
internal sealed class VerdictS : SStmt
{
    public override string Kind => "verdict";
    public NftVerdict Verdict { get; init; } = null!;
    public NftFamily Family { get; init; }
    public string Table { get; init; } = "";
}

/// <summary>`key vmap { ... }` / `vmap @name`.</summary>
internal sealed class VmapS : SStmt
{
    public VmapS(MapX map) => Map = map;
    public override string Kind => "vmap";
    public MapX Map { get; }
}

internal sealed class CounterS : SStmt
{
    public override string Kind => "counter";
    public ulong Packets { get; init; }
    public ulong Bytes { get; init; }
}

/// <summary>`last used …`: when the rule last matched.</summary>
internal sealed class LastS : SStmt
{
    public override string Kind => "last";
    /// <summary>False until the rule has matched once (`last used never`).</summary>
    public bool Used { get; init; }
    public ulong Milliseconds { get; init; }
}

internal sealed class LogS : SStmt
{
    public override string Kind => "log";
    public string? Prefix { get; init; }
    public ushort? Group { get; init; }
    public uint Snaplen { get; init; }
    public ushort QueueThreshold { get; init; }
    public LogLevel? Level { get; init; }
    /// <summary>NF_LOG_* flags (tcp sequence 1, tcp options 2, ip options 4, skuid 8, ether 0x20).</summary>
    public uint Flags { get; init; }
}

internal sealed class LimitS : SStmt
{
    public override string Kind => "limit";
    public ulong Rate { get; init; }
    /// <summary>The period in seconds (1 second … 604800 week).</summary>
    public ulong Unit { get; init; }
    public uint Burst { get; init; }
    /// <summary>A byte rate (`limit rate 10 mbytes/second`) rather than packets.</summary>
    public bool Bytes { get; init; }
    public bool Over { get; init; }
}

internal sealed class QuotaS : SStmt
{
    public override string Kind => "quota";
    public ulong Bytes { get; init; }
    public ulong Used { get; init; }
    public bool Over { get; init; }
}

/// <summary>`ct count [over] N`.</summary>
internal sealed class ConnlimitS : SStmt
{
    public override string Kind => "connlimit";
    public uint Count { get; init; }
    public bool Over { get; init; }
}

internal sealed class NotrackS : SStmt
{
    public override string Kind => "notrack";
}

/// <summary>`flow add @ft`.</summary>
internal sealed class FlowOffloadS : SStmt
{
    public override string Kind => "flow";
    public string Flowtable { get; init; } = "";
}

/// <summary>reject: its text depends on the family and on the dependency nft folds into it (the postprocessor fills
/// <see cref="NfProto"/> and <see cref="Verbose"/>, as stmt_reject_postprocess does).</summary>
internal sealed class RejectS : SStmt
{
    public override string Kind => "reject";
    public RejectType Type { get; init; }
    public byte Code { get; init; }
    /// <summary>NFPROTO_IPV4 (2) or NFPROTO_IPV6 (10) when known, else 0.</summary>
    public int NfProto { get; set; }
    /// <summary>Print the icmp(v6) code even when it is the default (a bare `reject` would lose the protocol).</summary>
    public bool Verbose { get; set; }
}

internal enum NatOperation { Snat, Dnat, Masquerade, Redirect }

/// <summary>snat/dnat/masquerade/redirect with their address and port operands.</summary>
internal sealed class NatS : SStmt
{
    public override string Kind => Operation switch
    {
        NatOperation.Masquerade => "masquerade", NatOperation.Redirect => "redirect", _ => "nat",
    };
    public NatOperation Operation { get; init; }
    /// <summary>NFPROTO of the addresses (2 ip, 10 ip6; 0 for masquerade and redirect).</summary>
    public int Family { get; init; }
    /// <summary>Print `ip`/`ip6` after the verb (inet tables, and maps whose data nft must type).</summary>
    public bool PrintFamily { get; init; }
    /// <summary>NF_NAT_RANGE_NETMAP: `snat ip prefix to …`.</summary>
    public bool Prefix { get; init; }
    /// <summary>NF_NAT_RANGE_* flags (random, fully-random, persistent, netmap: the text shows netmap as `prefix`, the
    /// JSON as both a flag and a type flag).</summary>
    public uint Flags { get; init; }
    public SExpr? AddressMin { get; set; }
    public SExpr? AddressMax { get; set; }
    public SExpr? PortMin { get; set; }
    public SExpr? PortMax { get; set; }
}

internal sealed class TproxyS : SStmt
{
    public override string Kind => "tproxy";
    public int Family { get; init; }
    public bool PrintFamily { get; init; }
    public SExpr? Address { get; set; }
    public SExpr? Port { get; set; }
}

/// <summary>`dup [to ADDR [device DEV]]`; in netdev a device alone is the `to` operand.</summary>
internal sealed class DupS : SStmt
{
    public override string Kind => "dup";
    public SExpr? To { get; set; }
    public SExpr? Device { get; set; }
    /// <summary>Whether <see cref="To"/> is the address (typed as one in ip/ip6) or the device (an ifindex).</summary>
    public bool ToIsAddress { get; init; }
}

/// <summary>`fwd to DEV` / `fwd ip to ADDR device DEV`.</summary>
internal sealed class FwdS : SStmt
{
    public override string Kind => "fwd";
    public SExpr Device { get; set; } = null!;
    public SExpr? Address { get; set; }
    /// <summary>NFPROTO of the address (10 ip6, otherwise ip).</summary>
    public int Family { get; init; }
}

internal sealed class QueueS : SStmt
{
    public override string Kind => "queue";
    public ushort Number { get; init; }
    public ushort Total { get; init; } = 1;
    /// <summary>NFT_QUEUE_FLAG_* (bypass 1, fanout 2).</summary>
    public uint Flags { get; init; }
}

internal sealed class SynproxyS : SStmt
{
    public override string Kind => "synproxy";
    /// <summary>NF_SYNPROXY_OPT_* (mss 1, wscale 2, sack-perm 4, timestamp 8).</summary>
    public uint Flags { get; init; }
    public ushort? Mss { get; init; }
    public byte? WindowScale { get; init; }
}

/// <summary>A stateful object by name (`counter name "c"`, `ct helper set "h"`) or through a map
/// (`counter name ip saddr map @m`).</summary>
internal sealed class ObjrefS : SStmt
{
    public override string Kind => "objref";
    /// <summary>NFT_OBJECT_* of the object (of the map's objects for a map).</summary>
    public uint ObjectType { get; init; }
    public string? Name { get; init; }
    public MapX? Map { get; set; }
}

/// <summary>`add|update|delete @set { key [timeout T] [stmt…] [: data] }` (nft's set_stmt and map_stmt).</summary>
internal sealed class DynsetS : SStmt
{
    public override string Kind => "set";
    public DynsetOperation Operation { get; init; }
    public SetRefX Set { get; init; } = null!;
    public ElementKeyX Key { get; set; } = null!;
    /// <summary>Milliseconds; 0 when none was given.</summary>
    public ulong Timeout { get; init; }
    /// <summary>Statements the element is created with (counter, limit…), printed stateless.</summary>
    public List<SStmt> Statements { get; init; } = new();
    public SExpr? Data { get; set; }
    /// <summary>nft lists an element-adding statement on an anonymous set with statements as `meter NAME size N
    /// { key stmt }` (only the first statement: nft 1.0.6's quirk), whatever created it.</summary>
    public bool IsMeter { get; init; }
    public uint? MeterSize { get; init; }
}

/// <summary>`meta mark set …`.</summary>
internal sealed class MetaSetS : SStmt
{
    public override string Kind => "meta";
    public Protocols.MetaKey Key { get; init; } = null!;
    public SExpr Value { get; set; } = null!;
}

/// <summary>`ct [original|reply] mark set …`.</summary>
internal sealed class CtSetS : SStmt
{
    public override string Kind => "ct";
    public Protocols.CtKey Key { get; init; } = null!;
    public int Direction { get; init; } = -1;
    public SExpr Value { get; set; } = null!;
}

/// <summary>`payload set`: `ip ttl set 64`, `tcp dport set 22`.</summary>
internal sealed class PayloadSetS : SStmt
{
    public PayloadSetS(PayloadX target, SExpr value) { Target = target; Value = value; }
    public override string Kind => "payload";
    public PayloadX Target { get; set; }
    public SExpr Value { get; set; }
}

/// <summary>`tcp option maxseg size set 1360`.</summary>
internal sealed class ExthdrSetS : SStmt
{
    public override string Kind => "exthdr";
    public ExthdrX Target { get; init; } = null!;
    public SExpr Value { get; set; } = null!;
}

/// <summary>`reset tcp option sack-perm`.</summary>
internal sealed class ExthdrResetS : SStmt
{
    public override string Kind => "exthdr";
    public ExthdrX Option { get; init; } = null!;
}

/// <summary>An xtables match or target run through nft_compat (iptables-nft, ip6tables-nft, ebtables-nft wrote it):
/// printed as nft prints it, translated where libxtables translates the extension, `xt match NAME` where not.</summary>
internal sealed class XtS : SStmt
{
    public override string Kind => "xt";
    public XtablesExpression Expression { get; init; } = null!;
    public bool IsTarget => Expression is TargetExpression;
    /// <summary>nft's type word: ebtables' log and nflog targets are watchers (they never end the rule).</summary>
    public string TypeName => Expression is MatchExpression ? "match"
        : Family == NftFamily.Bridge && Expression.ExtensionName is "log" or "nflog" or "ulog" ? "watcher" : "target";
    /// <summary>The decoded info blob; null for an extension or revision we do not decode.</summary>
    public NftPS.NfTables.Expressions.Xtables.XtInfo? Info { get; init; }
    public NftFamily Family { get; init; }
    /// <summary>The layer-4 protocol an earlier match of the rule fixed (`-p tcp`), or -1: multiport prints with it.</summary>
    public int L4Proto { get; init; } = -1;
}
