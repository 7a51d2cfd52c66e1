using System.Text.Json;
using System.Text.Json.Nodes;

namespace NftPS.Language.Json;

/// <summary>Expressions (libnftables-json(5) EXPRESSIONS) as nft text.</summary>
internal sealed partial class JsonScriptReader
{
    private void Expr(JsonElement e, string path)
    {
        int start = _sb.Length;
        switch (e.ValueKind)
        {
            case JsonValueKind.String:
                Immediate(e.GetString()!, path, e);
                break;
            case JsonValueKind.Number:
                if (!e.TryGetInt64(out _) && !e.TryGetUInt64(out _)) throw Error(path, "numbers must be integers", e);
                W(e.GetRawText());
                break;
            case JsonValueKind.True or JsonValueKind.False:
                W(e.ValueKind == JsonValueKind.True ? "exists" : "missing");
                break;
            case JsonValueKind.Array:
            {
                // A plain array is a list: `established,related`, `syn,ack`. Inside a set's braces the commas would
                // read as separate elements; nft takes the list as one element of OR-ed bitmask flags and refuses it
                // for any other type ("Basetype of type ... is not bitmask"). Refused there.
                if (_elementDepth > 0)
                    throw Error(path, "a list (JSON array) as a set element: nft reads it as bitmask flags OR-ed together and refuses it for other types; write {\"|\": [...]} for flags, or list the elements in the set itself", e);
                int i = 0;
                foreach (var x in e.EnumerateArray())
                {
                    if (i > 0) W(",");
                    Expr(x, $"{path}[{i++}]");
                }
                if (i == 0) throw Error(path, "empty list", e);
                break;
            }
            case JsonValueKind.Object:
                ExprObject(e, path);
                break;
            default:
                throw Error(path, $"unexpected {Kind(e)} as an expression", e);
        }
        Mark(start, path, e);
    }

    private void Immediate(string s, string path, JsonElement source)
    {
        if (s.Length > 1 && s[0] == '@') W("@").W(Token(s[1..], path, source));
        else if (s == "*") W("*");
        else if (s.Length == 0) throw Error(path, "empty string as a value", source);
        else W(Token(s, path, source));
    }

