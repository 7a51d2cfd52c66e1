using System.Text;
using System.Text.Json;
using NftPS.Language.Syntax;

namespace NftPS.Language.Json;

/// <summary>Translates a libnftables JSON document (libnftables-json(5)) to nft file text: listing objects
/// (`{"table": {...}}`) are adds, command objects (`{"add": {"rule": {...}}}`) keep their verb. Every emitted piece
/// is recorded with the JSON path it came from, so parse and evaluation errors in the text can name the JSON node.
/// Why text: the nft parser and evaluator already give every statement its exact nft meaning (implicit dependencies,
/// symbol resolution by type, set declarations), so going through them keeps JSON and nft files equal by construction.</summary>
internal sealed partial class JsonScriptReader
{
    /// <summary>Characters [Start, End) of the text came from the JSON node at Path whose text is Value.</summary>
    public readonly record struct Segment(int Start, int End, string Path, string Value);

    private readonly StringBuilder _sb = new();
    private readonly List<Segment> _segments = new();

    /// <summary>Translating a listing object (an implicit add): its handle is the old object's, not a position.</summary>
    private bool _listing;

    /// <summary>The family of the rule being translated.</summary>
    private string? _ruleFamily;

    /// <summary>The statements of the set whose elements are being translated (null outside a set declaration).</summary>
    private List<JsonElement>? _setStatements;

    /// <summary>Sets that rules of this document add to or update (family, table, name): they are dynamic sets even
    /// though nft's JSON listing leaves that flag out.</summary>
    private HashSet<(string, string, string)> Dynamic { get; } = new();

