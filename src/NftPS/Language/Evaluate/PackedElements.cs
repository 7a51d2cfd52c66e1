using NftPS.Language.DataTypes;
using NftPS.NfTables.Writing;

namespace NftPS.Language.Evaluate;

/// <summary>Element strings of the most common key types (ipv4_addr, inet_service and concatenations of them) read
/// straight into key bytes, without the per-element lexer, parser, evaluator and linearizer round trip that costs
/// more than the kernel's own work for large inputs. The reader only ever says "this text is exactly this value"
/// or "not mine": it accepts one canonical spelling per form (a strict dotted quad, a decimal port without leading
/// zeros, `a/N`, `a-b`, items joined by " . ") and anything else — other spellings, other types, maps, element
/// options, syntax — goes to the compiler, which gives the same bytes or the same refusal it always did. So a value
/// is never code here either: text that is not one of these forms is never interpreted.</summary>
internal sealed class PackedElements
{
    private enum Kind : byte { Ipv4, Port }

    private readonly Kind[] _items;

    /// <summary>Key bytes: each concatenated item padded to 4 bytes, as the kernel's registers hold them.</summary>
    public int KeyLength { get; }
    /// <summary>A one-item interval set: elements are ranges (<see cref="TryRange"/>), encoded by <see cref="EncodeIntervals"/>.</summary>
    public bool Interval { get; }
    public bool AutoMerge { get; }

    private PackedElements(Kind[] items, bool interval, bool autoMerge)
    {
        _items = items;
        Interval = interval;
        AutoMerge = autoMerge;
        KeyLength = items.Length == 1 ? Width(items[0]) : items.Length * 4;
    }

    private static int Width(Kind k) => k == Kind.Ipv4 ? 4 : 2;

    /// <summary>The reader for a set's elements, or null when the set takes only the compiler's path: maps, key types
    /// other than big-endian ipv4_addr/inet_service, concatenated intervals, and removals from interval sets (nft
    /// removes the interval's start and end as the set holds them, which the compiler works out).</summary>
    public static PackedElements? For(SetDescriptor? set, bool adding)
    {
        if (set is null || set.IsMap || set.IsObjectMap || set.KeyTypes.Count == 0) return null;
        if (set.IsInterval && (set.KeyTypes.Count != 1 || !adding)) return null;
        var items = new Kind[set.KeyTypes.Count];
        for (int i = 0; i < items.Length; i++)
        {
            var order = set.KeyByteOrders is { } orders && orders.Count > i ? orders[i] : ByteOrder.Invalid;
            if (order is not (ByteOrder.BigEndian or ByteOrder.Invalid)) return null;
            if (set.KeyTypes[i] == DataTypeRegistry.Ipv4Addr && set.KeyLengthsBits[i] == 32) items[i] = Kind.Ipv4;
            else if (set.KeyTypes[i] == DataTypeRegistry.InetService && set.KeyLengthsBits[i] == 16) items[i] = Kind.Port;
            else return null;
        }
        return new PackedElements(items, set.IsInterval, set.AutoMerge);
    }

    /// <summary>Whether <paramref name="text"/> is one of the canonical forms of any supported type (an address,
    /// prefix, range, port, port range, or such items joined by " . "), before the set is known. Such text is a
    /// single value to the compiler too, so deferring its parse changes no refusal.</summary>
    public static bool IsCandidate(string text)
    {
        if (text.Length is 0 or > 200) return false;
        var rest = text.AsSpan();
        while (true)
        {
            int sep = rest.IndexOf(" . ", StringComparison.Ordinal);
            var item = sep < 0 ? rest : rest[..sep];
            if (!CandidateItem(item)) return false;
            if (sep < 0) return true;
            rest = rest[(sep + 3)..];
        }
    }

    private static bool CandidateItem(ReadOnlySpan<char> item)
    {
        int dash = item.IndexOf('-');
        if (dash >= 0)
        {
            var lo = item[..dash];
            var hi = item[(dash + 1)..];
            return (TryIpv4(lo, out _) && TryIpv4(hi, out _)) || (TryPort(lo, out _) && TryPort(hi, out _));
        }
        int slash = item.IndexOf('/');
        if (slash >= 0) return TryIpv4(item[..slash], out _) && TryPrefixLength(item[(slash + 1)..], out _);
        return TryIpv4(item, out _) || TryPort(item, out _);
    }

    /// <summary>The key of a plain (non-interval) set's element: one value per item; false when the text is not
    /// exactly that (a prefix or range, another type's value, another spelling).</summary>
    public bool TryKey(string text, out byte[] key)
    {
        key = null!;
        if (Interval) return false;
        var bytes = new byte[KeyLength];
        var rest = text.AsSpan();
        for (int i = 0; i < _items.Length; i++)
        {
            int sep = rest.IndexOf(" . ", StringComparison.Ordinal);
            bool last = i == _items.Length - 1;
            if (last != sep < 0) return false;
            var item = last ? rest : rest[..sep];
            int at = _items.Length == 1 ? 0 : i * 4;
            if (_items[i] == Kind.Ipv4)
            {
                if (!TryIpv4(item, out uint a)) return false;
                bytes[at] = (byte)(a >> 24); bytes[at + 1] = (byte)(a >> 16); bytes[at + 2] = (byte)(a >> 8); bytes[at + 3] = (byte)a;
            }
            else
            {
                if (!TryPort(item, out uint p)) return false;
                bytes[at] = (byte)(p >> 8); bytes[at + 1] = (byte)p;
            }
            if (!last) rest = rest[(sep + 3)..];
        }
        key = bytes;
        return true;
    }