    private void ExprObject(JsonElement e, string path)
    {
        var (key, v) = Single(e, path, "expression");
        string p = path + "." + key;
        switch (key)
        {
            case "concat":
            {
                if (v.ValueKind != JsonValueKind.Array) throw Error(p, "\"concat\" must be an array", v);
                int i = 0;
                foreach (var x in v.EnumerateArray())
                {
                    if (i > 0) W(" . ");
                    Expr(x, $"{p}[{i++}]");
                }
                break;
            }
            case "set": AnonymousSet(v, p); break;
            case "map":
                Expr(Req(v, "key", p), p + ".key");
                W(" map ");
                Expr(Req(v, "data", p), p + ".data");
                break;
            case "prefix":
                Expr(Req(v, "addr", p), p + ".addr");
                W("/").W(Num(v, "len", p).ToString());
                break;
            case "range":
            {
                var (lo, hi) = Pair(v, p);
                Expr(lo, p + "[0]");
                W(" - "); // spaced: `request-reply` would read as one word
                Expr(hi, p + "[1]");
                break;
            }
            case "payload": Payload(v, p); break;
            case "exthdr":
            {
                string name = Str(v, "name", p);
                if (OptStr(v, "field", p) is { } field)
                {
                    W(Token(name, p + ".name", v)).W(" ").W(Words(field, p + ".field", v));
                    if (name == "rt0" && OptNum(v, "offset", p) is { } off) W($"[{off}]");
                }
                else W("exthdr ").W(Token(name, p + ".name", v));
                break;
            }
            case "tcp option" when Opt(v, "name") is null:
            {
                // An option by number: `tcp option 6 exists` (length 8 at offset 0) or raw `tcp option @6,8,8`.
                long b = Num(v, "base", p), off = OptNum(v, "offset", p) ?? 0, len = OptNum(v, "len", p) ?? 0;
                if (off == 0 && len is 0 or 8) W($"tcp option {b}");
                else W($"tcp option @{b},{off},{len}");
                break;
            }
            case "tcp option" or "ip option" or "sctp chunk":
                W(key).W(" ").W(Token(Str(v, "name", p), p + ".name", v));
                if (OptStr(v, "field", p) is { } f) W(" ").W(Words(f, p + ".field", v));
                break;
            case "dccp option":
                W("dccp option ").W(Num(v, "type", p).ToString());
                break;
            case "meta":
                W("meta ").W(Token(Str(v, "key", p), p + ".key", v));
                break;
            case "rt":
                W("rt");
                if (OptStr(v, "family", p) is { } rf) W(" ").W(Token(rf, p + ".family", v));
                W(" ").W(Token(Str(v, "key", p), p + ".key", v));
                break;
            case "ct":
                W("ct");
                if (OptStr(v, "dir", p) is { } dir) W(" ").W(Token(dir, p + ".dir", v));
                if (OptStr(v, "family", p) is { } cf) W(" ").W(Token(cf, p + ".family", v));
                W(" ").W(Words(Str(v, "key", p), p + ".key", v));
                break;
            case "numgen":
                W("numgen ").W(Token(Str(v, "mode", p), p + ".mode", v)).W($" mod {Num(v, "mod", p)}");
                if (OptNum(v, "offset", p) is { } no and not 0) W($" offset {no}");
                break;
            case "jhash":
                W("jhash ");
                Expr(Req(v, "expr", p), p + ".expr");
                W($" mod {Num(v, "mod", p)}");
                // A listed seed, even 0, was given by the user: without one the kernel picks a random seed and lists none.
                if (OptNum(v, "seed", p) is { } seed) W($" seed 0x{seed:x}");
                if (OptNum(v, "offset", p) is { } ho and not 0) W($" offset {ho}");
                break;
            case "symhash":
                W($"symhash mod {Num(v, "mod", p)}");
                if (OptNum(v, "offset", p) is { } so and not 0) W($" offset {so}");
                break;
            case "fib":
            {
                var flags = Opt(v, "flags") is { } fl ? StrList(fl, p + ".flags") : new List<string>();
                W("fib ").W(string.Join(" . ", flags)).W(" ").W(Token(Str(v, "result", p), p + ".result", v));
                break;
            }
            case "|" or "^" or "&" or "<<" or ">>":
            {
                // Nested operations keep their grouping: `(meta mark | 0x10) << 8`.
                // nft's JSON may carry more than two operands ({"|": ["fin", "syn", "rst"]}): a left-nested chain.
                if (v.ValueKind != JsonValueKind.Array || v.GetArrayLength() < 2) throw Error(p, "expected an array of two or more expressions", v);
                int prec = Precedence(key), i = 0;
                foreach (var operand in v.EnumerateArray())
                {
                    bool paren = i == 0 ? Precedence(operand) < prec : Precedence(operand) <= prec;
                    if (i > 0) W(" ").W(key).W(" ");
                    if (paren) W("(");
                    Operand(operand, $"{p}[{i}]");
                    if (paren) W(")");
                    i++;
                }
                break;
            }
            case "accept" or "drop" or "continue" or "return":
                W(key);
                break;
            case "jump" or "goto":
                W(key).W(" ").W(Token(Str(v, "target", p), p + ".target", v));
                break;
            case "elem": Elem(v, p); break;
            case "socket":
                W("socket ").W(Token(Str(v, "key", p), p + ".key", v));
                if (OptNum(v, "level", p) is { } level) W($" level {level}");
                break;
            case "osf":
                W("osf");
                if (OptStr(v, "ttl", p) is { } ttl) W(" ttl ").W(Token(ttl, p + ".ttl", v));
                W(" ").W(Token(Str(v, "key", p), p + ".key", v));
                break;
            case "ipsec":
                W("ipsec ").W(Token(Str(v, "dir", p), p + ".dir", v));
                if (OptNum(v, "spnum", p) is { } sp and not 0) W($" spnum {sp}");
                if (OptStr(v, "family", p) is { } xf) W(" ").W(Token(xf, p + ".family", v));
                W(" ").W(Token(Str(v, "key", p), p + ".key", v));
                break;
            default:
                throw Error(path, $"unknown expression '{key}'", e);
        }
    }

    /// <summary>nft's binding strength of a binary operation (shifts bind tightest); a list of flags is an OR.</summary>
    private static int Precedence(string op) => op switch { "<<" or ">>" => 4, "&" => 3, "^" => 2, "|" => 1, _ => 5 };

    private static int Precedence(JsonElement e) =>
        e.ValueKind == JsonValueKind.Array ? 1 : OnlyKey(e) is { } k ? Precedence(k) : 5;

    /// <summary>An operand of a binary operation: a list of flags there is their OR (`tcp flags & (syn | ack)`).</summary>
    private void Operand(JsonElement e, string path)
    {
        if (e.ValueKind != JsonValueKind.Array)
        {
            Expr(e, path);
            return;
        }
        int start = _sb.Length, i = 0;
        foreach (var x in e.EnumerateArray())
        {
            if (i > 0) W(" | ");
            Operand(x, $"{path}[{i++}]");
        }
        if (i == 0) throw Error(path, "empty list", e);
        Mark(start, path, e);
    }

    private static (JsonElement, JsonElement) Pair(JsonElement v, string p)
    {
        if (v.ValueKind != JsonValueKind.Array || v.GetArrayLength() != 2) throw Error(p, "expected an array of two expressions", v);
        return (v[0], v[1]);
    }

