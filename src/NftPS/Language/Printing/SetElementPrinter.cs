using System.Numerics;
using System.Text;
using NftPS.Language.DataTypes;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;
using T = NftPS.Language.DataTypes.DataTypeRegistry;

namespace NftPS.Language.Printing;

/// <summary>Set and map elements as nft 1.0.6 lists them: intervals merged into ranges or prefixes,
/// concatenations joined by " . ", map data after " : ", then timeout/expires/counter/comment.</summary>
internal static class SetElementPrinter
{
    public static IReadOnlyList<string> FormatElements(NftSet set, NftRuleset ruleset, bool stateless) =>
        FormatWithKeyType(set, ruleset, PrintOptions.Default with { Stateless = stateless }, null);

    internal static List<(DataType Type, ByteOrder Order, int LenBits)> KeyParts(NftSet set)
    {
        var ids = T.SplitConcatType(set.KeyType);
        var parts = new List<(DataType, ByteOrder, int)>();
        bool concat = ids.Count > 1;
        var typeofParts = set.KeyTypeof is { } ud ? Printing.SetTypePrinter.TypeofParts(ud) : null;
        if (typeofParts is not null && typeofParts.Count != ids.Count) typeofParts = null;
        for (int i = 0; i < ids.Count; i++)
        {
            var t = T.FromId(ids[i]) ?? T.Integer;
            int len = t.SizeBits;
            // A sizeless type (integer, string) in a concatenation takes type, order and length from its typeof
            // expression (`typeof udp length . @ih,32,32`), as nft's concat_elem_expr does.
            if (concat && typeofParts is not null && (t.SizeBits == 0 || t == T.Integer) && typeofParts[i].LenBits > 0)
            {
                var tp = typeofParts[i];
                var porder = set.IsInterval ? ByteOrder.BigEndian : tp.Order == ByteOrder.Invalid ? ByteOrder.Host : tp.Order;
                parts.Add((tp.Type, porder, tp.LenBits));
                continue;
            }
            if (concat && i < set.ConcatFieldLengths.Length) len = (int)set.ConcatFieldLengths[i] * 8;
            if (!concat) len = (int)set.KeyLength * 8;
            if (len == 0) len = (int)set.KeyLength * 8;
            var order = t.ByteOrder;
            if (!concat && set.KeyByteOrder is { } bo && bo is 1 or 2) order = (ByteOrder)bo;
            // Interval keys are kept in network byte order whatever the type's own order.
            if (set.IsInterval) order = ByteOrder.BigEndian;
            if (order == ByteOrder.Invalid) order = ByteOrder.Host;
            parts.Add((t, order, len));
        }
        return parts;
    }

    internal static List<string> FormatWithKeyType(NftSet set, NftRuleset? ruleset, PrintOptions options,
        List<(DataType Type, ByteOrder Order, int LenBits)>? keyParts, int shift = 0) =>
        Format(set, ruleset, options, keyParts, shift, withAttributes: true).ConvertAll(item => item.Text);

    /// <summary>The elements as a user thinks of them, each with its value as nft writes it: the key (a range or
    /// prefix for interval sets, whose end markers are folded into their start element) and, for maps, " : data".
    /// Timeouts, counters and comments are left out: they are properties of the element of their own.</summary>
    public static IReadOnlyList<(NftSetElement Element, string Value)> DescribeElements(NftSet set, NftRuleset? ruleset) =>
        Format(set, ruleset, PrintOptions.Default with { Stateless = true }, null, 0, withAttributes: false);

    private static List<(NftSetElement Element, string Text)> Format(NftSet set, NftRuleset? ruleset, PrintOptions options,
        List<(DataType Type, ByteOrder Order, int LenBits)>? keyParts, int shift, bool withAttributes)
    {
        keyParts ??= KeyParts(set);
        var result = new List<(NftSetElement, string)>();
        foreach (var (e, rangeStart, rangeEnd) in InListingOrder(set, keyParts))
        {
            string key;
            if (rangeStart is not null) key = FormatRange(rangeStart, rangeEnd!, keyParts[0], options, shift);
            else if (e.IsCatchAll || e.Key is null) key = "*";
            else if (e.KeyEnd is not null) key = FormatConcatRange(e.Key, e.KeyEnd, keyParts, options, shift);
            else key = FormatKey(e.Key, keyParts, options, shift);
            result.Add((e, key + Suffix(set, e, ruleset, options, withAttributes)));
        }
        return result;
    }

