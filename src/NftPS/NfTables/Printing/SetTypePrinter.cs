using System.Buffers.Binary;
using NftPS.NfTables.Model;

namespace NftPS.NfTables.Printing;

/// <summary>nftables datatype ids (NETLINK-NOTES §7) and their names as nft prints them after `type`.</summary>
public static class DataTypeNames
{
    public const uint Verdict = 1, Integer = 4, Ipv4Addr = 7, Ipv6Addr = 8, EtherAddr = 9, InetProto = 12, InetService = 13,
        Mark = 19, CtState = 26, IfName = 41;
    /// <summary>Bits per component in a concatenation type id.</summary>
    public const int ConcatBits = 6;

    private static readonly string[] Names =
    {
        "invalid", "verdict", "nf_proto", "bitmask", "integer", "string", "ll_addr", "ipv4_addr", "ipv6_addr", "ether_addr",
        "ether_type", "arp_op", "inet_proto", "inet_service", "icmp_type", "tcp_flag", "dccp_pkttype", "mh_type", "time",
        "mark", "iface_index", "iface_type", "realm", "classid", "uid", "gid", "ct_state", "ct_dir", "ct_status",
        "icmpv6_type", "ct_label", "pkt_type", "icmp_code", "icmpv6_code", "icmpx_code", "devgroup", "dscp", "ecn",
        "fib_addrtype", "boolean", "ct_event", "ifname", "igmp_type", "time", "hour", "day", "cgroupsv2",
    };

    public static string Name(uint id) => id < Names.Length ? Names[id] : id.ToString();

    /// <summary>The components of a (possibly concatenated) type id, first component first.</summary>
    public static uint[] Components(uint type)
    {
        if (type < (1u << ConcatBits)) return new[] { type };
        var parts = new List<uint>();
        while (type != 0)
        {
            parts.Insert(0, type & ((1u << ConcatBits) - 1));
            type >>= ConcatBits;
        }
        return parts.ToArray();
    }

    /// <summary>"ipv4_addr . inet_service" for a concatenation id.</summary>
    public static string Describe(uint type) => string.Join(" . ", Components(type).Select(Name));
}

/// <summary>The `type …` / `typeof …` line of a set or map, as nft 1.0.6 prints it.</summary>
public static class SetTypePrinter
{
    /// <summary>"type ipv4_addr : verdict", "typeof ip saddr . tcp dport : meta mark"...</summary>
    public static string Print(NftSet set)
    {
        string? keyTypeof = set.KeyTypeof is { } kt ? TypeofText(kt) : null;
        string text = keyTypeof is not null ? "typeof " + keyTypeof : "type " + DataTypeNames.Describe(set.KeyType);
        if (set.IsMap || set.IsObjectMap)
        {
            text += " : ";
            if (set.DataInterval == true) text += "interval ";
            if (set.IsObjectMap) text += ObjectTypeName(set.ObjectType ?? 0);
            else if (set.DataType == 0xffffff00) text += "verdict";
            else if (keyTypeof is not null && set.DataTypeof is { } dt && TypeofText(dt) is { } dataTypeof) text += dataTypeof;
            else text += DataTypeNames.Describe(set.DataType ?? 0);
        }
        return text;
    }

    public static string ObjectTypeName(uint type) => type switch
    {
        1 => "counter", 2 => "quota", 3 => "ct helper", 4 => "limit", 5 => "connlimit", 6 => "tunnel",
        7 => "ct timeout", 8 => "secmark", 9 => "ct expectation", 10 => "synproxy", _ => "unknown",
    };

    /// <summary>The expression text of a libnftnl typeof description, or null when it cannot be read (nft then
    /// falls back to `type`, as it does for the empty concat description it writes for `type a . b`).</summary>
    public static string? TypeofText(ReadOnlySpan<byte> typeofNest)
    {
        uint? kind = UserData.GetU32(typeofNest, 0);
        if (kind is null || !UserData.TryGet(typeofNest, 1, out var data)) return null;
        return ExpressionText(kind.Value, data);
    }

