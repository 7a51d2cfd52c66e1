using NftPS.Language.DataTypes;
using T = NftPS.Language.DataTypes.DataTypeRegistry;

namespace NftPS.Language.Protocols;

/// <summary>A key of a non-payload expression (meta, ct, rt, socket, xfrm...): kernel number, token, type, size, byte order.</summary>
internal sealed record KeyTemplate(int Key, string Token, DataType Type, int LengthBits, ByteOrder ByteOrder);

/// <summary>A meta key (NFT_META_*). Unqualified ones print without "meta" (iifname, oif...).</summary>
internal sealed record MetaKey(int Key, string Token, DataType Type, int LengthBits, ByteOrder ByteOrder, bool Unqualified = false)
{
    public string Text => Unqualified ? Token : "meta " + Token;
}

/// <summary>nftables' meta_templates (src/meta.c).</summary>
internal static class MetaKeys
{
    private const ByteOrder H = ByteOrder.Host;
    private const ByteOrder B = ByteOrder.BigEndian;

    public static readonly MetaKey Protocol = new(1, "protocol", T.EtherType, 16, B);
    public static readonly MetaKey NfProto = new(15, "nfproto", T.NfProto, 8, H);
    public static readonly MetaKey L4Proto = new(16, "l4proto", T.InetProto, 8, H);

    private static readonly MetaKey?[] ByKey =
    {
        new(0, "length", T.Integer, 32, H), Protocol, new(2, "priority", T.ClassId, 32, H), new(3, "mark", T.Mark, 32, H),
        new(4, "iif", T.IfIndex, 32, H, true), new(5, "oif", T.IfIndex, 32, H, true),
        new(6, "iifname", T.IfName, 128, H, true), new(7, "oifname", T.IfName, 128, H, true),
        new(8, "iiftype", T.IfType, 16, H), new(9, "oiftype", T.IfType, 16, H),
        new(10, "skuid", T.Uid, 32, H), new(11, "skgid", T.Gid, 32, H), new(12, "nftrace", T.Integer, 1, H),
        new(13, "rtclassid", T.Realm, 32, H), new(14, "secmark", T.Integer, 32, H), NfProto, L4Proto,
        new(17, "ibrname", T.IfName, 128, H), new(18, "obrname", T.IfName, 128, H), new(19, "pkttype", T.PktType, 8, H),
        new(20, "cpu", T.Integer, 32, H), new(21, "iifgroup", T.DevGroup, 32, H, true), new(22, "oifgroup", T.DevGroup, 32, H, true),
        new(23, "cgroup", T.Integer, 32, H), new(24, "random", T.Integer, 32, B), new(25, "ipsec", T.Boolean, 8, H),
        new(26, "iifkind", T.IfName, 128, H), new(27, "oifkind", T.IfName, 128, H), new(28, "ibrpvid", T.Integer, 16, H),
        new(29, "ibrvproto", T.EtherType, 16, B), new(30, "time", T.Date, 64, H), new(31, "day", T.Day, 8, H),
        new(32, "hour", T.Hour, 32, H), new(33, "sdif", T.IfIndex, 32, H), new(34, "sdifname", T.IfName, 128, H),
        new(35, "broute", T.Boolean, 8, H),
    };

    public static MetaKey? FromKey(int key) => key >= 0 && key < ByKey.Length ? ByKey[key] : null;

    public static MetaKey? FromToken(string token) => token switch
    {
        "ibriport" => FromKey(17),
        "obriport" => FromKey(18),
        "secpath" => FromKey(25),
        _ => Find(token),
    };

    private static MetaKey? Find(string token)
    {
        foreach (var k in ByKey) if (k?.Token == token) return k;
        return null;
    }

    public static IReadOnlyList<MetaKey> All => ByKey.Where(k => k is not null).ToArray()!;
}

/// <summary>A conntrack key (NFT_CT_*). saddr/daddr/proto-src/proto-dst get their type from the protocol context.</summary>
internal sealed record CtKey(int Key, string Token, DataType Type, int LengthBits, ByteOrder ByteOrder, bool TakesDirection = false);

/// <summary>nftables' ct_templates (src/ct.c).</summary>
internal static class CtKeys
{
    private const ByteOrder H = ByteOrder.Host;
    private const ByteOrder B = ByteOrder.BigEndian;