    /// <summary>The elements in the order nft lists them, for the text and the JSON printers alike. Interval sets with
    /// one key part fold each start and its end marker into one range [RangeStart, RangeEnd] (sorted, catch-all last);
    /// the others give each element once (RangeStart null).</summary>
    internal static IEnumerable<(NftSetElement Element, byte[]? RangeStart, byte[]? RangeEnd)> InListingOrder(NftSet set,
        List<(DataType Type, ByteOrder Order, int LenBits)> keyParts)
    {
        var elements = set.Elements;
        bool concat = keyParts.Count > 1;
        if (set.IsInterval && !concat)
        {
            var sorted = elements.Where(e => !e.IsCatchAll && e.Key is not null)
                .OrderBy(e => new BigInteger(e.Key!, isUnsigned: true, isBigEndian: true)).ThenBy(e => e.IsIntervalEnd ? 0 : 1).ToList();
            for (int i = 0; i < sorted.Count; i++)
            {
                var e = sorted[i];
                if (e.IsIntervalEnd) continue;
                byte[] start = e.Key!;
                byte[] end = i + 1 < sorted.Count ? Decrement(sorted[i + 1].Key!) : Enumerable.Repeat((byte)0xff, start.Length).ToArray();
                yield return (e, start, end);
            }
            foreach (var e in elements.Where(e => e.IsCatchAll)) yield return (e, null, null);
            yield break;
        }
        // nft sorts (list_expr_sort) all but concatenated interval sets, which it lists in kernel order
        // (concat_range_aggregate). Its merge sort puts equal keys in reverse kernel order: a stable sort of
        // the reversed list.
        IEnumerable<NftSetElement> ordered = elements.Where(e => !e.IsIntervalEnd);
        if (!(set.IsInterval && concat))
            ordered = (IEnumerable<NftSetElement>?)SortedByWord(elements, keyParts) ??
                ordered.Reverse().OrderBy(e => e.IsCatchAll || e.Key is null ? 1 : 0).ThenBy(e => SortValue(e.Key, keyParts));
        foreach (var e in ordered) yield return (e, null, null);
    }

    /// <summary>The same order as the sort above (catch-all last, by <see cref="SortValue"/>, equal keys in reverse kernel
    /// order) for the common case of one key part of at most 8 bytes that is not a bitmask: the value fits a ulong, so
    /// no BigInteger per element. Null when the keys do not allow it.</summary>
    private static List<NftSetElement>? SortedByWord(IReadOnlyList<NftSetElement> elements, List<(DataType Type, ByteOrder Order, int LenBits)> parts)
    {
        if (parts.Count != 1 || parts[0].Type.BaseType == T.Bitmask) return null;
        bool bigEndian = parts[0].Order != ByteOrder.Host;
        var keys = new (int Group, ulong Value, int Index)[elements.Count];
        int n = 0;
        for (int i = 0; i < elements.Count; i++)
        {
            var e = elements[i];
            if (e.IsIntervalEnd) continue;
            ulong value = 0;
            if (e.Key is { } k)
            {
                if (k.Length > 8) return null;
                for (int b = 0; b < k.Length; b++) value |= (ulong)k[bigEndian ? b : k.Length - 1 - b] << (8 * (k.Length - 1 - b));
            }
            keys[n++] = (e.IsCatchAll || e.Key is null ? 1 : 0, value, i);
        }
        Array.Sort(keys, 0, n, Comparer<(int Group, ulong Value, int Index)>.Create((a, b) =>
            a.Group != b.Group ? a.Group.CompareTo(b.Group) : a.Value != b.Value ? a.Value.CompareTo(b.Value) : b.Index.CompareTo(a.Index)));
        var sorted = new List<NftSetElement>(n);
        for (int i = 0; i < n; i++) sorted.Add(elements[keys[i].Index]);
        return sorted;
    }

    /// <summary>expr_msort_value: a value's number in its byte order; a flag combination (printed as `a | b`) sorts by
    /// its lowest flag only; a concatenation by its unpadded component bytes read as one host-order number.</summary>
    internal static BigInteger SortValue(byte[]? key, List<(DataType Type, ByteOrder Order, int LenBits)> parts)
    {
        if (key is null) return BigInteger.Zero;
        if (parts.Count > 1)
        {
            var data = new List<byte>();
            foreach (var (bytes, _) in Split(key, parts)) data.AddRange(bytes);
            return new BigInteger(data.ToArray(), isUnsigned: true, isBigEndian: false);
        }
        var part = parts[0];
        var value = new BigInteger(key, isUnsigned: true, isBigEndian: part.Order != ByteOrder.Host);
        if (part.Type.BaseType == T.Bitmask && !value.IsZero && !(value & (value - 1)).IsZero) value &= -value;
        return value;
    }

    private static byte[] Decrement(byte[] value)
    {
        var r = (byte[])value.Clone();
        for (int i = r.Length - 1; i >= 0; i--)
        {
            if (r[i] != 0) { r[i]--; break; }
            r[i] = 0xff;
        }
        return r;
    }