    public static (string Text, List<Segment> Segments) Translate(string json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException e)
        {
            string where = e.LineNumber is { } l ? $"line {l + 1}, byte {e.BytePositionInLine + 1}" : "input";
            throw new NftJsonException("nftables", $"malformed JSON at {where}: {FirstSentence(e.Message)}", null);
        }
        catch (ArgumentException)
        {
            // The text itself (not a \u escape in it) holds half of a UTF-16 surrogate pair: no JSON can be read from it.
            int at = json.AsSpan().IndexOfAnyInRange('\ud800', '\udfff');
            throw new NftJsonException("nftables", $"malformed JSON: the text holds an unpaired UTF-16 surrogate near character {at + 1}", null);
        }
        using (doc)
        {
            CheckStrings(doc.RootElement, "$");
            var reader = new JsonScriptReader();
            reader.Document(doc.RootElement);
            return (reader._sb.ToString(), reader._segments);
        }
    }

    /// <summary>Every string and property name must be text: a lone surrogate escape ("\ud800") parses as JSON but
    /// has no UTF-8 form, and reading it later would throw with no node named. Iterative: depth is the input's.</summary>
    private static void CheckStrings(JsonElement root, string rootPath)
    {
        var pending = new Stack<(JsonElement Element, string Path)>();
        pending.Push((root, rootPath));
        while (pending.Count > 0)
        {
            var (e, path) = pending.Pop();
            switch (e.ValueKind)
            {
                case JsonValueKind.String:
                    ReadableString(e, path);
                    break;
                case JsonValueKind.Array:
                {
                    int i = 0;
                    foreach (var x in e.EnumerateArray()) pending.Push((x, $"{path}[{i++}]"));
                    break;
                }
                case JsonValueKind.Object:
                    foreach (var p in e.EnumerateObject())
                    {
                        string name;
                        try { name = p.Name; }
                        catch (InvalidOperationException) { throw new NftJsonException(path, "a property name holds an invalid UTF-16 escape (a lone surrogate such as \ud800)", null); }
                        pending.Push((p.Value, path == "$" ? name : path + "." + name));
                    }
                    break;
            }
        }
    }

    private static void ReadableString(JsonElement e, string path)
    {
        try { _ = e.GetString(); }
        catch (InvalidOperationException)
        {
            throw new NftJsonException(path, "the string holds an invalid UTF-16 escape (a lone surrogate such as \ud800); it has no UTF-8 form", Shorten(e.GetRawText()));
        }
    }

    private static string FirstSentence(string message)
    {
        foreach (string cut in new[] { " Path:", " LineNumber:" })
        {
            int i = message.IndexOf(cut, StringComparison.Ordinal);
            if (i > 0) message = message[..i];
        }
        return message.Trim();
    }

    public static string Shorten(string raw)
    {
        string flat = string.Join(" ", raw.Split(new[] { '\n', '\r', '\t' }, StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim()));
        return flat.Length <= 160 ? flat : flat[..157] + "...";
    }

    private static NftJsonException Error(string path, string reason, JsonElement? value) =>
        new(path, reason, value is { } v ? Shorten(v.GetRawText()) : null);

    private void Mark(int start, string path, JsonElement value) =>
        _segments.Add(new Segment(start, _sb.Length, path, value.GetRawText()));

    private void Document(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("nftables", out var list))
            throw Error("$", "expected an object with an \"nftables\" array", root);
        if (list.ValueKind != JsonValueKind.Array) throw Error("nftables", "\"nftables\" must be an array", list);
        var items = list.EnumerateArray().Select((item, index) => (Item: item, Index: index)).ToList();
        FindDynamicSets(items.Select(x => x.Item));
        // A listing (objects only, no commands) is one ruleset: declare chains before sets whose verdict maps jump
        // to them, and sets before the rules that use them, as nft does for a table block.
        if (items.All(x => IsListingObject(x.Item)))
            items = items.OrderBy(x => ListingRank(x.Item)).ToList();
        foreach (var (item, index) in items)
        {
            string path = $"nftables[{index}]";
            var (key, value) = Single(item, path, "command or ruleset object");
            int start = _sb.Length;
            switch (key)
            {
                case "metainfo":
                    MetaInfo(value, path + ".metainfo");
                    continue;
                case "add" or "create" or "insert" or "replace" or "delete" or "destroy" or "flush" or "reset" or "rename":
                {
                    var (kind, obj) = Single(value, path + "." + key, "ruleset object");
                    Command(key, kind, obj, $"{path}.{key}.{kind}");
                    Mark(start, $"{path}.{key}.{kind}", obj);
                    break;
                }
                case "list":
                    throw Error(path + ".list", "list commands print the ruleset and cannot be imported", value);
                default:
                    _listing = true;
                    Command("add", key, value, $"{path}.{key}");
                    Mark(start, $"{path}.{key}", value);
                    _listing = false;
                    break;
            }
            _sb.Append('\n');
            Mark(start, path, item);
        }
    }

    private static readonly HashSet<string> Verbs = new(StringComparer.Ordinal)
        { "add", "create", "insert", "replace", "delete", "destroy", "flush", "reset", "rename", "list" };

    private static string? OnlyKey(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object) return null;
        string? key = null;
        foreach (var p in e.EnumerateObject())
        {
            if (key is not null) return null;
            key = p.Name;
        }
        return key;
    }

    private static bool IsListingObject(JsonElement e) => OnlyKey(e) is { } k && !Verbs.Contains(k);

    private static int ListingRank(JsonElement e) => OnlyKey(e) switch
    {
        "metainfo" => 0,
        "table" => 1,
        "chain" => 2,
        "rule" => 4,
        _ => 3,
    };

    /// <summary>Sets named by `add @s`/`update @s`/`delete @s` in the rules of the document.</summary>
    private void FindDynamicSets(IEnumerable<JsonElement> items)
    {
        foreach (var item in items)
        {
            var rule = OnlyKey(item) switch
            {
                "rule" => item.GetProperty("rule"),
                "add" or "create" or "insert" or "replace" when OnlyKey(item.EnumerateObject().First().Value) == "rule" =>
                    item.EnumerateObject().First().Value.GetProperty("rule"),
                _ => (JsonElement?)null,
            };
            if (rule is not { ValueKind: JsonValueKind.Object } r) continue;
            if (!r.TryGetProperty("family", out var f) || f.ValueKind != JsonValueKind.String) continue;
            if (!r.TryGetProperty("table", out var t) || t.ValueKind != JsonValueKind.String) continue;
            if (!r.TryGetProperty("expr", out var expr)) continue;
            foreach (string name in SetStatementTargets(expr))
                Dynamic.Add((f.GetString()!, t.GetString()!, name));
        }
    }

    private static IEnumerable<string> SetStatementTargets(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Array:
                foreach (var x in e.EnumerateArray())
                    foreach (var n in SetStatementTargets(x)) yield return n;
                break;
            case JsonValueKind.String:
            {
                var m = System.Text.RegularExpressions.Regex.Match(e.GetString()!, @"^\s*(?:add|update|delete) @([A-Za-z0-9_.\-]+)");
                if (m.Success) yield return m.Groups[1].Value;
                break;
            }
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                {
                    if (p.Name is "set" or "map" && p.Value.ValueKind == JsonValueKind.Object && p.Value.TryGetProperty("op", out _)
                        && p.Value.TryGetProperty("set", out var s) && s.ValueKind == JsonValueKind.String && s.GetString()!.StartsWith('@'))
                        yield return s.GetString()![1..];
                    foreach (var n in SetStatementTargets(p.Value)) yield return n;
                }
                break;
        }
    }

    /// <summary>An object with exactly one property: `{"add": ...}`, `{"rule": ...}`, `{"match": ...}`.</summary>
    private static (string Key, JsonElement Value) Single(JsonElement e, string path, string what)
    {
        if (e.ValueKind != JsonValueKind.Object) throw Error(path, $"expected a {what} (an object with one property), got {Kind(e)}", e);
        string? key = null;
        JsonElement value = default;
        foreach (var p in e.EnumerateObject())
        {
            if (key is not null) throw Error(path, $"expected a {what} with exactly one property, got '{key}' and '{p.Name}'", e);
            key = p.Name;
            value = p.Value;
        }
        if (key is null) throw Error(path, $"expected a {what}, got an empty object", e);
        return (key, value);
    }

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => e.ValueKind.ToString(),
    };

    private static void MetaInfo(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Object) throw Error(path, "metainfo must be an object", value);
        if (value.TryGetProperty("json_schema_version", out var v) && (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out int n) || n > 1))
            throw Error(path + ".json_schema_version", "unsupported JSON schema version (this reader knows version 1)", v);
    }

    // ------------------------------------------------------------------ property access

    private static JsonElement? Opt(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    private static JsonElement Req(JsonElement obj, string name, string path)
    {
        if (obj.ValueKind != JsonValueKind.Object) throw Error(path, $"expected an object, got {Kind(obj)}", obj);
        return Opt(obj, name) ?? throw Error(path, $"property \"{name}\" is missing", obj);
    }

    private static string Str(JsonElement obj, string name, string path)
    {
        var v = Req(obj, name, path);
        return v.ValueKind == JsonValueKind.String ? v.GetString()! : throw Error($"{path}.{name}", $"\"{name}\" must be a string", v);
    }

    private static string? OptStr(JsonElement obj, string name, string path)
    {
        if (Opt(obj, name) is not { } v) return null;
        return v.ValueKind == JsonValueKind.String ? v.GetString()! : throw Error($"{path}.{name}", $"\"{name}\" must be a string", v);
    }

    private static long? OptNum(JsonElement obj, string name, string path)
    {
        if (Opt(obj, name) is not { } v) return null;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out long n)) return n;
        if (v.ValueKind == JsonValueKind.String && long.TryParse(v.GetString(), out n)) return n;
        throw Error($"{path}.{name}", $"\"{name}\" must be an integer", v);
    }

    private static long Num(JsonElement obj, string name, string path) =>
        OptNum(obj, name, path) ?? throw Error(path, $"property \"{name}\" is missing", obj);

    private static bool OptBool(JsonElement obj, string name, string path)
    {
        if (Opt(obj, name) is not { } v) return false;
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error($"{path}.{name}", $"\"{name}\" must be a boolean", v),
        };
    }

    /// <summary>A string or an array of strings (flags, devices).</summary>
    private static List<string> StrList(JsonElement v, string path)
    {
        if (v.ValueKind == JsonValueKind.String) return new List<string> { v.GetString()! };
        if (v.ValueKind != JsonValueKind.Array) throw Error(path, "expected a string or an array of strings", v);
        var list = new List<string>();
        int i = 0;
        foreach (var x in v.EnumerateArray())
        {
            if (x.ValueKind != JsonValueKind.String) throw Error($"{path}[{i}]", "expected a string", x);
            list.Add(x.GetString()!);
            i++;
        }
        return list;
    }

    // ------------------------------------------------------------------ words

    private JsonScriptReader W(string text)
    {
        _sb.Append(text);
        return this;
    }

    private JsonScriptReader Sp()
    {
        if (_sb.Length > 0 && _sb[^1] is not (' ' or '\n' or '{' or '(')) _sb.Append(' ');
        return this;
    }

    /// <summary>A value as one nft token: bare when the nft lexer reads it back as the same single word, else quoted.</summary>
    private string Token(string value, string path, JsonElement source)
    {
        if (IsBareWord(value)) return value;
        return Quoted(value, path, source);
    }

    private static bool IsBareWord(string value)
    {
        if (value.Length == 0) return false;
        try
        {
            var tokens = Lexer.Tokenize(new SourceText(value));
            return tokens.Count == 2 && tokens[0].Kind == TokenKind.Word && tokens[0].Text == value;
        }
        catch (NftSyntaxException)
        {
            return false;
        }
    }

    /// <summary>A JSON string as one quoted nft string. nft has no escapes inside "…", so a value holding a double
    /// quote, a line break, a NUL or another control character is refused: written out it would become syntax.</summary>
    private string Quoted(string value, string path, JsonElement source)
    {
        if (!NftPS.NfTables.Model.NftIdentifier.IsQuotable(value))
            throw Error(path, "a string with a double quote, a line break, a NUL or another control character cannot be expressed in nft syntax", source);
        return "\"" + value + "\"";
    }

    private static readonly HashSet<string> Families = new(StringComparer.Ordinal) { "ip", "ip6", "inet", "arp", "bridge", "netdev" };

    private string Family(JsonElement obj, string path)
    {
        string f = Str(obj, "family", path);
        if (!Families.Contains(f)) throw Error(path + ".family", $"unknown family '{f}'", obj.GetProperty("family"));
        return f;
    }
}
