using System.Globalization;
using System.Net;
using System.Numerics;
using System.Text;
using NftPS.Language.DataTypes;
using NftPS.Language.Syntax;
using T = NftPS.Language.DataTypes.DataTypeRegistry;

namespace NftPS.Language.Evaluate;

/// <summary>Turns a symbol into a constant of a data type (nftables' symbol_parse / datatype parse callbacks),
/// with nft's error messages.</summary>
internal static class ValueParser
{
    /// <summary>Resolves user names to uids; replaceable in tests.</summary>
    public static Func<string, uint?> UserResolver { get; set; } = name => LookupAccount("/etc/passwd", name);
    public static Func<string, uint?> GroupResolver { get; set; } = name => LookupAccount("/etc/group", name);
    /// <summary>Interface name to index (if_nametoindex); the default reads /sys/class/net.</summary>
    public static Func<string, int?> InterfaceIndexResolver { get; set; } = DefaultIfIndex;

    /// <param name="timeZone">The zone `meta hour` and `meta time` values are read in (nft uses its process's
    /// local zone); null means <see cref="TimeZoneInfo.Local"/>.</param>
    public static ValueNode Parse(SymbolNode sym, DataType type, int lengthBits, ByteOrder order, TimeZoneInfo? timeZone = null)
    {
        var zone = timeZone ?? TimeZoneInfo.Local;
        string text = sym.Text;
        var span = sym.Span;
        ValueNode V(BigInteger v) => new() { Value = v, Span = span, Type = type, LengthBits = lengthBits, ByteOrder = order };

        if (type.IsString)
        {
            if (text.Length == 0) throw new NftEvaluationException(span, "Empty string is not allowed");
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            bool wildcard = false;
            if (text.EndsWith('*') && !text.EndsWith("\\*"))
            {
                bytes = Encoding.UTF8.GetBytes(text[..^1]);
                wildcard = true;
            }
            else if (text.EndsWith("\\*"))
                bytes = Encoding.UTF8.GetBytes(text[..^2] + "*"); // an escaped `*` is the character itself
            // nft measures the text as written, '*' included, plus its NUL (an interface name of 16 characters does
            // not fit IFNAMSIZ 16; "0123456789abcde*" does not either).
            if ((Encoding.UTF8.GetByteCount(text) + 1) * 8 > lengthBits && lengthBits > 0)
                throw new NftEvaluationException(span, $"String exceeds maximum length of {lengthBits / 8}");
            if (text.IndexOf('\0') is int nul and >= 0)
                throw new NftEvaluationException(span, $"a string cannot hold a NUL character (position {nul + 1})");
            return new ValueNode { Value = 0, StringBytes = bytes, Wildcard = wildcard, Span = span, Type = type, LengthBits = lengthBits, ByteOrder = ByteOrder.Host };
        }
        if (type == T.Verdict) throw new NftEvaluationException(span, "Could not parse netfilter verdict");

        // Named constants first (a type's own table, then its base types').
        for (DataType? t = type; t is not null; t = t.BaseType)
            if (t.Symbols is { } table && table.TryGetValue(text, out var sv)) return V(sv);

        if (type.IsA(T.CtLabel) && TryNumber(text, out var bit))
        {
            // A conntrack label number is a bit position (connlabel.conf's numbers), not a value.
            if (bit >= lengthBits) throw new NftEvaluationException(span, $"{text}: bit {bit} out of range ({lengthBits} max)");
            return V(BigInteger.One << (int)bit);
        }
        if (type.IsA(T.Ipv4Addr))
        {
            if (IPAddress.TryParse(text, out var a) && a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && char.IsAsciiDigit(text[0]))
                return V(new BigInteger(a.GetAddressBytes(), isUnsigned: true, isBigEndian: true));
            // getaddrinfo takes inet_aton's forms too ("0xff" is 0.0.0.255, "10.1" is 10.0.0.1), as nft does.
            throw new NftEvaluationException(span, OtherFamily(text, System.Net.Sockets.AddressFamily.InterNetworkV6, "an IPv6", "an IPv4 address (ipv4_addr)")
                ?? "Could not resolve hostname: Name or service not known");
        }
        if (type.IsA(T.Ipv6Addr))
        {
            string t6 = text.Trim('[', ']');
            if (IPAddress.TryParse(t6, out var a) && a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
                return V(new BigInteger(a.GetAddressBytes(), isUnsigned: true, isBigEndian: true));
            throw new NftEvaluationException(span, OtherFamily(t6, System.Net.Sockets.AddressFamily.InterNetwork, "an IPv4", "an IPv6 address (ipv6_addr)")
                ?? "Could not resolve hostname: Name or service not known");
        }
        if (type.IsA(T.LlAddr))
        {
            string[] parts = text.Split(':');
            var bytes = new byte[parts.Length];
            for (int i = 0; i < parts.Length; i++)
                if (!byte.TryParse(parts[i], NumberStyles.HexNumber, null, out bytes[i]))
                    throw new NftEvaluationException(span, $"Could not parse {type.Description}");
            var r = V(new BigInteger(bytes, isUnsigned: true, isBigEndian: true));
            if (lengthBits == 48 && bytes.Length != 6)
                throw new NftEvaluationException(span, $"Could not parse {type.Description}: {bytes.Length} bytes where an Ethernet address has 6");
            if (lengthBits == 0) r.LengthBits = bytes.Length * 8;
            return r;
        }
        if (type == T.InetProto || type.IsA(T.InetProto))
        {
            if (TryNumber(text, out var n)) return CheckRange(V(n), sym, lengthBits);
            int? p = ProtocolNames.NumberOf(text);
            if (p is null) throw new NftEvaluationException(span, "Could not resolve protocol name");
            return V(p.Value);
        }
        if (type.IsA(T.InetService))
        {
            if (TryNumber(text, out var n))
            {
                if (n > 65535) throw new NftEvaluationException(span, "Service out of range");
                return V(n);
            }
            int? port = ServiceLookup(text);
            if (port is null) throw new NftEvaluationException(span, "Could not resolve service: Servname not supported for ai_socktype");
            return V(port.Value);
        }
        if (type.IsA(T.Uid) || type.IsA(T.Gid))
        {
            if (TryNumber(text, out var n)) return CheckRange(V(n), sym, lengthBits);
            uint? id = type.IsA(T.Uid) ? UserResolver(text) : GroupResolver(text);
            if (id is null) throw new NftEvaluationException(span, type.IsA(T.Uid) ? "User does not exist" : "Group does not exist");
            return V(id.Value);
        }
        if (type.IsA(T.IfIndex))
        {
            if (TryNumber(text, out var n)) return V(n);
            int? idx = InterfaceIndexResolver(text);
            if (idx is null) throw new NftEvaluationException(span, "Interface does not exist");
            return V(idx.Value);
        }
        if (type.IsA(T.Time))
        {
            try { return V(Parser.ParseTime(text, span)); }
            catch (NftEvaluationException) { throw; }
        }
        if (type.IsA(T.Date))
        {
            // meta time: a date in local time ("2019-06-21 17:00:00", "2019-06-21") or seconds since the epoch,
            // stored as nanoseconds.
            long seconds;
            if (long.TryParse(text, out long epoch)) seconds = epoch;
            else if (DateTime.TryParseExact(text, new[] { "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd" },
                         System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var local))
                seconds = new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUnixTimeSeconds();
            else throw new NftEvaluationException(span, $"Could not parse {type.Description}");
            // Nanoseconds since 1970 in 64 bits: nft wraps dates outside that span silently (0022-07-01 lists as 2360).
            var ns = new BigInteger(seconds) * 1_000_000_000;
            if (ns.Sign < 0 || ns > ulong.MaxValue)
                throw new NftEvaluationException(span, "date out of range: a time holds dates from 1970-01-01 to 2554-07-21 (UTC)");
            return V(ns);
        }
        if (type.IsA(T.Hour))
        {
            var m = System.Text.RegularExpressions.Regex.Match(text, @"^([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?$");
            if (!m.Success) throw new NftEvaluationException(span, "Could not parse hour");
            if (int.Parse(m.Groups[1].Value) > 23 || int.Parse(m.Groups[2].Value) > 59 || (m.Groups[3].Success && int.Parse(m.Groups[3].Value) > 60))
                throw new NftEvaluationException(span, "Could not parse hour: value out of range");
            long secs = int.Parse(m.Groups[1].Value) * 3600 + int.Parse(m.Groups[2].Value) * 60 + (m.Groups[3].Success ? int.Parse(m.Groups[3].Value) : 0);
            // nft stores the hour in UTC: subtract the local offset.
            long off = (long)zone.GetUtcOffset(DateTime.UtcNow).TotalSeconds;
            secs = ((secs - off) % 86400 + 86400) % 86400;
            return V(secs);
        }
        if (type.IsA(T.Day))
        {
            foreach (var s in T.Day.Symbols!.Symbols)
                if (s.Key.StartsWith(text, StringComparison.OrdinalIgnoreCase) && text.Length >= 3) return V(s.Value);
            if (TryNumber(text, out var dn) && dn < 7) return V(dn);
            throw new NftEvaluationException(span, "Day is not valid");
        }
        if (type.IsA(T.ClassId))
        {
            if (text == "root") return V(0xffffffff);
            if (text == "none") return V(0);
            int c = text.IndexOf(':');
            if (c >= 0 && uint.TryParse(text[..c], NumberStyles.HexNumber, null, out uint maj) &&
                uint.TryParse(text[(c + 1)..], NumberStyles.HexNumber, null, out uint min))
                return V(((BigInteger)maj << 16) | min);
        }
        if (TryNumber(text, out var num)) return CheckRange(V(num), sym, lengthBits);
        throw new NftEvaluationException(span, $"Could not parse {type.Description}");
    }

    private static ValueNode CheckRange(ValueNode v, SymbolNode sym, int lengthBits)
    {
        if (lengthBits > 0 && v.Value >= BigInteger.One << lengthBits)
            throw new NftEvaluationException(sym.Span, $"Value {sym.Text} exceeds valid range 0-{(BigInteger.One << lengthBits) - 1}");
        return v;
    }

    public static bool TryNumber(string text, out BigInteger value)
    {
        value = default;
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && text.Length > 2)
            return BigInteger.TryParse("0" + text[2..], NumberStyles.HexNumber, null, out value);
        return text.Length > 0 && text.All(char.IsDigit) && BigInteger.TryParse(text, out value);
    }

