using System.Globalization;
using System.Net;
using System.Text;
using NftPS.Language.Model;
using NftPS.NfTables;
using NftPS.NfTables.Expressions.Xtables;

namespace NftPS.Language.Printing;

/// <summary>An xt statement as nft 1.0.6 (built with libxtables 1.8.9) lists it: the extension's own translation to
/// nft syntax where it has one for these options, else `xt match NAME` / `xt target NAME`. The translations are
/// written from the oracle's output (iptables-nft rules listed by nft here), one method per extension; the comment
/// match translates to nothing (nft 1.0.6 drops the comment text).</summary>
internal static partial class XtText
{
    public static string Print(XtS x) => Translate(x) ?? $"xt {x.TypeName} {x.Expression.ExtensionName}";

    /// <summary>The translation, or null where libxtables has none (nft then prints the raw name).</summary>
    public static string? Translate(XtS x) => x.Info switch
    {
        XtCommentInfo => "",
        XtConntrackInfo c => Conntrack(c, x.Family),
        XtAddrtypeInfo a => Addrtype(a),
        XtMultiportInfo m => Multiport(m, x.L4Proto),
        XtMarkMatchInfo m when x.Expression.ExtensionName == "connmark" => Connmark(m),
        XtMarkMatchInfo m => MarkMatch(m),
        XtLimitInfo l => Limit(l),
        XtPortsInfo p => Ports(p),
        XtIcmpInfo i => Icmp(i),
        XtStatisticInfo s => Statistic(s),
        XtOwnerInfo o => Owner(o),
        XtNatInfo n => Nat(x.Expression.ExtensionName, n, x.Family),
        XtRejectInfo r => Reject(r),
        XtLogInfo l => Log(l),
        XtMarkTargetInfo m => MarkTarget(m),
        XtConnmarkTargetInfo c => ConnmarkTarget(c),
        XtNflogInfo n when x.Family == NftFamily.Bridge => EbtNflog(n),
        XtNflogInfo n => Nflog(n),
        EbtIpInfo i => EbtIp(i),
        EbtIp6Info i => EbtIp6(i),
        EbtMarkMatchInfo m => EbtMark(m),
        EbtPkttypeInfo p => EbtPkttype(p),
        EbtVlanInfo v => EbtVlan(v),
        EbtLogInfo l => EbtLog(l),
        EbtMarkTargetInfo m => EbtMarkTarget(m),
        EbtNatInfo n => EbtNat(n),
        XtTcpmssInfo t => "tcp option maxseg size set " + (t.Mss == 0xffff ? "rt mtu" : t.Mss.ToString(CultureInfo.InvariantCulture)),
        XtCtTargetInfo c => (c.Flags & XtCtTargetInfo.NoTrack) != 0 ? "notrack" : null,
        _ => null,
    };

    private static string Hex(uint v) => "0x" + v.ToString("x", CultureInfo.InvariantCulture);

    private static string Range(uint low, uint high) => low == high
        ? low.ToString(CultureInfo.InvariantCulture)
        : low.ToString(CultureInfo.InvariantCulture) + "-" + high.ToString(CultureInfo.InvariantCulture);

    private static string Join(List<string> parts) => string.Join(' ', parts);

    private static string? Addrtype(XtAddrtypeInfo a)
    {
        // One fib match: the source type when there is one (the destination type is then not printed).
        bool source = a.Source != 0;
        ushort types = source ? a.Source : a.Dest;
        if (types == 0) return null;
        bool invert = (a.Flags & (source ? XtAddrtypeInfo.InvertSource : XtAddrtypeInfo.InvertDest)) != 0;
        var sb = new StringBuilder("fib ").Append(source ? "saddr" : "daddr");
        if ((a.Flags & XtAddrtypeInfo.LimitIfaceIn) != 0) sb.Append(" . iif");
        else if ((a.Flags & XtAddrtypeInfo.LimitIfaceOut) != 0) sb.Append(" . oif");
        sb.Append(" type ");
        if (invert) sb.Append("!= ");
        var names = new List<string>();
        for (int bit = 0; bit < AddrTypeNames.Length; bit++)
            if ((types & (1 << bit)) != 0) names.Add(AddrTypeNames[bit]);
        sb.Append(names.Count == 1 ? names[0] : "{ " + string.Join(", ", names) + " }");
        return sb.ToString();
    }

    private static readonly string[] AddrTypeNames =
    {
        "unspec", "unicast", "local", "broadcast", "anycast", "multicast", "blackhole", "unreachable", "prohibit", "throw",
        "nat", "xresolve",
    };