    /// <summary>The inclusive bounds of an interval set's element: a value, a prefix (host bits cleared, as nft
    /// does) or a range with its low end not above its high end.</summary>
    public bool TryRange(string text, out uint lo, out uint hi)
    {
        lo = hi = 0;
        if (!Interval) return false;
        var s = text.AsSpan();
        bool ipv4 = _items[0] == Kind.Ipv4;
        int dash = s.IndexOf('-');
        if (dash >= 0)
        {
            bool ok = ipv4 ? TryIpv4(s[..dash], out lo) && TryIpv4(s[(dash + 1)..], out hi)
                : TryPort(s[..dash], out lo) && TryPort(s[(dash + 1)..], out hi);
            return ok && lo <= hi;
        }
        int slash = s.IndexOf('/');
        if (slash >= 0)
        {
            if (!ipv4 || !TryIpv4(s[..slash], out uint a) || !TryPrefixLength(s[(slash + 1)..], out int len)) return false;
            uint host = len == 0 ? uint.MaxValue : len == 32 ? 0u : uint.MaxValue >> len;
            lo = a & ~host;
            hi = lo | host;
            return true;
        }
        bool single = ipv4 ? TryIpv4(s, out lo) : TryPort(s, out lo);
        hi = lo;
        return single;
    }

    /// <summary>An interval set's elements as nft 1.0.6 sends them (the compiler's encoding: sorted, a leading end at
    /// 0 when the first interval starts above it, each interval's start and its end one past the last value, none
    /// for an interval that reaches the top). Identical intervals are one; overlapping ones are merged only with
    /// auto-merge (adjacent ones too) — without it null is returned, and the compiler's path refuses them naming
    /// both elements as nft does.</summary>
    public List<ElementSpec>? EncodeIntervals(List<(uint Lo, uint Hi)> ranges)
    {
        ranges.Sort();
        uint max = KeyLength == 4 ? uint.MaxValue : ushort.MaxValue;
        var merged = new List<(uint Lo, uint Hi)>(ranges.Count);
        foreach (var r in ranges)
        {
            if (merged.Count > 0)
            {
                var last = merged[^1];
                if (r == last) continue;
                bool touches = r.Lo <= last.Hi || (AutoMerge && last.Hi != max && r.Lo == last.Hi + 1);
                if (touches)
                {
                    if (!AutoMerge) return null;
                    merged[^1] = (last.Lo, Math.Max(last.Hi, r.Hi));
                    continue;
                }
            }
            merged.Add(r);
        }
        var result = new List<ElementSpec>(merged.Count * 2 + 1);
        if (merged.Count > 0 && merged[0].Lo != 0) result.Add(new ElementSpec { Key = new byte[KeyLength], Flags = 1 });
        foreach (var (lo, hi) in merged)
        {
            result.Add(new ElementSpec { Key = Bytes(lo), IntervalOpen = hi >= max });
            if (hi < max) result.Add(new ElementSpec { Key = Bytes(hi + 1), Flags = 1 });
        }
        return result;
    }

    private byte[] Bytes(uint v) => KeyLength == 4
        ? new[] { (byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v }
        : new[] { (byte)(v >> 8), (byte)v };

    /// <summary>A strict dotted quad: four decimal parts 0–255 without leading zeros (what inet_pton takes).</summary>
    private static bool TryIpv4(ReadOnlySpan<char> s, out uint value)
    {
        value = 0;
        if (s.Length is < 7 or > 15) return false;
        int parts = 0, part = 0, digits = 0;
        foreach (char ch in s)
        {
            if (ch == '.')
            {
                if (digits == 0 || parts == 3) return false;
                value = (value << 8) | (uint)part;
                parts++;
                part = 0;
                digits = 0;
                continue;
            }
            if (ch is < '0' or > '9') return false;
            if (digits > 0 && part == 0) return false;
            part = part * 10 + (ch - '0');
            if (++digits > 3 || part > 255) return false;
        }
        if (parts != 3 || digits == 0) return false;
        value = (value << 8) | (uint)part;
        return true;
    }

    /// <summary>A decimal port 0–65535 without leading zeros.</summary>
    private static bool TryPort(ReadOnlySpan<char> s, out uint value)
    {
        value = 0;
        if (s.Length is 0 or > 5) return false;
        if (s[0] == '0' && s.Length > 1) return false;
        foreach (char ch in s)
        {
            if (ch is < '0' or > '9') return false;
            value = value * 10 + (uint)(ch - '0');
        }
        return value <= 65535;
    }

    private static bool TryPrefixLength(ReadOnlySpan<char> s, out int length)
    {
        length = 0;
        if (!TryPort(s, out uint v) || v > 32) return false;
        length = (int)v;
        return true;
    }
}