    internal static IEnumerable<(byte[] Bytes, int Index)> Split(byte[] key, List<(DataType Type, ByteOrder Order, int LenBits)> parts)
    {
        // A single key is read whole, as nft does before binop_adjust shifts a masked field into place.
        if (parts.Count == 1)
        {
            yield return (key, 0);
            yield break;
        }
        int pos = 0;
        for (int i = 0; i < parts.Count; i++)
        {
            int len = (parts[i].LenBits + 7) / 8;
            int take = Math.Min(len, Math.Max(0, key.Length - pos));
            yield return (key.AsSpan(pos, take).ToArray(), i);
            pos += parts.Count > 1 ? (len + 3) / 4 * 4 : len;
        }
    }

    /// <summary>One value of a key or of map data. <paramref name="shift"/> is what the kernel shifted a masked sub-byte
    /// key left by (binop_adjust in nft); map data is never shifted, so data passes 0.</summary>
    internal static string FormatValue(byte[] bytes, (DataType Type, ByteOrder Order, int LenBits) part, PrintOptions options, int shift)
    {
        var c = Constant.FromBytes(part.Type, part.Order, bytes, Math.Min(part.LenBits, bytes.Length * 8));
        if (shift != 0) c = c with { Value = c.Value >> shift };
        return ValueFormatter.FormatPlain(c, options);
    }

    private static string FormatKey(byte[] key, List<(DataType Type, ByteOrder Order, int LenBits)> parts, PrintOptions options, int shift)
    {
        if (parts.Count == 1)
        {
            // What PrintIpv4 makes of the constant, without building it: listings of big address sets are mostly this.
            if (parts[0] is { Type: var t, Order: ByteOrder.BigEndian, LenBits: 32 } && t == T.Ipv4Addr && key.Length == 4 &&
                shift == 0 && !options.NumericAll)
                return $"{key[0]}.{key[1]}.{key[2]}.{key[3]}";
            return FormatValue(key, parts[0], options, shift);
        }
        return string.Join(" . ", Split(key, parts).Select(p => FormatValue(p.Bytes, parts[p.Index], options, shift)));
    }

    private static string FormatConcatRange(byte[] key, byte[] keyEnd, List<(DataType Type, ByteOrder Order, int LenBits)> parts, PrintOptions options, int shift)
    {
        var starts = Split(key, parts).ToList();
        var ends = Split(keyEnd, parts).ToList();
        return string.Join(" . ", starts.Select((s, i) => FormatRange(s.Bytes, ends[i].Bytes, parts[i], options, shift)));
    }

    private static string FormatRange(byte[] start, byte[] end, (DataType Type, ByteOrder Order, int LenBits) part, PrintOptions options, int shift)
    {
        var s = new BigInteger(start, isUnsigned: true, isBigEndian: true);
        var e = new BigInteger(end, isUnsigned: true, isBigEndian: true);
        if (s == e) return FormatValue(start, part, options, shift);
        var numeric = options with { NumericAll = true };
        int bits = start.Length * 8;
        var size = e - s + 1;
        if (part.Type.IsString && WildcardString(start, s, size) is { } wildcard) return wildcard;
        if (part.Type.AllowsPrefix && !size.IsZero && (size & (size - 1)).IsZero && (s & (size - 1)).IsZero)
        {
            int hostBits = (int)BigInteger.Log(size, 2);
            if (BigInteger.One << hostBits != size) hostBits = (int)Math.Round(BigInteger.Log(size, 2));
            return FormatValue(start, part, options, shift) + "/" + (bits - hostBits);
        }
        return FormatValue(start, part, numeric, shift) + "-" + FormatValue(end, part, numeric, shift);
    }

    /// <summary>Map data as netlink_delinearize_setelem reads it: concatenations split by component; interval data
    /// (nat maps) holds all minimums then all maximums, printed as value, prefix or range.</summary>
    private static string FormatData(NftSet set, byte[] d, uint dt, PrintOptions options)
    {
        var ids = T.SplitConcatType(dt);
        bool interval = set.DataInterval == true;
        if (ids.Count == 1)
        {
            var ty = T.FromId(ids[0]) ?? T.Integer;
            var order = ty.ByteOrder;
            if (set.DataByteOrder is { } bo && bo is 1 or 2) order = (ByteOrder)bo;
            if (order == ByteOrder.Invalid) order = ByteOrder.Host;
            if (!interval) return FormatValue(d, (ty, order, d.Length * 8), options, 0);
            int half = d.Length / 2;
            var part = (ty, order, half * 8);
            return FormatDataRange(d[..half], d[half..(half * 2)], part, options, anyTypePrefix: true);
        }
        var parts = new List<(DataType Type, ByteOrder Order, int LenBits)>();
        foreach (int id in ids)
        {
            var ty = T.FromId(id) ?? T.Integer;
            var order = ty.ByteOrder == ByteOrder.Invalid ? ByteOrder.Host : ty.ByteOrder;
            parts.Add((ty, order, ty.SizeBits == 0 ? 32 : ty.SizeBits));
        }
        if (!interval) return FormatKey(d, parts, options, 0);
        int stride = parts.Sum(x => ((x.LenBits + 7) / 8 + 3) / 4 * 4);
        var mins = Split(d, parts).ToList();
        var maxs = Split(d.Length >= stride * 2 ? d[stride..] : Array.Empty<byte>(), parts).ToList();
        return string.Join(" . ", mins.Select((m, i) => FormatDataRange(m.Bytes, maxs[i].Bytes, parts[i], options, anyTypePrefix: false)));
    }