    private static string? Multiport(XtMultiportInfo m, int l4proto)
    {
        string? proto = l4proto switch { 6 => "tcp", 17 => "udp", 132 => "sctp", 33 => "dccp", 136 => "udplite", _ => null };
        if (proto is null || m.Ports.Length == 0) return null;
        var items = new List<string>();
        for (int i = 0; i < m.Ports.Length; i++)
        {
            if (m.RangeFlags[i] != 0 && i + 1 < m.Ports.Length)
            {
                items.Add(Range(m.Ports[i], m.Ports[i + 1]));
                i++;
            }
            else items.Add(m.Ports[i].ToString(CultureInfo.InvariantCulture));
        }
        string neg = m.Invert ? "!= " : "";
        if (m.Flags == XtMultiportInfo.Either)
        {
            var pairs = items.SelectMany(p => new[] { "0-65535 . " + p, p + " . 0-65535" });
            return $"{proto} sport . {proto} dport {neg}{{ {string.Join(", ", pairs)} }}";
        }
        string field = m.Flags == XtMultiportInfo.Source ? "sport" : "dport";
        string value = items.Count == 1 && m.RangeFlags.All(f => f == 0) ? items[0] : "{ " + string.Join(", ", items) + " }";
        return $"{proto} {field} {neg}{value}";
    }

    private static string MarkMatch(XtMarkMatchInfo m) => m.Mask == uint.MaxValue
        ? $"meta mark {(m.Invert ? "!= " : "")}{Hex(m.Mark)}"
        : $"meta mark and {Hex(m.Mask)} {(m.Invert ? "!=" : "==")} {Hex(m.Mark)}";

    private static string Connmark(XtMarkMatchInfo m) => m.Mask == uint.MaxValue
        ? $"ct mark {(m.Invert ? "!= " : "")}{Hex(m.Mark)}"
        : $"ct mark and {Hex(m.Mask)} {(m.Invert ? "!=" : "==")} {Hex(m.Mark)}";

    private static string? Limit(XtLimitInfo l)
    {
        if (l.Average == 0) return null;
        // libxt_limit's print_rate: the largest unit the period divides evenly enough.
        (string Name, ulong Mult)[] units = { ("day", 86400UL * XtLimitInfo.Scale), ("hour", 3600UL * XtLimitInfo.Scale),
            ("minute", 60UL * XtLimitInfo.Scale), ("second", XtLimitInfo.Scale) };
        int i = 1;
        for (; i < units.Length; i++)
            if (l.Average > units[i].Mult || units[i].Mult / l.Average < units[i].Mult % l.Average) break;
        var u = units[i - 1];
        string text = $"limit rate {u.Mult / l.Average}/{u.Name}";
        return l.Burst != 5 ? text + $" burst {l.Burst} packets" : text;
    }

    private static string Ports(XtPortsInfo p)
    {
        string proto = p.Tcp ? "tcp" : "udp";
        var parts = new List<string>();
        if (p.SourcePorts[0] != 0 || p.SourcePorts[1] != 0xffff)
            parts.Add($"{proto} sport {((p.InvertFlags & XtPortsInfo.InvSource) != 0 ? "!= " : "")}{Range(p.SourcePorts[0], p.SourcePorts[1])}");
        if (p.DestinationPorts[0] != 0 || p.DestinationPorts[1] != 0xffff)
            parts.Add($"{proto} dport {((p.InvertFlags & XtPortsInfo.InvDestination) != 0 ? "!= " : "")}{Range(p.DestinationPorts[0], p.DestinationPorts[1])}");
        if (p.Tcp && p.FlagMask != 0)
            parts.Add($"tcp flags & ({TcpFlags(p.FlagMask)}) {((p.InvertFlags & XtPortsInfo.InvFlags) != 0 ? "!=" : "==")} {(p.FlagCompare == 0 ? "0x0" : TcpFlags(p.FlagCompare))}");
        return Join(parts);
    }

    private static string TcpFlags(byte bits)
    {
        string[] names = { "fin", "syn", "rst", "psh", "ack", "urg" };
        return string.Join('|', names.Where((_, i) => (bits & (1 << i)) != 0));
    }

    private static string? Statistic(XtStatisticInfo s)
    {
        bool invert = (s.Flags & XtStatisticInfo.Invert) != 0;
        return s.Mode switch
        {
            XtStatisticInfo.Random => $"meta random & 2147483647 {(invert ? ">=" : "<")} {s.Probability}",
            XtStatisticInfo.Nth => $"numgen inc mod {s.Every + 1} {(invert ? "!= " : "")}{s.Packet}",
            _ => null,
        };
    }

    private static string? Owner(XtOwnerInfo o)
    {
        // libxt_owner translates one criterion: a uid or a gid; more (or --socket-exists) stays `xt match owner`.
        if (o.Match is not (XtOwnerInfo.Uid or XtOwnerInfo.Gid)) return null;
        var parts = new List<string>();
        if ((o.Match & XtOwnerInfo.Uid) != 0)
            parts.Add($"skuid {((o.Invert & XtOwnerInfo.Uid) != 0 ? "!= " : "")}{Range(o.UidMin, o.UidMax)}");
        if ((o.Match & XtOwnerInfo.Gid) != 0)
            parts.Add($"skgid {((o.Invert & XtOwnerInfo.Gid) != 0 ? "!= " : "")}{Range(o.GidMin, o.GidMax)}");
        return parts.Count == 0 ? null : Join(parts);
    }

    private static string Address(byte[] bytes) => new IPAddress(bytes).ToString();
}
