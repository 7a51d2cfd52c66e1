using System.Globalization;
using System.Text;
using NftPS.Language.Model;
using NftPS.NfTables;
using NftPS.NfTables.Expressions.Xtables;

namespace NftPS.Language.Printing;

internal static partial class XtText
{
    private static string? Conntrack(XtConntrackInfo c, NftFamily family)
    {
        var parts = new List<string>();
        bool Inv(ushort flag) => (c.InvertFlags & flag) != 0;
        if ((c.MatchFlags & XtConntrackInfo.State) != 0)
        {
            // SNAT/DNAT are conntrack status bits in nft: the state list then becomes one status word.
            if ((c.StateMask & XtConntrackInfo.StateSnat) != 0) parts.Add("ct status snat");
            else if ((c.StateMask & XtConntrackInfo.StateDnat) != 0) parts.Add("ct status dnat");
            else
            {
                var names = new List<string>();
                if ((c.StateMask & XtConntrackInfo.StateInvalid) != 0) names.Add("invalid");
                if ((c.StateMask & XtConntrackInfo.StateNew) != 0) names.Add("new");
                if ((c.StateMask & XtConntrackInfo.StateRelated) != 0) names.Add("related");
                if ((c.StateMask & XtConntrackInfo.StateEstablished) != 0) names.Add("established");
                if ((c.StateMask & XtConntrackInfo.StateUntracked) != 0) names.Add("untracked");
                parts.Add($"ct state {(Inv(XtConntrackInfo.State) ? "! " : "")}{string.Join(',', names)}");
            }
        }
        if ((c.MatchFlags & XtConntrackInfo.Status) != 0)
        {
            string[] all = { "expected", "seen-reply", "assured", "confirmed" };
            var names = all.Where((_, i) => (c.StatusMask & (1 << i)) != 0).ToList();
            parts.Add($"ct status {(Inv(XtConntrackInfo.Status) ? "! " : "")}{string.Join(',', names)}");
        }
        if ((c.MatchFlags & XtConntrackInfo.Expires) != 0)
            parts.Add($"ct expiration {(Inv(XtConntrackInfo.Expires) ? "!= " : "")}{Range(c.ExpiresMin, c.ExpiresMax)}");
        if ((c.MatchFlags & XtConntrackInfo.Direction) != 0)
            parts.Add("ct direction " + (Inv(XtConntrackInfo.Direction) ? "reply" : "original"));
        if ((c.MatchFlags & XtConntrackInfo.Proto) != 0)
            parts.Add($"ct original protocol {(Inv(XtConntrackInfo.Proto) ? "!= " : "")}{c.L4Proto}");
        (ushort Flag, string Dir, string Field)[] addrs =
        {
            (XtConntrackInfo.OrigSrc, "original", "saddr"), (XtConntrackInfo.OrigDst, "original", "daddr"),
            (XtConntrackInfo.ReplSrc, "reply", "saddr"), (XtConntrackInfo.ReplDst, "reply", "daddr"),
        };
        bool v6 = family == NftFamily.Ip6;
        for (int i = 0; i < 4; i++)
        {
            if ((c.MatchFlags & addrs[i].Flag) == 0) continue;
            parts.Add($"ct {addrs[i].Dir} {addrs[i].Field} {(Inv(addrs[i].Flag) ? "!= " : "")}{Prefix(c.Addresses[i], c.Masks[i], v6)}");
        }
        (ushort Flag, string Dir, string Field)[] ports =
        {
            (XtConntrackInfo.OrigSrcPort, "original", "proto-src"), (XtConntrackInfo.OrigDstPort, "original", "proto-dst"),
            (XtConntrackInfo.ReplSrcPort, "reply", "proto-src"), (XtConntrackInfo.ReplDstPort, "reply", "proto-dst"),
        };
        for (int i = 0; i < 4; i++)
        {
            if ((c.MatchFlags & ports[i].Flag) == 0) continue;
            parts.Add($"ct {ports[i].Dir} {ports[i].Field} {(Inv(ports[i].Flag) ? "!= " : "")}{Range(c.PortLow[i], c.PortHigh[i])}");
        }
        return parts.Count == 0 ? null : Join(parts);
    }

