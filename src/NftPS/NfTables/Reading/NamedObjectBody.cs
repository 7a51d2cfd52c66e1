using System.Buffers.Binary;
using System.Globalization;
using NftPS.Netlink;
using NftPS.NfTables.Model;

namespace NftPS.NfTables.Reading;

/// <summary>Decodes the common fields of a stateful object's NFTA_OBJ_DATA and the body lines nft 1.0.6 prints
/// inside its block (src/rule.c obj_print_data), without indentation and without the comment line.</summary>
internal static class NamedObjectBody
{
    public static void Fill(NftNamedObject o)
    {
        var lines = new List<string>();
        var stateless = new List<string>();
        ReadOnlySpan<byte> data = o.Data;
        switch (o.Type)
        {
            case NftObjectType.Counter:
            {
                ulong bytes = 0, packets = 0;
                var r = new NetlinkAttributeReader(data);
                while (r.TryRead(out var a))
                {
                    if (a.Type == 1) bytes = a.GetBe64();
                    else if (a.Type == 2) packets = a.GetBe64();
                }
                o.Packets = packets;
                o.Bytes = bytes;
                lines.Add($"packets {packets} bytes {bytes}");
                break;
            }
            case NftObjectType.Quota:
            {
                ulong bytes = 0, consumed = 0;
                uint flags = 0;
                var r = new NetlinkAttributeReader(data);
                while (r.TryRead(out var a))
                {
                    switch (a.Type)
                    {
                        case 1: bytes = a.GetBe64(); break;
                        case 2: flags = a.GetBe32(); break;
                        case 4: consumed = a.GetBe64(); break;
                    }
                }
                o.Bytes = bytes;
                o.Consumed = consumed;
                string text = ((flags & 1) != 0 ? "over " : "") + FormatBytes(bytes);
                stateless.Add(text);
                lines.Add(consumed != 0 ? text + " used " + FormatBytes(consumed) : text);
                break;
            }
            case NftObjectType.Limit:
            {
                ulong rate = 0, unit = 0;
                uint burst = 0, type = 0, flags = 0;
                var r = new NetlinkAttributeReader(data);
                while (r.TryRead(out var a))
                {
                    switch (a.Type)
                    {
                        case 1: rate = a.GetBe64(); break;
                        case 2: unit = a.GetBe64(); break;
                        case 3: burst = a.GetBe32(); break;
                        case 4: type = a.GetBe32(); break;
                        case 5: flags = a.GetBe32(); break;
                    }
                }
                string over = (flags & 1) != 0 ? "over " : "";
                string text;
                if (type == 1)
                {
                    text = $"rate {over}{FormatBytes(rate)}/{TimeUnit(unit)}";
                    if (burst > 0) text += " burst " + FormatBytes(burst);
                }
                else
                {
                    text = $"rate {over}{rate}/{TimeUnit(unit)}";
                    if (burst > 0 && burst != 5) text += $" burst {burst} packets";
                }
                lines.Add(text);
                break;
            }
            case NftObjectType.CtHelper:
            {
                string name = "";
                ushort l3 = 0;
                byte l4 = 0;
                var r = new NetlinkAttributeReader(data);
                while (r.TryRead(out var a))
                {
                    switch (a.Type)
                    {
                        case 1: name = a.GetString(); break;
                        case 2: l3 = a.GetBe16(); break;
                        case 3: l4 = a.GetU8(); break;
                    }
                }
                lines.Add($"type \"{name}\" protocol {ProtocolName(l4)}");
                lines.Add($"l3proto {FamilyName(l3)}");
                break;
            }
            case NftObjectType.CtTimeout:
            {
                ushort l3 = 0;
                byte l4 = 0;
                var values = new SortedDictionary<int, uint>();
                var r = new NetlinkAttributeReader(data);
                while (r.TryRead(out var a))
                {
                    switch (a.Type)
                    {
                        case 1: l3 = a.GetBe16(); break;
                        case 2: l4 = a.GetU8(); break;
                        case 3:
                            var tr = a.GetNested();
                            while (tr.TryRead(out var t)) if (t.Payload.Length >= 4) values[t.Type - 1] = t.GetBe32();
                            break;
                    }
                }
                lines.Add($"protocol {ProtocolName(l4)}");
                lines.Add($"l3proto {FamilyName(l3)}");
                var (names, defaults) = TimeoutPolicy(l4);
                var parts = new List<string>();
                for (int i = 0; i < names.Length; i++)
                {
                    if (values.TryGetValue(i, out uint v) && v != defaults[i]) parts.Add($"{names[i]} : {v}");
                }
                lines.Add(parts.Count == 0 ? "policy = {  }" : "policy = { " + string.Join(", ", parts) + " }");
                break;
            }
            case NftObjectType.CtExpectation:
            {
                ushort l3 = 0, dport = 0;
                byte l4 = 0, size = 0;
                uint timeout = 0;
                var r = new NetlinkAttributeReader(data);
                while (r.TryRead(out var a))
                {
                    switch (a.Type)
                    {
                        case 1: l3 = a.GetBe16(); break;
                        case 2: l4 = a.GetU8(); break;
                        case 3: dport = a.GetBe16(); break;
                        case 4: timeout = a.GetHost32(); break;
                        case 5: size = a.GetU8(); break;
                    }
                }
                lines.Add($"protocol {ProtocolName(l4)}");
                lines.Add($"dport {dport}");
                lines.Add($"timeout {NftHooks.FormatTime(timeout)}");
                lines.Add($"size {size}");
                lines.Add($"l3proto {FamilyName(l3)}");
                break;
            }
            case NftObjectType.Synproxy:
            {
                ushort mss = 0;
                byte wscale = 0;
                uint flags = 0;
                var r = new NetlinkAttributeReader(data);
                while (r.TryRead(out var a))
                {
                    switch (a.Type)
                    {
                        case 1: mss = a.GetBe16(); break;
                        case 2: wscale = a.GetU8(); break;
                        case 3: flags = a.GetBe32(); break;
                    }
                }
                if ((flags & 1) != 0) lines.Add($"mss {mss}");
                if ((flags & 2) != 0) lines.Add($"wscale {wscale}");
                var opts = new List<string>();
                if ((flags & 8) != 0) opts.Add("timestamp");
                if ((flags & 4) != 0) opts.Add("sack-perm");
                if (opts.Count > 0) lines.Add(string.Join(' ', opts));
                break;
            }
            case NftObjectType.Secmark:
            {
                string ctx = "";
                var r = new NetlinkAttributeReader(data);
                while (r.TryRead(out var a)) if (a.Type == 1) ctx = a.GetString();
                lines.Add($"\"{ctx}\"");
                break;
            }
        }
        o.BodyLines = lines.ToArray();
        o.StatelessBodyLines = o.Type switch
        {
            NftObjectType.Counter => Array.Empty<string>(),
            NftObjectType.Quota => stateless.ToArray(),
            _ => o.BodyLines,
        };
    }

