using NftPS.NfTables.Expressions;

namespace NftPS.Language.Model;

// The loads other than payload, exthdr, meta and ct: each keeps the kernel's own key and parameters, and the printers
// make nft's text and JSON from them (nft's rt_expr, socket_expr, osf_expr, fib_expr, numgen_expr, hash_expr,
// xfrm_expr). Type, byte order and length come from the key as the delinearizer reads it.

/// <summary>`rt classid`, `rt ip nexthop`, `rt mtu`…: a routing property of the packet.</summary>
internal sealed class RtX : SExpr
{
    public RtKey Key { get; init; }
    /// <summary>The key's nft token (classid, nexthop, mtu, ipsec).</summary>
    public string Token { get; init; } = "";
}

/// <summary>`socket transparent`, `socket cgroupv2 level 2`…: a property of the packet's socket.</summary>
internal sealed class SocketX : SExpr
{
    public SocketKey Key { get; init; }
    public string Token { get; init; } = "";
    /// <summary>The cgroup level (cgroupv2 only).</summary>
    public uint? Level { get; init; }
}

/// <summary>`osf [ttl loose|skip] name|version`: the passive OS fingerprint.</summary>
internal sealed class OsfX : SExpr
{
    /// <summary>NFT_OSF_TTL_*: 0 true (printed as nothing), 1 loose, 2 skip.</summary>
    public byte Ttl { get; init; }
    public bool Version { get; init; }
}

/// <summary>`fib saddr . iif oif`: a forwarding lookup.</summary>
internal sealed class FibX : SExpr
{
    public FibResult Result { get; init; }
    /// <summary>The result's nft token (oif, oifname, type), "unknown" for one nft does not know.</summary>
    public string ResultToken { get; init; } = "";
    /// <summary>NFTA_FIB_F_* without the present flag.</summary>
    public uint Flags { get; init; }
    /// <summary>NFTA_FIB_F_PRESENT: the result is a boolean (`fib daddr oif exists`).</summary>
    public bool Present { get; init; }
}

/// <summary>`numgen inc|random mod N [offset M]`.</summary>
internal sealed class NumgenX : SExpr
{
    public NumgenType Mode { get; init; }
    public uint Modulus { get; init; }
    public uint Offset { get; init; }
}

/// <summary>`jhash EXPR mod N [seed S] [offset M]` / `symhash mod N [offset M]`.</summary>
internal sealed class HashX : SExpr
{
    public bool Symmetric { get; init; }
    /// <summary>What a jhash hashes (null for symhash).</summary>
    public SExpr? Inner { get; set; }
    public uint Modulus { get; init; }
    public uint? Seed { get; init; }
    public uint Offset { get; init; }
}

/// <summary>`ipsec in|out [spnum N] [ip|ip6] KEY`: a property of the packet's IPsec state.</summary>
internal sealed class XfrmX : SExpr
{
    public XfrmKey Key { get; init; }
    public string Token { get; init; } = "";
    public XfrmDirection Direction { get; init; }
    public uint SpNum { get; init; }
}