    /// <summary>An address with its mask as CIDR (the whole-width mask prints the bare address).</summary>
    private static string Prefix(byte[] address, byte[] mask, bool v6)
    {
        int n = v6 ? 16 : 4;
        int bits = 0;
        for (int i = 0; i < n; i++) bits += System.Numerics.BitOperations.PopCount(mask[i]);
        string a = Address(address[..n]);
        return bits == n * 8 ? a : a + "/" + bits.ToString(CultureInfo.InvariantCulture);
    }

    private static string? Nat(string name, XtNatInfo n, NftFamily family)
    {
        bool v6 = family == NftFamily.Ip6;
        var sb = new StringBuilder();
        bool ports = (n.Flags & XtNatInfo.ProtoSpecified) != 0;
        string portText = n.MinPort == n.MaxPort ? n.MinPort.ToString(CultureInfo.InvariantCulture) : $"{n.MinPort}-{n.MaxPort}";
        switch (name)
        {
            case "MASQUERADE":
            case "REDIRECT":
                sb.Append(name == "MASQUERADE" ? "masquerade" : "redirect");
                if (ports) sb.Append(" to :").Append(portText);
                break;
            case "SNAT":
            case "DNAT":
                sb.Append(name == "SNAT" ? "snat to " : "dnat to ");
                bool ips = (n.Flags & XtNatInfo.MapIps) != 0;
                if (ips)
                {
                    string min = Address(n.MinAddress), max = Address(n.MaxAddress);
                    string addr = min == max ? min : min + "-" + max;
                    sb.Append(v6 && ports ? "[" + addr + "]" : addr);
                }
                if (ports) sb.Append(':').Append(portText);
                break;
            default:
                return null;
        }
        var flags = new List<string>();
        if ((n.Flags & XtNatInfo.ProtoRandom) != 0) flags.Add("random");
        if ((n.Flags & XtNatInfo.ProtoRandomFully) != 0) flags.Add("fully-random");
        if ((n.Flags & XtNatInfo.Persistent) != 0) flags.Add("persistent");
        if (flags.Count > 0) sb.Append(' ').Append(string.Join(',', flags));
        return sb.ToString();
    }

    private static string? Reject(XtRejectInfo r)
    {
        if (!r.V6)
            return r.With switch
            {
                3 => "reject",
                7 => "reject with tcp reset",
                0 => "reject with icmp type net-unreachable",
                1 => "reject with icmp type host-unreachable",
                2 => "reject with icmp type prot-unreachable",
                5 => "reject with icmp type net-prohibited",
                6 => "reject with icmp type host-prohibited",
                8 => "reject with icmp type admin-prohibited",
                _ => null,
            };
        return r.With switch
        {
            4 => "reject",
            6 => "reject with tcp reset",
            0 => "reject with icmpv6 type no-route",
            1 => "reject with icmpv6 type admin-prohibited",
            3 => "reject with icmpv6 type addr-unreachable",
            7 => "reject with icmpv6 type policy-fail",
            8 => "reject with icmpv6 type reject-route",
            _ => null,
        };
    }

    private static readonly string[] LogLevels = { "emerg", "alert", "crit", "err", "warn", "notice", "info", "debug" };

    private static string Log(XtLogInfo l)
    {
        var sb = new StringBuilder("log");
        if (l.Prefix.Length > 0) sb.Append(" prefix ").Append("\"" + l.Prefix + "\"");
        if (l.Level != 4 && l.Level < LogLevels.Length) sb.Append(" level ").Append(LogLevels[l.Level]);
        bool seq = (l.Flags & XtLogInfo.TcpSequence) != 0, opt = (l.Flags & XtLogInfo.TcpOptions) != 0;
        if (seq && opt) sb.Append(" flags tcp sequence,options");
        else if (seq) sb.Append(" flags tcp sequence");
        else if (opt) sb.Append(" flags tcp options");
        if ((l.Flags & XtLogInfo.IpOptions) != 0) sb.Append(" flags ip options");
        if ((l.Flags & XtLogInfo.Uid) != 0) sb.Append(" flags skuid");
        if ((l.Flags & XtLogInfo.MacDecode) != 0) sb.Append(" flags ether");
        return sb.ToString();
    }

