using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;
using NftPS.Language.DataTypes;
using NftPS.Language.Printing;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;
using NftPS.NfTables.Reading;
using NftPS.Netlink;
using T = NftPS.Language.DataTypes.DataTypeRegistry;
using Part = (NftPS.Language.DataTypes.DataType Type, NftPS.Language.DataTypes.ByteOrder Order, int LenBits);

namespace NftPS.Language.Json;

/// <summary>Set and map elements in libnftables JSON, in the order and shape <see cref="SetElementPrinter"/> lists
/// them: ranges {"range": [a, b]}, prefixes {"prefix": {...}}, concatenations {"concat": [...]}, map entries
/// [key, data], and {"elem": {"val": key, ...}} when an element carries a timeout, expiry, comment or statement.</summary>
internal static class SetElementJson
{
    public static JsonArray Elements(NftSet set, NftRuleset? ruleset, PrintOptions options, List<Part>? keyParts = null, int shift = 0)
    {
        keyParts ??= SetElementPrinter.KeyParts(set);
        var result = new JsonArray();
        foreach (var (e, rangeStart, rangeEnd) in SetElementPrinter.InListingOrder(set, keyParts))
        {
            JsonNode key;
            if (rangeStart is not null) key = Range(rangeStart, rangeEnd!, keyParts[0], options, shift);
            else if (e.IsCatchAll || e.Key is null) key = JsonValue.Create("*")!;
            else if (e.KeyEnd is not null) key = ConcatRange(e.Key, e.KeyEnd, keyParts, options, shift);
            else key = Key(e.Key, keyParts, options, shift);
            result.Add(Element(set, e, key, options));
        }
        return result;
    }

    private static JsonNode Element(NftSet set, NftSetElement e, JsonNode key, PrintOptions options)
    {
        key = WithAttributes(set, e, key, options);
        if (!set.IsMap && !set.IsObjectMap) return key;
        JsonNode data;
        if (e.Verdict is { } v) data = ExprJson.Verdict(v);
        else if (e.ObjectReference is { } o) data = JsonValue.Create(o)!;
        else if (e.Data is { } d && set.DataType is { } dt) data = Data(set, d, dt, options);
        else throw new NftJsonUnsupportedException($"an element of map {set.Name} without data");
        return new JsonArray(key, data);
    }

    /// <summary>set_elem_expr_json: timeout, expires, comment and the element's statement make it an "elem" object.</summary>
    private static JsonNode WithAttributes(NftSet set, NftSetElement e, JsonNode key, PrintOptions options)
    {
        var statements = ElementStatements(e, options);
        bool timeout = e.Timeout is { } t && (set.Timeout is null || t != set.Timeout);
        bool expires = e.Expires is not null && !options.Stateless;
        if (!timeout && !expires && e.Comment is null && statements.Count == 0) return key;
        var o = new JsonObject { ["val"] = key };
        if (timeout) o["timeout"] = (long)e.Timeout!.Value.TotalSeconds;
        if (expires) o["expires"] = (long)e.Expires!.Value.TotalSeconds;
        if (e.Comment is { } c) o["comment"] = c;
        // nft 1.0.6 merges the first statement's members into the element object
        if (statements.Count > 0)
            foreach (var (name, value) in statements[0].AsObject())
                if (!o.ContainsKey(name)) o[name] = value?.DeepClone();
        return ExprJson.Wrap("elem", o);
    }

    private static List<JsonNode> ElementStatements(NftSetElement e, PrintOptions options)
    {
        var list = new List<JsonNode>();
        if (e.RawExpressions is { } raw)
        {
            if (e.RawExpressionIsSingle)
            {
                NftMessageDecoder.ReadExpression(raw, out string name, out var data);
                list.Add(StatementJson.Stateful(name, data, options.Stateless));
            }
            else
            {
                var r = new NetlinkAttributeReader(raw);
                while (r.TryRead(out var a))
                {
                    if (a.Type != 1) continue;
                    NftMessageDecoder.ReadExpression(a.Payload, out string name, out var data);
                    list.Add(StatementJson.Stateful(name, data, options.Stateless));
                }
            }
            return list;
        }
        foreach (var ex in e.Expressions)
            if (ex is CounterExpression c)
                list.Add(options.Stateless ? ExprJson.Wrap("counter", null) : ExprJson.Wrap("counter", new JsonObject { ["packets"] = (long)(c.Packets ?? 0), ["bytes"] = (long)(c.Bytes ?? 0) }));
        if (list.Count == 0 && e.Counter is { } packets)
            list.Add(options.Stateless ? ExprJson.Wrap("counter", null) : ExprJson.Wrap("counter", new JsonObject { ["packets"] = (long)packets, ["bytes"] = (long)(e.Bytes ?? 0) }));
        return list;
    }

    private static JsonNode Value(byte[] bytes, Part part, PrintOptions options, int shift)
    {
        var c = Constant.FromBytes(part.Type, part.Order, bytes, Math.Min(part.LenBits, bytes.Length * 8));
        if (shift != 0) c = c with { Value = c.Value >> shift };
        return ValueJson.Plain(c, options);
    }

