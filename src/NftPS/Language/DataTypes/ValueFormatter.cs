using System.Globalization;
using System.Numerics;
using System.Text;

namespace NftPS.Language.DataTypes;

/// <summary>Prints constants the way nft 1.0.6 does (datatype_print and the per-type print functions).</summary>
internal static class ValueFormatter
{
    /// <summary>Resolves interface indexes to names; defaults to /sys/class/net of the current namespace.</summary>
    public static Func<int, string?> InterfaceNameResolver { get; set; } = DefaultInterfaceName;

    public static string Format(Constant c, PrintOptions? options = null)
    {
        options ??= PrintOptions.Default;
        if (options.NumericAll)
        {
            if (c.Type.IsA(DataTypeRegistry.Time)) return (c.Value / 1000).ToString(CultureInfo.InvariantCulture) + "s";
            if (c.Type.Symbols is not null || c.Type.IsA(DataTypeRegistry.InetProto)) return PrintRoot(c);
        }
        for (DataType? t = c.Type; t is not null; t = t.BaseType)
        {
            if (t.Printer is not null)
            {
                string? s = t.Printer(c, options);
                if (s is not null) return s;
                return PrintRoot(c);
            }
            if (t.Symbols is not null) return PrintSymbolic(t, c, options);
        }
        return PrintRoot(c);
    }

    /// <summary>symbolic_constant_print: the name for an exact match, else the base type's print.</summary>
    private static string PrintSymbolic(DataType owner, Constant c, PrintOptions options)
    {
        string? name = owner.Symbols!.NameOf(c.Value);
        if (name is null) return PrintRoot(c);
        return owner.QuoteSymbols ? "\"" + name + "\"" : name;
    }

    /// <summary>The root base type's print: integer (with the nearest basefmt) or string.</summary>
    private static string PrintRoot(Constant c)
    {
        if (c.Type.IsString) return PrintString(c, PrintOptions.Default)!;
        if (ReferenceEquals(c.Type, DataTypeRegistry.Invalid)) return PrintInvalid(c, PrintOptions.Default)!;
        return PrintInteger(c);
    }

    public static string PrintInteger(Constant c)
    {
        string? fmt = null;
        for (DataType? t = c.Type; t is not null; t = t.BaseType)
            if (t.BaseFormat is not null) { fmt = t.BaseFormat; break; }
        return FormatNumber(c.Value, fmt);
    }

    /// <summary>Formats a number with one of nft's basefmt strings ("x" = 0x%x, "x8" = 0x%.8x, null = %u).</summary>
    public static string FormatNumber(BigInteger value, string? fmt)
    {
        if (fmt is null) return value.ToString(CultureInfo.InvariantCulture);
        string hex = value.IsZero ? "0" : value.ToString("x", CultureInfo.InvariantCulture).TrimStart('0');
        if (hex.Length == 0) hex = "0";
        int width = fmt.Length > 1 ? int.Parse(fmt.AsSpan(1), CultureInfo.InvariantCulture) : 0;
        return "0x" + hex.PadLeft(width, '0');
    }

    internal static string? PrintInvalid(Constant c, PrintOptions o) => FormatNumber(c.Value, "x") + " [invalid type]";

    internal static string? PrintString(Constant c, PrintOptions o)
    {
        byte[] data = c.ToBytes();
        int end = Array.IndexOf(data, (byte)0);
        if (end < 0) end = data.Length;
        return "\"" + Encoding.UTF8.GetString(data, 0, end).Replace("*", "\\*") + "\"";
    }