    /// <summary>range_expr_reduce / range_expr_to_prefix for map data ranges.</summary>
    private static string FormatDataRange(byte[] min, byte[] max, (DataType Type, ByteOrder Order, int LenBits) part,
        PrintOptions options, bool anyTypePrefix)
    {
        bool be = part.Order != ByteOrder.Host;
        var lo = new BigInteger(min, isUnsigned: true, isBigEndian: be);
        var hi = new BigInteger(max, isUnsigned: true, isBigEndian: be);
        if (!anyTypePrefix && lo == hi) return FormatValue(min, part, options, 0);
        if (anyTypePrefix || part.Type == T.Ipv4Addr || part.Type == T.Ipv6Addr)
        {
            if (Model.RangePrefix.Of(lo, hi, min.Length * 8) is { } plen)
                return FormatValue(min, part, options, 0) + "/" + plen;
        }
        var numeric = options with { NumericAll = true };
        return FormatValue(min, part, numeric, 0) + "-" + FormatValue(max, part, numeric, 0);
    }

    /// <summary>interval_to_string: a string range covering every suffix of a prefix is `"prefix*"`.</summary>
    private static string? WildcardString(byte[] start, BigInteger s, BigInteger size)
    {
        if (size.IsZero || !(size & (size - 1)).IsZero || !(s & (size - 1)).IsZero) return null;
        int hostBits = (int)(size.GetBitLength() - 1);
        if (hostBits % 8 != 0) return null;
        int prefixBytes = start.Length - hostBits / 8;
        int strLen = Array.IndexOf(start, (byte)0, 0, prefixBytes);
        if (strLen < 0) strLen = prefixBytes;
        if (strLen == 0 || strLen >= start.Length) return null;
        return "\"" + Encoding.UTF8.GetString(start, 0, strLen) + "*\"";
    }

    private static string Suffix(NftSet set, NftSetElement e, NftRuleset? ruleset, PrintOptions options, bool withAttributes = true)
    {
        if (!withAttributes && !set.IsMap && !set.IsObjectMap) return "";
        var sb = new StringBuilder();
        if (withAttributes) AppendAttributes(sb, set, e, options);
        if (set.IsMap || set.IsObjectMap)
        {
            string data;
            if (e.Verdict is { } v) data = v.ToString();
            else if (e.ObjectReference is { } o) data = "\"" + o + "\"";
            else if (e.Data is { } d && set.DataType is { } dt) data = FormatData(set, d, dt, options);
            else data = "";
            return sb + " : " + data;
        }
        return sb.ToString();
    }

    /// <summary>Statements (counter, limit…), timeout, expires and comment, in the order nft prints them.</summary>
    private static void AppendAttributes(StringBuilder sb, NftSet set, NftSetElement e, PrintOptions options)
    {
        var statements = Printing.StatementPrinter.ElementStatements(e, options.Stateless);
        foreach (var text in statements) sb.Append(' ').Append(text);
        if (statements.Count == 0)
        {
            bool counted = false;
            foreach (var ex in e.Expressions)
            {
                if (ex is CounterExpression c)
                {
                    counted = true;
                    sb.Append(options.Stateless ? " counter" : $" counter packets {c.Packets ?? 0} bytes {c.Bytes ?? 0}");
                }
            }
            if (!counted && e.Counter is { } packets)
                sb.Append(options.Stateless ? " counter" : $" counter packets {packets} bytes {e.Bytes ?? 0}");
        }
        if (e.Timeout is { } t && (set.Timeout is null || t != set.Timeout))
            sb.Append(" timeout ").Append(ValueFormatter.FormatTime((ulong)t.TotalMilliseconds));
        if (e.Expires is { } x && !options.Stateless)
            sb.Append(" expires ").Append(ValueFormatter.FormatTime((ulong)x.TotalMilliseconds));
        if (e.Comment is { } comment) sb.Append(" comment \"").Append(comment).Append('"');
    }
}