    private static readonly CtKey[] ByKey =
    {
        new(0, "state", T.CtState, 32, H), new(1, "direction", T.CtDir, 8, H), new(2, "status", T.CtStatus, 32, H),
        new(3, "mark", T.Mark, 32, H), new(4, "secmark", T.Integer, 32, H), new(5, "expiration", T.Time, 32, H),
        new(6, "helper", T.String, 128, H), new(7, "l3proto", T.NfProto, 8, H, true), new(8, "saddr", T.Invalid, 0, B, true),
        new(9, "daddr", T.Invalid, 0, B, true), new(10, "protocol", T.InetProto, 8, B, true),
        new(11, "proto-src", T.Invalid, 16, B, true), new(12, "proto-dst", T.Invalid, 16, B, true),
        new(13, "label", T.CtLabel, 128, H), new(14, "packets", T.Integer, 64, H, true), new(15, "bytes", T.Integer, 64, H, true),
        new(16, "avgpkt", T.Integer, 64, H, true), new(17, "zone", T.Integer, 16, H, true), new(18, "event", T.CtEvent, 32, H),
        new(19, "ip saddr", T.Ipv4Addr, 32, B, true), new(20, "ip daddr", T.Ipv4Addr, 32, B, true),
        new(21, "ip6 saddr", T.Ipv6Addr, 128, B, true), new(22, "ip6 daddr", T.Ipv6Addr, 128, B, true),
        new(23, "id", T.Integer, 32, B),
    };

    public static CtKey? FromKey(int key) => key >= 0 && key < ByKey.Length ? ByKey[key] : null;

    public static CtKey? FromToken(string token)
    {
        foreach (var k in ByKey) if (k.Token == token) return k;
        return null;
    }

    public static IReadOnlyList<CtKey> All => ByKey;

    /// <summary>ct direction names: 0 original, 1 reply.</summary>
    public static string? DirectionName(int dir) => dir switch { 0 => "original", 1 => "reply", _ => null };
}

/// <summary>rt, socket, xfrm, fib, osf, numgen and hash keys (src/rt.c, socket.c, xfrm.c, fib.c, osf.c, numgen.c, hash.c).</summary>
internal static class OtherKeys
{
    private const ByteOrder H = ByteOrder.Host;
    private const ByteOrder B = ByteOrder.BigEndian;

    /// <summary>NFT_RT_*; nexthop is ip or ip6 depending on the key (1 ip4, 2 ip6).</summary>
    public static readonly KeyTemplate[] Rt =
    {
        new(0, "classid", T.Realm, 32, H), new(1, "nexthop", T.Ipv4Addr, 32, B), new(2, "nexthop", T.Ipv6Addr, 128, B),
        new(3, "mtu", T.Integer, 16, H), new(4, "ipsec", T.Boolean, 8, H),
    };

    /// <summary>NFT_SOCKET_*.</summary>
    public static readonly KeyTemplate[] Socket =
    {
        new(0, "transparent", T.Integer, 1, H), new(1, "mark", T.Mark, 32, H), new(2, "wildcard", T.Integer, 1, H),
        new(3, "cgroupv2", T.CgroupV2, 64, H),
    };

    /// <summary>NFT_XFRM_KEY_* (0 is unspec).</summary>
    public static readonly KeyTemplate?[] Xfrm =
    {
        null, new(1, "daddr", T.Ipv4Addr, 32, B), new(2, "daddr", T.Ipv6Addr, 128, B), new(3, "saddr", T.Ipv4Addr, 32, B),
        new(4, "saddr", T.Ipv6Addr, 128, B), new(5, "reqid", T.Integer, 32, H), new(6, "spi", T.Integer, 32, B),
    };

    /// <summary>NFT_FIB_RESULT_* (1 oif, 2 oifname, 3 type) with the type of the result.</summary>
    public static readonly KeyTemplate?[] FibResult =
    {
        null, new(1, "oif", T.IfIndex, 32, H), new(2, "oifname", T.IfName, 128, H), new(3, "type", T.FibAddrType, 32, H),
    };

    /// <summary>NFTA_FIB_F_* in the order nft prints them.</summary>
    public static readonly (uint Flag, string Name)[] FibFlags =
        { (1, "saddr"), (2, "daddr"), (4, "mark"), (8, "iif"), (16, "oif") };

    public const uint FibFlagPresent = 32;
}
