using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;
using NftPS.Language.DataTypes;
using T = NftPS.Language.DataTypes.DataTypeRegistry;

namespace NftPS.Language.Json;

/// <summary>A constant in libnftables JSON (nft 1.0.6 datatype_json): walking the type and its base types, the first
/// that has a JSON form decides (integers are numbers, booleans true/false, time in seconds, protocols and
/// symbols by name), else the first symbol table, else the printed text without its quotes (strings too: 1.0.6
/// has no JSON form for them, so `*` keeps the backslash its print adds).</summary>
internal static class ValueJson
{
    public static JsonNode Of(Constant c, PrintOptions options)
    {
        for (DataType? t = c.Type; t is not null; t = t.BaseType)
        {
            if (OwnJson(t, c, options, out var node)) return node!;
            if (t.Symbols is not null) return Symbolic(t, c, options);
            if (t.Printer is not null) return Printed(c, options);
        }
        return Integer(c.Value);
    }

    /// <summary>A value as it stands on the right of `==` or in a set: a flag combination whose bits all have
    /// names is an OR of them (bitmask_expr_to_binops), written {"|": [a, b]} nested to the left.</summary>
    public static JsonNode Plain(Constant c, PrintOptions options)
    {
        if (c.Type.IsBitmask && c.Type.Symbols is { } sym && !c.Value.IsZero && sym.NameOf(c.Value) is null)
        {
            var names = new List<JsonNode>();
            BigInteger v = c.Value;
            for (int bit = 0; !v.IsZero; bit++, v >>= 1)
            {
                if ((v & BigInteger.One).IsZero) continue;
                if (sym.NameOf(BigInteger.One << bit) is not { } n) return Of(c, options);
                names.Add(JsonValue.Create(n)!);
            }
            return OrChain(names);
        }
        return Of(c, options);
    }

    public static JsonNode OrChain(IReadOnlyList<JsonNode> items)
    {
        JsonNode acc = items[0];
        for (int i = 1; i < items.Count; i++) acc = new JsonObject { ["|"] = new JsonArray(acc, items[i]) };
        return acc;
    }

    /// <summary>A value split into its set bits (`ct state established,related`): an array of names.</summary>
    public static JsonNode FlagList(Constant c, PrintOptions options)
    {
        if (c.Value.IsZero) return Of(c, options);
        var items = new JsonArray();
        BigInteger v = c.Value;
        for (int bit = 0; !v.IsZero; bit++, v >>= 1)
        {
            if ((v & BigInteger.One).IsZero) continue;
            items.Add(Of(c with { Value = BigInteger.One << bit }, options));
        }
        return items.Count == 1 ? items[0]!.DeepClone() : items;
    }

    private static bool OwnJson(DataType t, Constant c, PrintOptions o, out JsonNode? node)
    {
        node = null;
        if (ReferenceEquals(t, T.Integer)) { node = Integer(c.Value); return true; }
        if (ReferenceEquals(t, T.Boolean)) { node = JsonValue.Create(!c.Value.IsZero); return true; }
        if (ReferenceEquals(t, T.InetProto))
        {
            if (!o.NumericProtocol && c.Value >= 0 && c.Value <= 255 && ProtocolNames.NameOf((int)c.Value) is { } p) node = JsonValue.Create(p);
            else node = Integer(c.Value);
            return true;
        }
        if (ReferenceEquals(t, T.InetService)) { node = Integer(c.Value); return true; }
        if (ReferenceEquals(t, T.Time)) { node = Integer(c.Value / 1000); return true; }
        if (ReferenceEquals(t, T.Uid))
        {
            node = o.UserNames && AccountNames.User((uint)c.Value) is { } n ? JsonValue.Create(n) : Integer(c.Value);
            return true;
        }
        if (ReferenceEquals(t, T.Gid))
        {
            node = o.UserNames && AccountNames.Group((uint)c.Value) is { } n ? JsonValue.Create(n) : Integer(c.Value);
            return true;
        }
        if (ReferenceEquals(t, T.Mark) || ReferenceEquals(t, T.DevGroup)) { node = Symbolic(t, c, o); return true; }
        if (ReferenceEquals(t, T.CtLabel))
        {
            int bit = 0;
            BigInteger v = c.Value;
            if (!v.IsZero) while ((v & BigInteger.One).IsZero) { v >>= 1; bit++; }
            node = T.CtLabel.Symbols!.NameOf(bit) is { } name ? JsonValue.Create(name) : JsonValue.Create(bit);
            return true;
        }
        return false;
    }

    /// <summary>symbolic_constant_json: the name for an exact match, else the root base type's JSON (a number).</summary>
    private static JsonNode Symbolic(DataType owner, Constant c, PrintOptions o)
    {
        if (!o.NumericAll && owner.Symbols!.NameOf(c.Value) is { } name) return JsonValue.Create(name)!;
        return c.Type.IsString ? JsonValue.Create(StringValue(c))! : Integer(c.Value);
    }

    /// <summary>A type that only prints: the printed text with a leading quoted part unquoted.</summary>
    private static JsonNode Printed(Constant c, PrintOptions o)
    {
        string text = ValueFormatter.Format(c, o with { NumericAll = false });
        if (text.StartsWith('"'))
        {
            int end = text.IndexOf('"', 1);
            text = end < 0 ? text[1..] : text[1..end];
        }
        return JsonValue.Create(text)!;
    }

    private static string StringValue(Constant c)
    {
        byte[] data = c.ToBytes();
        int end = Array.IndexOf(data, (byte)0);
        if (end < 0) end = data.Length;
        return Encoding.UTF8.GetString(data, 0, end);
    }

    /// <summary>integer_type_json: a number when it fits an unsigned long, else a "0x…" string.</summary>
    public static JsonNode Integer(BigInteger value)
    {
        if (value >= 0 && value <= long.MaxValue) return JsonValue.Create((long)value);
        if (value >= 0 && value <= ulong.MaxValue) return JsonValue.Create((ulong)value);
        return JsonValue.Create("0x" + value.ToString("x", CultureInfo.InvariantCulture).TrimStart('0'))!;
    }
}
