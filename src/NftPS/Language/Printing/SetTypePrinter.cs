using System.Buffers.Binary;
using NftPS.Language.Protocols;
using NftPS.NfTables.Model;
using T = NftPS.Language.DataTypes.DataTypeRegistry;

namespace NftPS.Language;

/// <summary>The `type …` / `typeof …` text of a set key or map data (typeof from set user data, NETLINK-NOTES §6).</summary>
public static class SetTypePrinter
{
    /// <summary>"type ipv4_addr . inet_service" or "typeof ip saddr . tcp dport".</summary>
    public static string KeyText(NftSet set)
    {
        if (set.KeyTypeof is { } ud && TypeofText(ud) is { } t) return "typeof " + t;
        return "type " + T.TypeName(set.KeyType);
    }

    /// <summary>Map data text ("verdict", "mark", "typeof meta mark"), without the leading " : "; null for plain sets.</summary>
    public static string? DataText(NftSet set)
    {
        if (!set.IsMap) return null;
        if (set.ObjectType is { } ot && set.IsObjectMap)
            return ot switch { 1 => "counter", 2 => "quota", 3 => "ct helper", 4 => "limit", 7 => "ct timeout", 8 => "secmark", 9 => "ct expectation", 10 => "synproxy", _ => "object" };
        if (set.DataTypeof is { } ud && TypeofText(ud) is { } t) return t;
        return T.TypeName(set.DataType ?? 0);
    }

    /// <summary>Full declaration text: "type ipv4_addr : verdict" / "typeof ip saddr : meta mark".</summary>
    public static string DeclarationText(NftSet set)
    {
        string key = KeyText(set);
        string? data = DataText(set);
        if (data is null) return key;
        bool keyTypeof = key.StartsWith("typeof ", StringComparison.Ordinal);
        return key + " : " + data;
    }

    /// <summary>Reads a typeof description (TLV: 0 expr kind, 1 data) and prints it as nft text.</summary>
    public static string? TypeofText(ReadOnlySpan<byte> udata)
    {
        var attrs = Tlv(udata);
        if (!attrs.TryGetValue(0, out var kindBytes) || kindBytes.Length < 4) return null;
        uint kind = BinaryPrimitives.ReadUInt32LittleEndian(kindBytes);
        attrs.TryGetValue(1, out var data);
        var d = data is null ? new Dictionary<int, byte[]>() : Tlv(data);
        uint U(int k) => d.TryGetValue(k, out var b) && b.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(b) : 0;
        switch (kind)
        {
            case 7:
            {
                var desc = ProtocolHeaders.FromId((int)U(0));
                var field = desc?.Fields.ElementAtOrDefault((int)U(1));
                return desc is null || field is null ? null : desc.Name + " " + field.Name;
            }
            case 8:
            {
                uint op = d.ContainsKey(2) ? U(2) : 0;
                uint descId = U(0), type = U(1);
                switch (op)
                {
                    case 1:
                    {
                        var opt = ExtensionHeaders.TcpOption((int)descId);
                        return opt is null ? null : "tcp option " + opt.Name + " " + opt.Fields.ElementAtOrDefault((int)type)?.Name;
                    }
                    case 2:
                    {
                        var opt = ExtensionHeaders.IpOption((int)descId);
                        return opt is null ? null : "ip option " + opt.Name + " " + opt.Fields.ElementAtOrDefault((int)type)?.Name;
                    }
                    case 3:
                    {
                        var ch = ExtensionHeaders.SctpChunk((int)descId);
                        return ch is null ? null : "sctp chunk " + ch.Name + " " + ch.Fields.ElementAtOrDefault((int)type)?.Name;
                    }
                    default:
                    {
                        var h = ExtensionHeaders.Ipv6ById.ElementAtOrDefault((int)descId);
                        return h is null ? null : h.Name + " " + h.Fields.ElementAtOrDefault((int)type)?.Name;
                    }
                }
            }
            case 9:
                return MetaKeys.FromKey((int)U(0))?.Text;
            case 12:
            {
                var key = CtKeys.FromKey((int)U(0));
                if (key is null) return null;
                int dir = (int)U(1);
                return "ct " + (CtKeys.DirectionName(dir) is { } dn && dir is 0 or 1 && d.ContainsKey(1) && (key.Key is >= 7 and <= 12 or >= 14) ? dn + " " : "") + key.Token;
            }
            case 13:
            {
                var items = new List<string>();
                foreach (var kv in d.OrderBy(k => k.Key))
                {
                    var s = TypeofText(kv.Value);
                    if (s is null) return null;
                    items.Add(s);
                }
                return items.Count == 0 ? null : string.Join(" . ", items);
            }
            default:
                return null;
        }
    }

    private static Dictionary<int, byte[]> Tlv(ReadOnlySpan<byte> data)
    {
        var d = new Dictionary<int, byte[]>();
        int i = 0;
        while (i + 2 <= data.Length)
        {
            int type = data[i], len = data[i + 1];
            if (i + 2 + len > data.Length) break;
            d[type] = data.Slice(i + 2, len).ToArray();
            i += 2 + len;
        }
        return d;
    }
}
