namespace NftPS.Language.DataTypes;

/// <summary>The nftables data types by id (NETLINK-NOTES §7; nftables src/datatype.c, proto.c, meta.c, ct.c, ...).</summary>
internal static class DataTypeRegistry
{
    private const ByteOrder H = ByteOrder.Host;
    private const ByteOrder B = ByteOrder.BigEndian;
    private const ByteOrder N = ByteOrder.Invalid;

    /// <summary>Bits per component in a concatenated type id (TYPE_BITS).</summary>
    public const int ConcatTypeBits = 6;

    public static readonly DataType Invalid = new(0, "invalid", "invalid", N, 0, null) { Printer = ValueFormatter.PrintInvalid };
    public static readonly DataType Verdict = new(1, "verdict", "netfilter verdict", N, 0, null);
    public static readonly DataType Integer = new(4, "integer", "integer", N, 0, null);
    public static readonly DataType String = new(5, "string", "string", H, 0, null) { Printer = ValueFormatter.PrintString };
    /// <summary>Raw payload values print in hex (nftables' xinteger_type, id 4 like integer).</summary>
    public static readonly DataType HexInteger = new(4, "integer", "integer", N, 0, Integer) { BaseFormat = "x" };
    public static readonly DataType NfProto = new(2, "nf_proto", "netfilter protocol", N, 8, Integer)
    { Symbols = new(false, ("ipv4", 2), ("ipv6", 10)) };
    public static readonly DataType Bitmask = new(3, "bitmask", "bitmask", N, 0, Integer) { BaseFormat = "x" };
    public static readonly DataType LlAddr = new(6, "ll_addr", "link layer address", B, 0, Integer) { Printer = ValueFormatter.PrintLlAddr };
    public static readonly DataType Ipv4Addr = new(7, "ipv4_addr", "IPv4 address", B, 32, Integer) { Printer = ValueFormatter.PrintIpv4, AllowsPrefix = true };
    public static readonly DataType Ipv6Addr = new(8, "ipv6_addr", "IPv6 address", B, 128, Integer) { Printer = ValueFormatter.PrintIpv6, AllowsPrefix = true };
    public static readonly DataType EtherAddr = new(9, "ether_addr", "Ethernet address", B, 48, LlAddr);
    public static readonly DataType EtherType = new(10, "ether_type", "Ethernet protocol", B, 16, Integer)
    {
        BaseFormat = "x4",
        Symbols = new(true, ("ip", 0x0800), ("arp", 0x0806), ("ip6", 0x86dd), ("8021q", 0x8100), ("8021ad", 0x88a8), ("vlan", 0x8100)),
    };
    public static readonly DataType ArpOp = new(11, "arp_op", "ARP operation", B, 16, Integer)
    {
        Symbols = new(true, ("request", 1), ("reply", 2), ("rrequest", 3), ("rreply", 4), ("inrequest", 8), ("inreply", 9), ("nak", 10)),
    };
    public static readonly DataType InetProto = new(12, "inet_proto", "Internet protocol", N, 8, Integer)
    { Printer = ValueFormatter.PrintInetProto, Parser = ValueFormatter.ParseInetProto };
    public static readonly DataType InetService = new(13, "inet_service", "internet network service", B, 16, Integer)
    { Printer = ValueFormatter.PrintInetService };
    public static readonly DataType IcmpType = new(14, "icmp_type", "ICMP type", B, 8, Integer)
    {
        Symbols = new(false, ("echo-reply", 0), ("destination-unreachable", 3), ("source-quench", 4), ("redirect", 5),
            ("echo-request", 8), ("router-advertisement", 9), ("router-solicitation", 10), ("time-exceeded", 11),
            ("parameter-problem", 12), ("timestamp-request", 13), ("timestamp-reply", 14), ("info-request", 15),
            ("info-reply", 16), ("address-mask-request", 17), ("address-mask-reply", 18)),
    };
    public static readonly DataType TcpFlag = new(15, "tcp_flag", "TCP flag", B, 8, Bitmask)
    {
        Symbols = new(true, ("fin", 0x01), ("syn", 0x02), ("rst", 0x04), ("psh", 0x08), ("ack", 0x10), ("urg", 0x20), ("ecn", 0x40), ("cwr", 0x80)),
    };
    public static readonly DataType DccpPktType = new(16, "dccp_pkttype", "DCCP packet type", N, 4, Integer)
    {
        Symbols = new(true, ("request", 0), ("response", 1), ("data", 2), ("ack", 3), ("dataack", 4), ("closereq", 5),
            ("close", 6), ("reset", 7), ("sync", 8), ("syncack", 9)),
    };
    public static readonly DataType MhType = new(17, "mh_type", "Mobility Header Type", B, 8, Integer)
    {
        Symbols = new(false, ("binding-refresh-request", 0), ("home-test-init", 1), ("careof-test-init", 2), ("home-test", 3),
            ("careof-test", 4), ("binding-update", 5), ("binding-acknowledgement", 6), ("binding-error", 7),
            ("fast-binding-update", 8), ("fast-binding-acknowledgement", 9), ("fast-binding-advertisement", 10),
            ("experimental-mobility-header", 11), ("home-agent-switch-message", 12)),
    };
    public static readonly DataType Time = new(18, "time", "relative time", H, 32, Integer) { Printer = ValueFormatter.PrintTime };
    public static readonly DataType Mark = new(19, "mark", "packet mark", H, 32, Integer)
    { BaseFormat = "x8", QuoteSymbols = true, AllowsPrefix = true, Symbols = SymbolTable.FromIproute2File("/etc/iproute2/rt_marks") };
    public static readonly DataType IfIndex = new(20, "iface_index", "network interface index", H, 32, Integer) { Printer = ValueFormatter.PrintIfIndex };
    public static readonly DataType IfType = new(21, "iface_type", "network interface type", H, 16, Integer)
    {
        Symbols = new(true, ("ether", 1), ("ppp", 512), ("ipip", 768), ("ipip6", 769), ("loopback", 772), ("sit", 776), ("ipgre", 778)),
    };
    public static readonly DataType Realm = new(22, "realm", "routing realm", H, 32, Integer)
    { QuoteSymbols = true, AllowsPrefix = true, Symbols = SymbolTable.FromIproute2File("/etc/iproute2/rt_realms") };
    public static readonly DataType ClassId = new(23, "classid", "TC classid", H, 32, Integer) { Printer = ValueFormatter.PrintClassId };
    public static readonly DataType Uid = new(24, "uid", "user ID", H, 32, Integer) { Printer = ValueFormatter.PrintUid };
    public static readonly DataType Gid = new(25, "gid", "group ID", H, 32, Integer) { Printer = ValueFormatter.PrintGid };
    public static readonly DataType CtState = new(26, "ct_state", "conntrack state", H, 32, Bitmask)
    { Symbols = new(true, ("invalid", 1), ("new", 8), ("established", 2), ("related", 4), ("untracked", 0x40)) };
    public static readonly DataType CtDir = new(27, "ct_dir", "conntrack direction", N, 8, Integer)
    { Symbols = new(false, ("original", 0), ("reply", 1)) };
    public static readonly DataType CtStatus = new(28, "ct_status", "conntrack status", H, 32, Bitmask)
    {
        Symbols = new(true, ("expected", 1), ("seen-reply", 2), ("assured", 4), ("confirmed", 8), ("snat", 0x10), ("dnat", 0x20), ("dying", 0x200)),
    };
    public static readonly DataType Icmp6Type = new(29, "icmpv6_type", "ICMPv6 type", B, 8, Integer)
    {
        Symbols = new(false, ("destination-unreachable", 1), ("packet-too-big", 2), ("time-exceeded", 3), ("parameter-problem", 4),
            ("echo-request", 128), ("echo-reply", 129), ("mld-listener-query", 130), ("mld-listener-report", 131),
            ("mld-listener-done", 132), ("mld-listener-reduction", 132), ("nd-router-solicit", 133), ("nd-router-advert", 134),
            ("nd-neighbor-solicit", 135), ("nd-neighbor-advert", 136), ("nd-redirect", 137), ("router-renumbering", 138),
            ("ind-neighbor-solicit", 141), ("ind-neighbor-advert", 142), ("mld2-listener-report", 143)),
    };
    public static readonly DataType CtLabel = new(30, "ct_label", "conntrack label", H, 128, Bitmask)
    { Printer = ValueFormatter.PrintCtLabel, Symbols = SymbolTable.FromIproute2File("/etc/connlabel.conf") };
    public static readonly DataType PktType = new(31, "pkt_type", "packet type", H, 8, Integer)
    { Symbols = new(false, ("host", 0), ("unicast", 0), ("broadcast", 1), ("multicast", 2), ("other", 3)) };
    public static readonly DataType IcmpCode = new(32, "icmp_code", "icmp code", B, 8, Integer)
    {
        Symbols = new(false, ("net-unreachable", 0), ("host-unreachable", 1), ("prot-unreachable", 2), ("port-unreachable", 3),
            ("net-prohibited", 9), ("host-prohibited", 10), ("admin-prohibited", 13), ("frag-needed", 4)),
    };
    public static readonly DataType Icmpv6Code = new(33, "icmpv6_code", "icmpv6 code", B, 8, Integer)
    {
        Symbols = new(false, ("no-route", 0), ("admin-prohibited", 1), ("addr-unreachable", 3), ("port-unreachable", 4),
            ("policy-fail", 5), ("reject-route", 6)),
    };
    public static readonly DataType IcmpxCode = new(34, "icmpx_code", "icmpx code", B, 8, Integer)
    { Symbols = new(false, ("port-unreachable", 1), ("admin-prohibited", 3), ("no-route", 0), ("host-unreachable", 2)) };
    public static readonly DataType DevGroup = new(35, "devgroup", "devgroup name", H, 32, Integer)
    { QuoteSymbols = true, AllowsPrefix = true, Symbols = SymbolTable.FromIproute2File("/etc/iproute2/group") };
    public static readonly DataType Dscp = new(36, "dscp", "Differentiated Services Code Point", B, 6, Integer)
    {
        BaseFormat = "x2",
        Symbols = new(true, ("cs0", 0x00), ("cs1", 0x08), ("cs2", 0x10), ("cs3", 0x18), ("cs4", 0x20), ("cs5", 0x28), ("cs6", 0x30),
            ("cs7", 0x38), ("df", 0x00), ("be", 0x00), ("lephb", 0x01), ("af11", 0x0a), ("af12", 0x0c), ("af13", 0x0e), ("af21", 0x12),
            ("af22", 0x14), ("af23", 0x16), ("af31", 0x1a), ("af32", 0x1c), ("af33", 0x1e), ("af41", 0x22), ("af42", 0x24),
            ("af43", 0x26), ("va", 0x2c), ("ef", 0x2e)),
    };
    public static readonly DataType Ecn = new(37, "ecn", "Explicit Congestion Notification", B, 2, Integer)
    { BaseFormat = "x1", Symbols = new(true, ("not-ect", 0), ("ect1", 1), ("ect0", 2), ("ce", 3)) };
    public static readonly DataType FibAddrType = new(38, "fib_addrtype", "fib address type", H, 32, Integer)
    {
        Symbols = new(false, ("unspec", 0), ("unicast", 1), ("local", 2), ("broadcast", 3), ("anycast", 4), ("multicast", 5),
            ("blackhole", 6), ("unreachable", 7), ("prohibit", 8)),
    };
    public static readonly DataType Boolean = new(39, "boolean", "boolean type", N, 1, Integer)
    { Symbols = new(false, ("exists", 1), ("missing", 0)) };
    public static readonly DataType CtEvent = new(40, "ct_event", "conntrack event bits", H, 32, Bitmask)
    {
        Symbols = new(true, ("new", 1), ("related", 2), ("destroy", 4), ("reply", 8), ("assured", 0x10), ("protoinfo", 0x20),
            ("helper", 0x40), ("mark", 0x80), ("seqadj", 0x100), ("secmark", 0x200), ("label", 0x400)),
    };
    public static readonly DataType IfName = new(41, "ifname", "network interface name", H, 128, String);
    public static readonly DataType IgmpType = new(42, "igmp_type", "IGMP type", B, 8, Integer)
    {
        Symbols = new(false, ("membership-query", 0x11), ("membership-report-v1", 0x12), ("membership-report-v2", 0x16),
            ("membership-report-v3", 0x22), ("leave-group", 0x17)),
    };
    public static readonly DataType Date = new(43, "time", "Relative time of packet reception", H, 64, Integer) { Printer = ValueFormatter.PrintDate };
    public static readonly DataType Hour = new(44, "hour", "Hour of day of packet reception", H, 32, Integer) { Printer = ValueFormatter.PrintHour };
    public static readonly DataType Day = new(45, "day", "Day of week of packet reception", H, 8, Integer)
    {
        QuoteSymbols = true,
        Symbols = new(false, ("Sunday", 0), ("Monday", 1), ("Tuesday", 2), ("Wednesday", 3), ("Thursday", 4), ("Friday", 5), ("Saturday", 6)),
    };
    public static readonly DataType CgroupV2 = new(46, "cgroupsv2", "cgroupsv2 path", H, 64, Integer) { Printer = ValueFormatter.PrintCgroupV2 };