    private static string MarkTarget(XtMarkTargetInfo m)
    {
        if (m.Mask == uint.MaxValue) return "meta mark set " + Hex(m.Mark);
        if (m.Mark == 0) return "meta mark set mark and " + Hex(~m.Mask);
        if (m.Mark == m.Mask) return "meta mark set mark or " + Hex(m.Mark);
        if (m.Mask == 0) return "meta mark set mark xor " + Hex(m.Mark);
        return $"meta mark set mark and {Hex(~m.Mask)} xor {Hex(m.Mark)}";
    }

    private static string? ConnmarkTarget(XtConnmarkTargetInfo c)
    {
        if (c.ShiftBits != 0) return null;
        switch (c.Mode)
        {
            case XtConnmarkTargetInfo.Set:
                return c.CtMask == uint.MaxValue ? "ct mark set " + Hex(c.CtMark)
                    : $"ct mark set ct mark xor {Hex(c.CtMark)} and {Hex(~c.CtMask)}";
            case XtConnmarkTargetInfo.Save:
                return c.NfMask == uint.MaxValue && c.CtMask == uint.MaxValue ? "ct mark set mark" : null;
            case XtConnmarkTargetInfo.Restore:
                if (c.NfMask == uint.MaxValue && c.CtMask == uint.MaxValue) return "meta mark set ct mark";
                return c.NfMask == c.CtMask ? "meta mark set ct mark and " + Hex(c.NfMask) : null;
            default:
                return null;
        }
    }

    private static string Nflog(XtNflogInfo n)
    {
        var sb = new StringBuilder("log");
        if (n.Prefix.Length > 0) sb.Append(" prefix ").Append("\"" + n.Prefix + "\"");
        sb.Append(" group ").Append(n.Group);
        if ((n.Flags & XtNflogInfo.UseLength) != 0) sb.Append(" snaplen ").Append(n.Length);
        if (n.Threshold != 0) sb.Append(" queue-threshold ").Append(n.Threshold);
        return sb.ToString();
    }

    private static string? Icmp(XtIcmpInfo i)
    {
        if (i.Type == 0xff && !i.V6) return "ip protocol icmp";
        if (i.CodeMin != 0 || i.CodeMax != 0xff) return null;
        string? name = i.V6 ? Icmp6Name(i.Type) : Icmp4Name(i.Type);
        string value = name ?? i.Type.ToString(CultureInfo.InvariantCulture);
        return $"{(i.V6 ? "icmpv6" : "icmp")} type {(i.Invert ? "!= " : "")}{value}";
    }

    private static string? Icmp4Name(byte t) => t switch
    {
        0 => "echo-reply", 3 => "destination-unreachable", 4 => "source-quench", 5 => "redirect", 8 => "echo-request",
        9 => "router-advertisement", 10 => "router-solicitation", 11 => "time-exceeded", 12 => "parameter-problem",
        13 => "timestamp-request", 14 => "timestamp-reply", 15 => "info-request", 16 => "info-reply",
        17 => "address-mask-request", 18 => "address-mask-reply", _ => null,
    };

    private static string? Icmp6Name(byte t) => t switch
    {
        1 => "destination-unreachable", 2 => "packet-too-big", 3 => "time-exceeded", 4 => "parameter-problem",
        128 => "echo-request", 129 => "echo-reply", 130 => "mld-listener-query", 131 => "mld-listener-report",
        132 => "mld-listener-done", 133 => "nd-router-solicit", 134 => "nd-router-advert", 135 => "nd-neighbor-solicit",
        136 => "nd-neighbor-advert", 137 => "nd-redirect", 138 => "router-renumbering", 141 => "ind-neighbor-solicit",
        142 => "ind-neighbor-advert", 143 => "mld2-listener-report", _ => null,
    };
}