    private static string? ExpressionText(uint kind, ReadOnlySpan<byte> data)
    {
        switch (kind)
        {
            case 1: return "verdict";
            case 7:
            {
                uint? desc = UserData.GetU32(data, 0), field = UserData.GetU32(data, 1);
                if (desc is null || field is null) return null;
                if (desc == 0 && field == 0)
                {
                    // A raw payload expression: @base,offset,length.
                    uint? b = UserData.GetU32(data, 2), offset = UserData.GetU32(data, 3), length = UserData.GetU32(data, 4);
                    string? baseName = b switch { 1 => "ll", 2 => "nh", 3 => "th", 4 => "ih", _ => null };
                    return baseName is null || offset is null || length is null ? null : $"@{baseName},{offset},{length}";
                }
                return ProtocolFields.Name(desc.Value, field.Value);
            }
            case 11:
                return "osf name";
            case 23:
            {
                uint? type = UserData.GetU32(data, 0), mod = UserData.GetU32(data, 1), offset = UserData.GetU32(data, 2);
                if (type is null || mod is null) return null;
                string text = $"numgen {(type == 0 ? "inc" : "random")} mod {mod}";
                return offset is > 0 ? text + $" offset {offset}" : text;
            }
            case 27:
            {
                uint? key = UserData.GetU32(data, 0), dir = UserData.GetU32(data, 1), spnum = UserData.GetU32(data, 2);
                string? keyName = key switch
                {
                    1 => "ip daddr", 2 => "ip6 daddr", 3 => "ip saddr", 4 => "ip6 saddr", 5 => "reqid", 6 => "spi", _ => null,
                };
                if (keyName is null) return null;
                string spnumText = spnum is > 0 ? $" spnum {spnum}" : "";
                return $"ipsec {(dir == 1 ? "out" : "in")}{spnumText} {keyName}";
            }
            case 9:
            {
                uint? key = UserData.GetU32(data, 0);
                return key is null ? null : MetaKeyText(key.Value);
            }
            case 12:
            {
                uint? key = UserData.GetU32(data, 0);
                if (key is null) return null;
                uint? dir = UserData.GetU32(data, 1);
                string? name = CtKeyName(key.Value);
                if (name is null) return null;
                string direction = dir switch { 0 => "original ", 1 => "reply ", _ => "" };
                return $"ct {direction}{name}";
            }
            case 13:
            {
                var parts = new List<string>();
                var r = new UserDataReader(data);
                while (r.TryRead(out _, out var sub))
                {
                    uint? subKind = UserData.GetU32(sub, 0);
                    if (subKind is null || !UserData.TryGet(sub, 1, out var subData)) return null;
                    string? text = ExpressionText(subKind.Value, subData);
                    if (text is null) return null;
                    parts.Add(text);
                }
                return parts.Count == 0 ? null : string.Join(" . ", parts);
            }
            default: return null;
        }
    }

    private static readonly string[] MetaKeys =
    {
        "length", "protocol", "priority", "mark", "iif", "oif", "iifname", "oifname", "iiftype", "oiftype", "skuid", "skgid",
        "nftrace", "rtclassid", "secmark", "nfproto", "l4proto", "ibrname", "obrname", "pkttype", "cpu", "iifgroup",
        "oifgroup", "cgroup", "random", "secpath", "iifkind", "oifkind", "ibrpvid", "ibrvproto", "time", "day", "hour",
        "sdif", "sdifname",
    };

    private static string? MetaKeyText(uint key)
    {
        if (key >= MetaKeys.Length) return null;
        bool unqualified = key is 4 or 5 or 6 or 7 or 21 or 22;
        return unqualified ? MetaKeys[key] : "meta " + MetaKeys[key];
    }

    private static readonly string[] CtKeys =
    {
        "state", "direction", "status", "mark", "secmark", "expiration", "helper", "l3proto", "saddr", "daddr", "protocol",
        "proto-src", "proto-dst", "label", "packets", "bytes", "avgpkt", "zone", "event", "ip saddr", "ip daddr",
        "ip6 saddr", "ip6 daddr", "id",
    };

    private static string? CtKeyName(uint key) => key < CtKeys.Length ? CtKeys[key] : null;

    internal static uint ReadHost32(ReadOnlySpan<byte> v) => BinaryPrimitives.ReadUInt32LittleEndian(v);
}

/// <summary>Protocol header fields by nftables' proto-desc id and field index, for typeof texts.</summary>
public static class ProtocolFields
{
    private static readonly Dictionary<uint, (string Proto, string[] Fields)> Table = new()
    {
        [1] = ("ah", new[] { "", "nexthdr", "hdrlength", "reserved", "spi", "sequence" }),
        [3] = ("esp", new[] { "", "spi", "sequence" }),
        [4] = ("icmp", new[] { "", "type", "code", "checksum", "id", "sequence", "gateway", "mtu" }),
        [6] = ("udp", new[] { "", "sport", "dport", "length", "checksum" }),
        [7] = ("udplite", new[] { "", "sport", "dport", "csumcov", "checksum" }),
        [8] = ("tcp", new[] { "", "sport", "dport", "sequence", "ackseq", "doff", "reserved", "flags", "window", "checksum", "urgptr" }),
        [9] = ("dccp", new[] { "", "sport", "dport", "type" }),
        [10] = ("sctp", new[] { "", "sport", "dport", "vtag", "checksum" }),
        [11] = ("th", new[] { "", "sport", "dport" }),
        [12] = ("ip", new[] { "", "version", "hdrlength", "dscp", "ecn", "length", "id", "frag-off", "ttl", "protocol", "checksum", "saddr", "daddr" }),
        [13] = ("ip6", new[] { "", "version", "dscp", "ecn", "flowlabel", "length", "nexthdr", "hoplimit", "saddr", "daddr" }),
        [14] = ("icmpv6", new[] { "", "type", "code", "checksum", "param-problem", "mtu", "id", "sequence", "max-delay" }),
        [15] = ("arp", new[] { "", "htype", "ptype", "hlen", "plen", "operation", "saddr ether", "saddr ip", "daddr ether", "daddr ip" }),
        [16] = ("vlan", new[] { "", "pcp", "dei", "cfi", "id", "type" }),
        [17] = ("ether", new[] { "", "daddr", "saddr", "type" }),
    };

    public static string? Name(uint desc, uint field) =>
        Table.TryGetValue(desc, out var p) && field > 0 && field < p.Fields.Length ? $"{p.Proto} {p.Fields[field]}" : null;
}