    private static readonly DataType[] ById =
    {
        Invalid, Verdict, NfProto, Bitmask, Integer, String, LlAddr, Ipv4Addr, Ipv6Addr, EtherAddr, EtherType, ArpOp,
        InetProto, InetService, IcmpType, TcpFlag, DccpPktType, MhType, Time, Mark, IfIndex, IfType, Realm, ClassId,
        Uid, Gid, CtState, CtDir, CtStatus, Icmp6Type, CtLabel, PktType, IcmpCode, Icmpv6Code, IcmpxCode, DevGroup,
        Dscp, Ecn, FibAddrType, Boolean, CtEvent, IfName, IgmpType, Date, Hour, Day, CgroupV2,
    };

    /// <summary>All registered types, indexed by id (0 invalid … 46 cgroupsv2).</summary>
    public static IReadOnlyList<DataType> All => ById;

    public const int MaxId = 46;

    public static DataType? FromId(int id) => id >= 0 && id < ById.Length ? ById[id] : null;

    public static DataType? FromName(string name)
    {
        foreach (var t in ById)
            if (t.Name == name) return t;
        return null;
    }

    /// <summary>Splits a concatenated set key type (6 bits per component, first component highest) into its parts.
    /// A plain type gives one part.</summary>
    public static IReadOnlyList<int> SplitConcatType(uint type)
    {
        if (type <= MaxId) return new[] { (int)type };
        var parts = new List<int>();
        while (type != 0)
        {
            parts.Add((int)(type & ((1u << ConcatTypeBits) - 1)));
            type >>= ConcatTypeBits;
        }
        parts.Reverse();
        return parts;
    }

    /// <summary>The text nft prints after `type` for a set key or data type id: "ipv4_addr . inet_service".</summary>
    public static string TypeName(uint type)
    {
        if (type == 0xffffff00) return "verdict";
        return string.Join(" . ", SplitConcatType(type).Select(id => FromId(id)?.Name ?? "invalid"));
    }

    /// <summary>Packs component type ids into a concatenated type id.</summary>
    public static uint ConcatTypeId(IEnumerable<int> ids)
    {
        uint t = 0;
        foreach (int id in ids) t = (t << ConcatTypeBits) | (uint)id;
        return t;
    }
}