    private static readonly Lazy<Dictionary<string, int>> Services = new(() =>
    {
        var d = new Dictionary<string, int>();
        try
        {
            if (File.Exists("/etc/services"))
                foreach (string raw in File.ReadLines("/etc/services"))
                {
                    string line = raw.Split('#')[0];
                    var parts = line.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
                    if (parts.Length < 2) continue;
                    var pp = parts[1].Split('/');
                    if (pp.Length != 2 || pp[1] != "tcp" || !int.TryParse(pp[0], out int port)) continue;
                    d.TryAdd(parts[0], port);
                    for (int i = 2; i < parts.Length; i++) d.TryAdd(parts[i], port);
                }
        }
        catch (IOException) { }
        foreach (var (n, p) in new[] { ("ssh", 22), ("http", 80), ("https", 443), ("smtp", 25), ("domain", 53), ("ftp", 21), ("telnet", 23) })
            d.TryAdd(n, p);
        return d;
    });

    private static int? ServiceLookup(string name) => Services.Value.TryGetValue(name, out int p) ? p : null;

    private static uint? LookupAccount(string path, string name)
    {
        try
        {
            if (!File.Exists(path)) return null;
            foreach (string line in File.ReadLines(path))
            {
                var f = line.Split(':');
                if (f.Length > 2 && f[0] == name && uint.TryParse(f[2], out uint id)) return id;
            }
        }
        catch (IOException) { }
        return null;
    }

    private static int? DefaultIfIndex(string name)
    {
        if (name == "lo") return 1;
        try
        {
            string p = Path.Combine("/sys/class/net", name, "ifindex");
            if (File.Exists(p) && int.TryParse(File.ReadAllText(p).Trim(), out int i)) return i;
        }
        catch (IOException) { }
        return null;
    }

    /// <summary>nft says "Could not resolve hostname" when an address of the other family is given; say the mismatch.</summary>
    private static string? OtherFamily(string text, System.Net.Sockets.AddressFamily family, string got, string expected) =>
        text.Contains(family == System.Net.Sockets.AddressFamily.InterNetworkV6 ? ':' : '.') &&
        IPAddress.TryParse(text, out var a) && a.AddressFamily == family
            ? $"Type mismatch: '{text}' is {got} address, but {expected} is expected here"
            : null;
}
