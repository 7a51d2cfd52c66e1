using NftPS.Language.DataTypes;
using NftPS.Language.Evaluate;

namespace NftPS.Cmdlets.Changes;

/// <summary>Elements whose bytes need no compiler: a bare dotted-quad IPv4 address going into a plain ipv4_addr set.
/// They skip the nft text round trip (command text, lexer, parser, evaluator), which costs more than the kernel's
/// work for small transactions. Anything else — other types, intervals, maps, options, unusual spellings such as
/// leading zeros — goes through the compiler, which also writes the errors.</summary>
internal static class DirectElements
{
    /// <summary>Whether elements of <paramref name="set"/> may take the direct path: one big-endian ipv4_addr key,
    /// no map data, no intervals (those need the compiler's start/end and merging).</summary>
    public static bool Accepts(SetDescriptor? set) =>
        set is { IsMap: false, IsObjectMap: false, IsInterval: false, KeyTypes.Count: 1 } &&
        set.KeyTypes[0] == DataTypeRegistry.Ipv4Addr && set.KeyLengthsBits[0] == 32 &&
        (set.KeyByteOrders is null || set.KeyByteOrders.Count == 1 && set.KeyByteOrders[0] is ByteOrder.BigEndian or ByteOrder.Invalid);

    /// <summary>The network-order bytes of a strict dotted quad ("10.0.0.1": four decimal parts 0–255 without
    /// leading zeros); null for any other text.</summary>
    public static byte[]? Ipv4Key(string text)
    {
        if (text.Length is < 7 or > 15) return null;
        Span<byte> key = stackalloc byte[4];
        int part = 0, value = 0, digits = 0;
        foreach (char ch in text)
        {
            if (ch == '.')
            {
                if (digits == 0 || part == 3) return null;
                key[part++] = (byte)value;
                value = 0;
                digits = 0;
                continue;
            }
            if (ch is < '0' or > '9') return null;
            if (digits > 0 && value == 0) return null; // leading zero: inet_pton refuses it, let the compiler say so
            value = value * 10 + (ch - '0');
            if (++digits > 3 || value > 255) return null;
        }
        if (part != 3 || digits == 0) return null;
        key[3] = (byte)value;
        return key.ToArray();
    }
}
