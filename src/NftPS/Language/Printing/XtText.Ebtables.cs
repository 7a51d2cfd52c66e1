using System.Globalization;
using System.Text;
using NftPS.NfTables.Expressions.Xtables;

namespace NftPS.Language.Printing;

internal static partial class XtText
{
    private static string EbtIp(EbtIpInfo i)
    {
        var parts = new List<string>();
        bool Inv(byte bit) => (i.InvertFlags & bit) != 0;
        string Neg(byte bit) => Inv(bit) ? "!= " : "";
        if ((i.Bitmask & EbtIpInfo.Src) != 0) parts.Add($"ip saddr {Neg(EbtIpInfo.Src)}{Prefix(i.Source, i.SourceMask, false)}");
        if ((i.Bitmask & EbtIpInfo.Dst) != 0) parts.Add($"ip daddr {Neg(EbtIpInfo.Dst)}{Prefix(i.Dest, i.DestMask, false)}");
        if ((i.Bitmask & EbtIpInfo.TosBit) != 0) parts.Add($"ip dscp {Neg(EbtIpInfo.TosBit)}{Hex(i.Tos)}");
        AddProtocol(parts, "ip protocol", "icmp", i.Bitmask, i.InvertFlags, i.Protocol, i.SourcePorts, i.DestinationPorts, i.IcmpType,
            EbtIpInfo.Proto, EbtIpInfo.SrcPort, EbtIpInfo.DstPort, EbtIpInfo.Icmp);
        return Join(parts);
    }

    private static string EbtIp6(EbtIp6Info i)
    {
        var parts = new List<string>();
        string Neg(byte bit) => (i.InvertFlags & bit) != 0 ? "!= " : "";
        if ((i.Bitmask & EbtIp6Info.Src) != 0) parts.Add($"ip6 saddr {Neg(EbtIp6Info.Src)}{Prefix(i.Source, i.SourceMask, true)}");
        if ((i.Bitmask & EbtIp6Info.Dst) != 0) parts.Add($"ip6 daddr {Neg(EbtIp6Info.Dst)}{Prefix(i.Dest, i.DestMask, true)}");
        // Seen from nft 1.0.6 here: a port match without an address match repeats the ether type.
        if ((i.Bitmask & (EbtIp6Info.Src | EbtIp6Info.Dst)) == 0 && (i.Bitmask & (EbtIp6Info.SrcPort | EbtIp6Info.DstPort)) != 0)
            parts.Add("ether type ip6");
        AddProtocol(parts, "meta l4proto", "icmpv6", i.Bitmask, i.InvertFlags, i.Protocol, i.SourcePorts, i.DestinationPorts, i.IcmpType,
            EbtIp6Info.Proto, EbtIp6Info.SrcPort, EbtIp6Info.DstPort, EbtIp6Info.Icmp6);
        return Join(parts);
    }

    private static void AddProtocol(List<string> parts, string protoField, string icmpName, byte bitmask, byte invert, byte protocol,
        ushort[] sports, ushort[] dports, byte[] icmpType, byte protoBit, byte sportBit, byte dportBit, byte icmpBit)
    {
        string Neg(byte bit) => (invert & bit) != 0 ? "!= " : "";
        if ((bitmask & protoBit) == 0) return;
        string name = ProtocolName(protocol);
        bool ports = (bitmask & (sportBit | dportBit)) != 0;
        if ((bitmask & sportBit) != 0) parts.Add($"{name} sport {Neg(sportBit)}{Range(sports[0], sports[1])}");
        if ((bitmask & dportBit) != 0) parts.Add($"{name} dport {Neg(dportBit)}{Range(dports[0], dports[1])}");
        if ((bitmask & icmpBit) != 0)
        {
            parts.Add($"{icmpName} type {Neg(icmpBit)}{Range(icmpType[0], icmpType[1])}");
            return;
        }
        if (!ports) parts.Add($"{protoField} {Neg(protoBit)}{name}");
    }

    private static string ProtocolName(byte p) => p switch
    {
        1 => "icmp", 2 => "igmp", 6 => "tcp", 17 => "udp", 33 => "dccp", 41 => "ipv6", 47 => "gre", 50 => "esp", 51 => "ah",
        58 => "ipv6-icmp", 132 => "sctp", 136 => "udplite", _ => p.ToString(CultureInfo.InvariantCulture),
    };

