using System.Buffers.Binary;
using NftPS.Language.DataTypes;
using NftPS.Language.Protocols;
using NftPS.NfTables.Model;
using T = NftPS.Language.DataTypes.DataTypeRegistry;

namespace NftPS.Language.Printing;

/// <summary>The nftables datatype ids the model printer decides on (element wrapping), and names via the language
/// layer's DataTypeRegistry.</summary>
internal static class DataTypeNames
{
    public const uint Verdict = 1, Integer = 4, Ipv4Addr = 7, Ipv6Addr = 8, EtherAddr = 9, InetProto = 12, InetService = 13,
        Mark = 19, CtState = 26, IfName = 41;
    /// <summary>Bits per component in a concatenation type id.</summary>
    public const int ConcatBits = 6;

    /// <summary>The datatype's name, from the language layer's registry.</summary>
    public static string Name(uint id) => NftPS.Language.DataTypes.DataTypeRegistry.FromId((int)id)?.Name ?? id.ToString();

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

/// <summary>One expression of a typeof description: its text and the type, byte order and bit length of its values.</summary>
internal sealed record TypeofPart(string Text, DataType Type, ByteOrder Order, int LenBits);

/// <summary>The `type …` / `typeof …` line of a set or map, as nft 1.0.6 prints it.</summary>
internal static class SetTypePrinter
{
    /// <summary>"type ipv4_addr : verdict", "typeof ip saddr . tcp dport : meta mark"...</summary>
    public static string Print(NftSet set) => DataText(set) is { } data
        ? KeyText(set) + " : " + (set.DataInterval == true ? "interval " : "") + data
        : KeyText(set);

    /// <summary>Fills the set's key and data type texts (what New-NftSet/New-NftMap take as -Type/-Typeof/-DataType).</summary>
    public static void Describe(NftSet set)
    {
        string key = KeyText(set);
        if (key.StartsWith("typeof ", StringComparison.Ordinal)) { set.KeyTypeofText = key["typeof ".Length..]; set.KeyTypeText = null; }
        else { set.KeyTypeText = key["type ".Length..]; set.KeyTypeofText = null; }
        set.DataTypeText = DataText(set);
    }

    /// <summary>The key part: "type ipv4_addr . inet_service" or "typeof ip saddr . tcp dport".</summary>
    public static string KeyText(NftSet set) =>
        set.KeyTypeof is { } kt && TypeofText(kt) is { } keyTypeof ? "typeof " + keyTypeof : "type " + DataTypeNames.Describe(set.KeyType);

    /// <summary>The data type of a map without the " : " or "interval " ("verdict", "ipv4_addr", "counter", "meta mark");
    /// null for a plain set. Typeof data is printed as typeof only when the key is typeof too, as nft does.</summary>
    public static string? DataText(NftSet set)
    {
        if (!set.IsMap && !set.IsObjectMap) return null;
        if (set.IsObjectMap) return ObjectTypeName(set.ObjectType ?? 0);
        if (set.DataType == 0xffffff00) return "verdict";
        bool keyIsTypeof = set.KeyTypeof is { } kt && TypeofText(kt) is not null;
        if (keyIsTypeof && set.DataTypeof is { } dt && TypeofText(dt) is { } dataTypeof) return dataTypeof;
        return DataTypeNames.Describe(set.DataType ?? 0);
    }

    public static string ObjectTypeName(uint type) => type switch
    {
        1 => "counter", 2 => "quota", 3 => "ct helper", 4 => "limit", 5 => "connlimit", 6 => "tunnel",
        7 => "ct timeout", 8 => "secmark", 9 => "ct expectation", 10 => "synproxy", _ => "unknown",
    };

    /// <summary>The expression text of a libnftnl typeof description, or null when it cannot be read (nft then
    /// falls back to `type`, as it does for the empty concat description it writes for `type a . b`).</summary>
    public static string? TypeofText(ReadOnlySpan<byte> typeofNest) =>
        TypeofParts(typeofNest) is { } parts ? string.Join(" . ", parts.Select(p => p.Text)) : null;

    /// <summary>The expressions of a typeof description (one per concatenation component) with the type, byte order
    /// and length nft gives the set key or data from them; null when it cannot be read.</summary>
    public static IReadOnlyList<TypeofPart>? TypeofParts(ReadOnlySpan<byte> typeofNest)
    {
        uint? kind = UserData.GetU32(typeofNest, 0);
        if (kind is null || !UserData.TryGet(typeofNest, 1, out var data)) return null;
        if (kind == 13)
        {
            var parts = new List<TypeofPart>();
            var r = new UserDataReader(data);
            while (r.TryRead(out _, out var sub))
            {
                uint? subKind = UserData.GetU32(sub, 0);
                if (subKind is null || !UserData.TryGet(sub, 1, out var subData)) return null;
                if (Expression(subKind.Value, subData) is not { } part) return null;
                parts.Add(part);
            }
            return parts.Count == 0 ? null : parts;
        }
        return Expression(kind.Value, data) is { } one ? new[] { one } : null;
    }