    internal static string? PrintLlAddr(Constant c, PrintOptions o)
    {
        byte[] data = (c with { Order = ByteOrder.BigEndian }).ToBytes();
        return string.Join(":", data.Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
    }

    internal static string? PrintIpv4(Constant c, PrintOptions o)
    {
        byte[] d = (c with { Order = ByteOrder.BigEndian }).ToBytes(4);
        return $"{d[0]}.{d[1]}.{d[2]}.{d[3]}";
    }

    internal static string? PrintIpv6(Constant c, PrintOptions o) =>
        FormatIpv6((c with { Order = ByteOrder.BigEndian }).ToBytes(16));

    /// <summary>inet_ntop(AF_INET6) as glibc does it: the longest run (≥ 2) of zero groups becomes "::",
    /// and ::a.b.c.d / ::ffff:a.b.c.d keep the embedded IPv4 address.</summary>
    public static string FormatIpv6(ReadOnlySpan<byte> a)
    {
        Span<int> w = stackalloc int[8];
        for (int i = 0; i < 8; i++) w[i] = (a[2 * i] << 8) | a[2 * i + 1];
        int bestBase = -1, bestLen = 0, curBase = -1, curLen = 0;
        for (int i = 0; i < 8; i++)
        {
            if (w[i] == 0)
            {
                if (curBase == -1) { curBase = i; curLen = 1; }
                else curLen++;
            }
            else if (curBase != -1)
            {
                if (bestBase == -1 || curLen > bestLen) { bestBase = curBase; bestLen = curLen; }
                curBase = -1;
            }
        }
        if (curBase != -1 && (bestBase == -1 || curLen > bestLen)) { bestBase = curBase; bestLen = curLen; }
        if (bestBase != -1 && bestLen < 2) bestBase = -1;

        var sb = new StringBuilder();
        for (int i = 0; i < 8; i++)
        {
            if (bestBase != -1 && i >= bestBase && i < bestBase + bestLen)
            {
                if (i == bestBase) sb.Append(':');
                continue;
            }
            if (i != 0) sb.Append(':');
            if (i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && w[5] == 0xffff)))
            {
                sb.Append($"{a[12]}.{a[13]}.{a[14]}.{a[15]}");
                break;
            }
            sb.Append(w[i].ToString("x", CultureInfo.InvariantCulture));
        }
        if (bestBase != -1 && bestBase + bestLen == 8) sb.Append(':');
        return sb.ToString();
    }

    internal static string? PrintInetProto(Constant c, PrintOptions o)
    {
        if (!o.NumericProtocol && c.Value >= 0 && c.Value <= 255 && ProtocolNames.NameOf((int)c.Value) is { } name) return name;
        return PrintInteger(c);
    }

    internal static Constant? ParseInetProto(string text, DataType type)
    {
        if (int.TryParse(text, out int n) && n is >= 0 and <= 255) return new Constant(type, ByteOrder.Host, 8, n);
        int? p = ProtocolNames.NumberOf(text);
        return p is null ? null : new Constant(type, ByteOrder.Host, 8, p.Value);
    }

    internal static string? PrintInetService(Constant c, PrintOptions o)
    {
        if (o.ServiceNames && ServiceNames.NameOf((int)c.Value) is { } name) return "\"" + name + "\"";
        return c.Value.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>time_print: 1d2h3m4s5ms from milliseconds.</summary>
    public static string FormatTime(ulong ms)
    {
        var sb = new StringBuilder();
        ulong days = ms / 86400000; ms %= 86400000;
        ulong hours = ms / 3600000; ms %= 3600000;
        ulong minutes = ms / 60000; ms %= 60000;
        ulong seconds = ms / 1000; ms %= 1000;
        if (days > 0) sb.Append(days).Append('d');
        if (hours > 0) sb.Append(hours).Append('h');
        if (minutes > 0) sb.Append(minutes).Append('m');
        if (seconds > 0) sb.Append(seconds).Append('s');
        if (ms > 0) sb.Append(ms).Append("ms");
        return sb.ToString();
    }

    internal static string? PrintTime(Constant c, PrintOptions o) => FormatTime((ulong)c.Value);

    internal static string? PrintIfIndex(Constant c, PrintOptions o)
    {
        int index = (int)(uint)c.Value;
        string? name = InterfaceNameResolver(index);
        return name is not null ? "\"" + name + "\"" : index.ToString(CultureInfo.InvariantCulture);
    }

    private static string? DefaultInterfaceName(int index)
    {
        try
        {
            const string root = "/sys/class/net";
            if (!Directory.Exists(root)) return null;
            foreach (string dir in Directory.GetDirectories(root))
            {
                string f = Path.Combine(dir, "ifindex");
                if (File.Exists(f) && int.TryParse(File.ReadAllText(f).Trim(), out int i) && i == index)
                    return Path.GetFileName(dir);
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }

    internal static string? PrintClassId(Constant c, PrintOptions o)
    {
        uint h = (uint)(c.Value & 0xffffffff);
        if (h == 0xffffffff) return "root";
        if (h == 0) return "none";
        return $"{(h >> 16):x}:{(h & 0xffff):x}";
    }

    internal static string? PrintUid(Constant c, PrintOptions o) =>
        o.UserNames && AccountNames.User((uint)c.Value) is { } n ? "\"" + n + "\"" : c.Value.ToString(CultureInfo.InvariantCulture);

    internal static string? PrintGid(Constant c, PrintOptions o) =>
        o.UserNames && AccountNames.Group((uint)c.Value) is { } n ? "\"" + n + "\"" : c.Value.ToString(CultureInfo.InvariantCulture);

    internal static string? PrintCtLabel(Constant c, PrintOptions o)
    {
        int bit = 0;
        BigInteger v = c.Value;
        if (v.IsZero) bit = 0;
        else while ((v & BigInteger.One) == 0) { v >>= 1; bit++; }
        string? name = DataTypeRegistry.CtLabel.Symbols!.NameOf(bit);
        return name is not null ? "\"" + name + "\"" : bit.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Local time zone offset in seconds, as nft takes it from localtime() (TZ respected).</summary>
    public static Func<DateTime, int> UtcOffsetSeconds { get; set; } =
        utc => (int)TimeZoneInfo.Local.GetUtcOffset(utc).TotalSeconds;

    internal static string? PrintHour(Constant c, PrintOptions o)
    {
        long seconds = (long)(uint)c.Value;
        seconds = ((seconds + UtcOffsetSeconds(DateTime.UtcNow)) % 86400 + 86400) % 86400;
        long minutes = seconds / 60; seconds %= 60;
        long hours = minutes / 60; minutes %= 60;
        string s = $"\"{hours:00}:{minutes:00}";
        if (seconds != 0) s += $":{seconds:00}";
        return s + "\"";
    }

    internal static string? PrintDate(Constant c, PrintOptions o)
    {
        long ts = (long)((ulong)c.Value / 1_000_000_000UL);
        try
        {
            var utc = DateTime.UnixEpoch.AddSeconds(ts);
            var local = utc.AddSeconds(UtcOffsetSeconds(utc));
            return "\"" + local.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "\"";
        }
        catch (ArgumentOutOfRangeException)
        {
            return "Error converting timestamp to printed time";
        }
    }

    internal static string? PrintCgroupV2(Constant c, PrintOptions o)
    {
        ulong id = (ulong)c.Value;
        string? path = CgroupPaths.Find(id);
        return path is not null ? "\"" + path + "\"" : id.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A single value as nft prints it on the right of `==` or in a set: a name, or for bitmask types
    /// whose bits all have names, the names joined by " | " (bitmask_expr_to_binops).</summary>
    public static string FormatPlain(Constant c, PrintOptions? options = null)
    {
        if (c.Type.IsBitmask && c.Type.Symbols is { } sym && !c.Value.IsZero && sym.NameOf(c.Value) is null)
        {
            var parts = new List<string>();
            BigInteger v = c.Value;
            for (int bit = 0; !v.IsZero; bit++, v >>= 1)
            {
                if ((v & BigInteger.One).IsZero) continue;
                string? n = sym.NameOf(BigInteger.One << bit);
                if (n is null) return Format(c, options);
                parts.Add(n);
            }
            return string.Join(" | ", parts);
        }
        return Format(c, options);
    }

    /// <summary>A bitmask value as nft lists it: the set bits by name, lowest bit first, joined by ","
    /// (unnamed bits in hex). Zero prints as the type's plain value.</summary>
    public static string FormatFlagList(Constant c, PrintOptions? options = null, string separator = ",")
    {
        if (c.Value.IsZero) return Format(c, options);
        var parts = new List<string>();
        BigInteger v = c.Value;
        for (int bit = 0; !v.IsZero; bit++, v >>= 1)
        {
            if ((v & BigInteger.One).IsZero) continue;
            parts.Add(Format(c with { Value = BigInteger.One << bit }, options));
        }
        return string.Join(separator, parts);
    }
}