    private static string EbtMark(EbtMarkMatchInfo m)
    {
        string neg = m.Invert ? "!= " : "";
        if ((m.Bitmask & EbtMarkMatchInfo.Or) != 0) return $"meta mark or {Hex((uint)m.Mask)} {neg}0x0";
        if (m.Mask != 0xffffffffUL && m.Mask != ulong.MaxValue) return $"meta mark and {Hex((uint)m.Mask)} {neg}{Hex((uint)m.Mark)}";
        return $"meta mark {neg}{Hex((uint)m.Mark)}";
    }

    private static string? EbtPkttype(EbtPkttypeInfo p)
    {
        string? name = p.PacketType switch { 0 => "host", 1 => "broadcast", 2 => "multicast", 3 => "other", _ => null };
        return name is null ? null : $"meta pkttype {(p.Invert ? "!= " : "")}{name}";
    }

    private static string? EbtVlan(EbtVlanInfo v)
    {
        var parts = new List<string>();
        string Neg(byte bit) => (v.InvertFlags & bit) != 0 ? "!= " : "";
        if ((v.Bitmask & EbtVlanInfo.IdBit) != 0) parts.Add($"vlan id {Neg(EbtVlanInfo.IdBit)}{v.Id}");
        if ((v.Bitmask & EbtVlanInfo.EncapBit) != 0) parts.Add($"vlan type {Neg(EbtVlanInfo.EncapBit)}0x{v.Encap:x4}");
        return parts.Count == 0 ? null : Join(parts);
    }

    private static string EbtLog(EbtLogInfo l)
    {
        var sb = new StringBuilder("log");
        if (l.Prefix.Length > 0) sb.Append(" prefix \"").Append(l.Prefix).Append('"');
        if (l.Level != 6 && l.Level < LogLevels.Length) sb.Append(" level ").Append(LogLevels[l.Level]);
        return sb.Append(" flags ether").ToString();
    }

    private static string? EbtMarkTarget(EbtMarkTargetInfo m)
    {
        int op = m.Target & unchecked((int)0xfffffff0);
        string? verdict = (m.Target | unchecked((int)0xfffffff0)) switch { -1 => "accept", -2 => "drop", -3 => "continue", -4 => "return", _ => null };
        string? value = op switch
        {
            EbtMarkTargetInfo.SetValue => Hex((uint)m.Mark),
            EbtMarkTargetInfo.OrValue => "meta mark or " + Hex((uint)m.Mark),
            EbtMarkTargetInfo.AndValue => "meta mark and " + Hex((uint)m.Mark),
            EbtMarkTargetInfo.XorValue => "meta mark xor " + Hex((uint)m.Mark),
            _ => null,
        };
        return value is null || verdict is null ? null : $"meta mark set {value} {verdict}";
    }

    private static string EbtNflog(XtNflogInfo n)
    {
        var sb = new StringBuilder("log");
        if (n.Prefix.Length > 0) sb.Append(" prefix \"").Append(n.Prefix).Append('"');
        sb.Append(" group ").Append(n.Group);
        if (n.Length != 0) sb.Append(" snaplen ").Append(n.Length);
        if (n.Threshold > 1) sb.Append(" queue-threshold ").Append(n.Threshold);
        return sb.ToString();
    }

    private static string? EbtNat(EbtNatInfo n)
    {
        // Only the verdict bits: snat keeps a flag (--snat-arp) in the bits above them.
        string? verdict = (n.Target | unchecked((int)0xfffffff0)) switch { -1 => "accept", -2 => "drop", -3 => "continue", -4 => "return", _ => null };
        if (verdict is null || (n.Source && (n.Target & unchecked((int)0xfffffff0)) != unchecked((int)0xfffffff0))) return null;
        string mac = string.Join(':', n.Mac.Select(b => b.ToString("x", CultureInfo.InvariantCulture)));
        return $"ether {(n.Source ? "saddr" : "daddr")} set {mac} {verdict}";
    }
}