    /// <summary>Multi-word keys and fields (`saddr ip`, `ip saddr`, `sid[1]`) as the words nft writes.</summary>
    private string Words(string value, string path, JsonElement source)
    {
        var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length > 0 && parts.All(w => System.Text.RegularExpressions.Regex.IsMatch(w, @"^[A-Za-z0-9_\-]+(\[\d+\])?$")))
            return string.Join(" ", parts);
        return Token(value, path, source);
    }

    private void Payload(JsonElement v, string p)
    {
        if (OptStr(v, "protocol", p) is { } proto)
        {
            W(Token(proto, p + ".protocol", v)).W(" ").W(Words(Str(v, "field", p), p + ".field", v));
            return;
        }
        string b = Str(v, "base", p);
        if (b is not ("ll" or "nh" or "th" or "ih")) throw Error(p + ".base", $"unknown payload base '{b}'", v.GetProperty("base"));
        W($"@{b},{Num(v, "offset", p)},{Num(v, "len", p)}");
    }

    /// <summary>`{ a, b }` or `{ k : v, ... }` (pairs), or `@name` for a set reference.</summary>
    private void AnonymousSet(JsonElement v, string p)
    {
        if (v.ValueKind == JsonValueKind.String && v.GetString()!.StartsWith('@'))
        {
            Expr(v, p);
            return;
        }
        ElementList(v, p);
    }

    /// <summary>A set's elements (`elem` of sets, maps, element commands; `set` expressions) as `{ ... }`.</summary>
    /// <summary>How many set element lists are being written around the current expression.</summary>
    private int _elementDepth;

    private void ElementList(JsonElement v, string p)
    {
        _elementDepth++;
        try { ElementListBody(v, p); }
        finally { _elementDepth--; }
    }

    private void ElementListBody(JsonElement v, string p)
    {
        W("{ ");
        if (v.ValueKind != JsonValueKind.Array)
        {
            Expr(v, p);
            W(" }");
            return;
        }
        int i = 0;
        foreach (var x in v.EnumerateArray())
        {
            string ep = $"{p}[{i}]";
            if (i++ > 0) W(", ");
            int start = _sb.Length;
            // [key, value] pairs are map elements.
            if (x.ValueKind == JsonValueKind.Array && x.GetArrayLength() == 2)
            {
                Expr(x[0], ep + "[0]");
                W(" : ");
                Expr(x[1], ep + "[1]");
                Mark(start, ep, x);
            }
            else Expr(x, ep);
        }
        if (i == 0) _sb.Length -= 1; // `{ }` reads as `{}` either way; nft accepts an empty element list
        W(" }");
    }

    /// <summary>`{"elem": {"val": ..., "timeout": 10, "expires": 5, "comment": "c", "counter": {...}}}`.</summary>
    private void Elem(JsonElement v, string p)
    {
        Expr(Req(v, "val", p), p + ".val");
        var statements = new List<(string Name, JsonElement Value, string Path)>();
        foreach (var prop in v.EnumerateObject())
        {
            string pp = p + "." + prop.Name;
            switch (prop.Name)
            {
                case "val": break;
                case "timeout":
                    if (prop.Value.ValueKind != JsonValueKind.Number) throw Error(pp, "timeout must be a number of seconds", prop.Value);
                    W($" timeout {prop.Value.GetInt64()}s");
                    break;
                case "expires":
                    if (prop.Value.ValueKind != JsonValueKind.Number) throw Error(pp, "expires must be a number of seconds", prop.Value);
                    W($" expires {prop.Value.GetInt64()}s");
                    break;
                case "comment":
                    if (prop.Value.ValueKind != JsonValueKind.String) throw Error(pp, "comment must be a string", prop.Value);
                    W(" comment ").W(Quoted(prop.Value.GetString()!, pp, prop.Value));
                    break;
                default:
                    statements.Add((prop.Name, prop.Value, pp));
                    break;
            }
        }
        // An element of a set with statements carries all of them, in the set's order; nft's listing may print only
        // some (the others then start from the set's declaration, as nft's own JSON import does).
        if (_setStatements is { } declared)
        {
            foreach (var d in declared)
            {
                if (d.ValueKind != JsonValueKind.Object || !d.EnumerateObject().Any()) continue;
                string kind = d.EnumerateObject().First().Name;
                int i = statements.FindIndex(s => s.Name == kind);
                W(" ");
                if (i < 0) Statement(d, p);
                else
                {
                    ElementStatement(statements[i].Name, statements[i].Value, p);
                    statements.RemoveAt(i);
                }
            }
        }
        foreach (var (name, value, _) in statements)
        {
            W(" ");
            ElementStatement(name, value, p);
        }
    }

    /// <summary>Element statements (counter, limit, quota, last) are properties of the elem object, not statement objects.</summary>
    private void ElementStatement(string name, JsonElement value, string path)
    {
        using var doc = JsonDocument.Parse("{" + JsonValue.Create(name)!.ToJsonString() + ":" + value.GetRawText() + "}");
        Statement(doc.RootElement.Clone(), path);
    }
}