    /// <summary>Bytes as nft prints them: the largest of bytes, kbytes, mbytes that divides evenly (get_rate).</summary>
    public static string FormatBytes(ulong value)
    {
        string[] units = { "bytes", "kbytes", "mbytes" };
        if (value == 0) return "0 bytes";
        int i = 0;
        for (; i < units.Length - 1; i++)
        {
            if (value % 1024 != 0) break;
            value /= 1024;
        }
        return value.ToString(CultureInfo.InvariantCulture) + " " + units[i];
    }

    public static string TimeUnit(ulong seconds) => seconds switch
    {
        1 => "second",
        60 => "minute",
        3600 => "hour",
        86400 => "day",
        604800 => "week",
        _ => "error",
    };

    /// <summary>NFPROTO_* as nft's family2str prints it.</summary>
    public static string FamilyName(ushort nfproto) => nfproto switch
    {
        1 => "inet",
        2 => "ip",
        3 => "arp",
        5 => "netdev",
        7 => "bridge",
        10 => "ip6",
        _ => "unknown",
    };

    /// <summary>Layer 4 protocol names as getprotobynumber gives them on Debian (/etc/protocols).</summary>
    public static string ProtocolName(byte protocol) => protocol switch
    {
        1 => "icmp",
        2 => "igmp",
        6 => "tcp",
        17 => "udp",
        33 => "dccp",
        41 => "ipv6",
        47 => "gre",
        50 => "esp",
        51 => "ah",
        58 => "ipv6-icmp",
        132 => "sctp",
        136 => "udplite",
        _ => protocol.ToString(CultureInfo.InvariantCulture),
    };

    private static readonly string[] TcpStates =
        { "syn_sent", "syn_recv", "established", "fin_wait", "close_wait", "last_ack", "time_wait", "close", "syn_sent2", "retrans", "unacknowledged" };
    private static readonly uint[] TcpDefaults = { 120, 60, 432000, 120, 60, 30, 120, 10, 120, 300, 300 };
    private static readonly string[] UdpStates = { "unreplied", "replied" };
    private static readonly uint[] UdpDefaults = { 30, 180 };
    private static readonly string[] GenericStates = { "timeout" };
    private static readonly uint[] IcmpDefaults = { 30 };
    private static readonly uint[] GenericDefaults = { 600 };

    /// <summary>nft's ct timeout state names and its default values for a layer 4 protocol (src/ct.c).</summary>
    public static (string[] Names, uint[] Defaults) TimeoutPolicy(byte l4) => l4 switch
    {
        6 => (TcpStates, TcpDefaults),
        17 or 136 => (UdpStates, UdpDefaults),
        1 or 58 => (GenericStates, IcmpDefaults),
        _ => (GenericStates, GenericDefaults),
    };

}