    private static JsonNode Key(byte[] key, List<Part> parts, PrintOptions options, int shift)
    {
        var items = SetElementPrinter.Split(key, parts).Select(p => Value(p.Bytes, parts[p.Index], options, shift)).ToList();
        return items.Count == 1 ? items[0] : ExprJson.Wrap("concat", new JsonArray(items.ToArray()));
    }

    private static JsonNode ConcatRange(byte[] key, byte[] keyEnd, List<Part> parts, PrintOptions options, int shift)
    {
        var starts = SetElementPrinter.Split(key, parts).ToList();
        var ends = SetElementPrinter.Split(keyEnd, parts).ToList();
        var items = starts.Select((s, i) => Range(s.Bytes, ends[i].Bytes, parts[i], options, shift)).ToArray();
        return items.Length == 1 ? items[0] : ExprJson.Wrap("concat", new JsonArray(items));
    }

    private static JsonNode Range(byte[] start, byte[] end, Part part, PrintOptions options, int shift)
    {
        var s = new BigInteger(start, isUnsigned: true, isBigEndian: true);
        var e = new BigInteger(end, isUnsigned: true, isBigEndian: true);
        if (s == e) return Value(start, part, options, shift);
        int bits = start.Length * 8;
        var size = e - s + 1;
        if (part.Type.IsString && WildcardString(start, s, size) is { } wildcard) return JsonValue.Create(wildcard)!;
        if (part.Type.AllowsPrefix && !size.IsZero && (size & (size - 1)).IsZero && (s & (size - 1)).IsZero)
        {
            int hostBits = (int)(size.GetBitLength() - 1);
            return ExprJson.Wrap("prefix", new JsonObject { ["addr"] = Value(start, part, options, shift), ["len"] = bits - hostBits });
        }
        var numeric = options with { NumericProtocol = true, ServiceNames = false };
        return ExprJson.Wrap("range", new JsonArray(Value(start, part, numeric, shift), Value(end, part, numeric, shift)));
    }

    private static JsonNode Data(NftSet set, byte[] d, uint dt, PrintOptions options)
    {
        var ids = T.SplitConcatType(dt);
        bool interval = set.DataInterval == true;
        if (ids.Count == 1)
        {
            var ty = T.FromId(ids[0]) ?? T.Integer;
            var order = ty.ByteOrder;
            if (set.DataByteOrder is { } bo && bo is 1 or 2) order = (ByteOrder)bo;
            if (order == ByteOrder.Invalid) order = ByteOrder.Host;
            if (!interval) return Value(d, (ty, order, d.Length * 8), options, 0);
            int half = d.Length / 2;
            return DataRange(d[..half], d[half..(half * 2)], (ty, order, half * 8), options, anyTypePrefix: true);
        }
        var parts = new List<Part>();
        foreach (int id in ids)
        {
            var ty = T.FromId(id) ?? T.Integer;
            var order = ty.ByteOrder == ByteOrder.Invalid ? ByteOrder.Host : ty.ByteOrder;
            parts.Add((ty, order, ty.SizeBits == 0 ? 32 : ty.SizeBits));
        }
        if (!interval) return Key(d, parts, options, 0);
        int stride = parts.Sum(x => ((x.LenBits + 7) / 8 + 3) / 4 * 4);
        var mins = SetElementPrinter.Split(d, parts).ToList();
        var maxs = SetElementPrinter.Split(d.Length >= stride * 2 ? d[stride..] : Array.Empty<byte>(), parts).ToList();
        var items = mins.Select((m, i) => DataRange(m.Bytes, maxs[i].Bytes, parts[i], options, anyTypePrefix: false)).ToArray();
        return ExprJson.Wrap("concat", new JsonArray(items));
    }

    private static JsonNode DataRange(byte[] min, byte[] max, Part part, PrintOptions options, bool anyTypePrefix)
    {
        bool be = part.Order != ByteOrder.Host;
        var lo = new BigInteger(min, isUnsigned: true, isBigEndian: be);
        var hi = new BigInteger(max, isUnsigned: true, isBigEndian: be);
        if (!anyTypePrefix && lo == hi) return Value(min, part, options, 0);
        if (anyTypePrefix || part.Type == T.Ipv4Addr || part.Type == T.Ipv6Addr)
        {
            if (Model.RangePrefix.Of(lo, hi, min.Length * 8) is { } plen)
                return ExprJson.Wrap("prefix", new JsonObject { ["addr"] = Value(min, part, options, 0), ["len"] = plen });
        }
        var numeric = options with { NumericProtocol = true, ServiceNames = false };
        return ExprJson.Wrap("range", new JsonArray(Value(min, part, numeric, 0), Value(max, part, numeric, 0)));
    }

    private static string? WildcardString(byte[] start, BigInteger s, BigInteger size)
    {
        if (size.IsZero || !(size & (size - 1)).IsZero || !(s & (size - 1)).IsZero) return null;
        int hostBits = (int)(size.GetBitLength() - 1);
        if (hostBits % 8 != 0) return null;
        int prefixBytes = start.Length - hostBits / 8;
        int strLen = Array.IndexOf(start, (byte)0, 0, prefixBytes);
        if (strLen < 0) strLen = prefixBytes;
        if (strLen == 0 || strLen >= start.Length) return null;
        return Encoding.UTF8.GetString(start, 0, strLen) + "*";
    }
}