    private static TypeofPart? Expression(uint kind, ReadOnlySpan<byte> data)
    {
        switch (kind)
        {
            case 1: return new TypeofPart("verdict", T.Verdict, ByteOrder.Host, 32);
            case 7:
            {
                uint? desc = UserData.GetU32(data, 0), field = UserData.GetU32(data, 1);
                if (desc is null || field is null) return null;
                if (desc == 0 && field == 0)
                {
                    // A raw payload expression: @base,offset,length.
                    uint? b = UserData.GetU32(data, 2), offset = UserData.GetU32(data, 3), length = UserData.GetU32(data, 4);
                    string? baseName = b switch { 1 => "ll", 2 => "nh", 3 => "th", 4 => "ih", _ => null };
                    if (baseName is null || offset is null || length is null) return null;
                    return new TypeofPart($"@{baseName},{offset},{length}", T.HexInteger, ByteOrder.BigEndian, (int)length.Value);
                }
                var header = ProtocolHeaders.FromId((int)desc.Value);
                if (header?.Fields.ElementAtOrDefault((int)field.Value) is not { } f) return null;
                return new TypeofPart(header.Name + " " + f.Name, f.Type, f.ByteOrder, f.LengthBits);
            }
            case 8:
            {
                uint? descId = UserData.GetU32(data, 0), type = UserData.GetU32(data, 1);
                if (descId is null || type is null) return null;
                uint op = UserData.GetU32(data, 2) ?? 0;
                var (prefix, header) = op switch
                {
                    1 => ("tcp option ", ExtensionHeaders.TcpOption((int)descId.Value)),
                    2 => ("ip option ", ExtensionHeaders.IpOption((int)descId.Value)),
                    3 => ("sctp chunk ", ExtensionHeaders.SctpChunk((int)descId.Value)),
                    _ => ("", ExtensionHeaders.Ipv6ById.ElementAtOrDefault((int)descId.Value)),
                };
                if (header?.Fields.ElementAtOrDefault((int)type.Value) is not { } f) return null;
                return new TypeofPart(prefix + header.Name + " " + f.Name, f.Type, f.ByteOrder, f.LengthBits);
            }
            case 9:
            {
                uint? key = UserData.GetU32(data, 0);
                if (key is null || MetaKeys.FromKey((int)key.Value) is not { } meta) return null;
                return new TypeofPart(meta.Text, meta.Type, meta.ByteOrder, meta.LengthBits);
            }
            case 11:
                return new TypeofPart("osf name", T.String, ByteOrder.Host, 16 * 8);
            case 12:
            {
                uint? key = UserData.GetU32(data, 0);
                if (key is null || CtKeys.FromKey((int)key.Value) is not { } ct) return null;
                uint? dir = UserData.GetU32(data, 1);
                string direction = dir switch { 0 => "original ", 1 => "reply ", _ => "" };
                return new TypeofPart($"ct {direction}{ct.Token}", ct.Type, ct.ByteOrder, ct.LengthBits);
            }
            case 23:
            {
                uint? type = UserData.GetU32(data, 0), mod = UserData.GetU32(data, 1), offset = UserData.GetU32(data, 2);
                if (type is null || mod is null) return null;
                string text = $"numgen {(type == 0 ? "inc" : "random")} mod {mod}";
                if (offset is > 0) text += $" offset {offset}";
                return new TypeofPart(text, T.Integer, ByteOrder.Host, 32);
            }
            case 27:
            {
                uint? key = UserData.GetU32(data, 0), dir = UserData.GetU32(data, 1), spnum = UserData.GetU32(data, 2);
                if (key is null || OtherKeys.Xfrm.ElementAtOrDefault((int)key.Value) is not { } x) return null;
                string family = key switch { 1 or 3 => "ip ", 2 or 4 => "ip6 ", _ => "" };
                string spnumText = spnum is > 0 ? $" spnum {spnum}" : "";
                return new TypeofPart($"ipsec {(dir == 1 ? "out" : "in")}{spnumText} {family}{x.Token}", x.Type, x.ByteOrder, x.LengthBits);
            }
            default: return null;
        }
    }

    internal static uint ReadHost32(ReadOnlySpan<byte> v) => BinaryPrimitives.ReadUInt32LittleEndian(v);
}
