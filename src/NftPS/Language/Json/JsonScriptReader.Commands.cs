using System.Text.Json;

namespace NftPS.Language.Json;

/// <summary>Ruleset objects (table, chain, rule, set, map, element, flowtable, stateful objects) as nft commands.</summary>
internal sealed partial class JsonScriptReader
{
    private void Command(string verb, string kind, JsonElement obj, string path)
    {
        if (obj.ValueKind != JsonValueKind.Object && !(kind == "ruleset" && obj.ValueKind == JsonValueKind.Null))
            throw Error(path, $"expected an object, got {Kind(obj)}", obj);
        switch (kind)
        {
            case "ruleset":
                if (verb is not ("flush" or "reset")) throw Error(path, $"'{verb} ruleset' is not a command", obj);
                W(verb).W(" ruleset");
                if (obj.ValueKind == JsonValueKind.Object && OptStr(obj, "family", path) is not null) W(" ").W(Family(obj, path));
                return;
            case "table": Table(verb, obj, path); return;
            case "chain": Chain(verb, obj, path); return;
            case "rule": Rule(verb, obj, path); return;
            case "set" or "map" or "meter": Set(verb, kind, obj, path); return;
            case "element": Element(verb, obj, path); return;
            case "flowtable": Flowtable(verb, obj, path); return;
            case "counter" or "quota" or "limit" or "ct helper" or "ct timeout" or "ct expectation" or "synproxy" or "secmark":
                StatefulObject(verb, kind, obj, path);
                return;
            case "counters" or "quotas" or "limits":
                if (verb != "reset") throw Error(path, $"'{verb} {kind}' is not a command", obj);
                W("reset ").W(kind);
                if (OptStr(obj, "family", path) is not null)
                {
                    W(" table ").W(Family(obj, path));
                    W(" ").W(Token(Str(obj, "table", path), path + ".table", obj));
                }
                return;
            default:
                throw Error(path, $"unknown ruleset object '{kind}'", obj);
        }
    }

    /// <summary>`FAMILY TABLE` plus, for delete/destroy, `handle N` when there is no name.</summary>
    private void TableRef(JsonElement obj, string path)
    {
        W(Family(obj, path)).W(" ").W(Token(Str(obj, "table", path), path + ".table", obj.GetProperty("table")));
    }

    private bool HandleInsteadOfName(string verb, JsonElement obj, string path)
    {
        if (verb is not ("delete" or "destroy") || Opt(obj, "name") is not null) return false;
        long h = OptNum(obj, "handle", path) ?? throw Error(path, "either \"name\" or \"handle\" is needed to delete", obj);
        W(" handle ").W(h.ToString());
        return true;
    }

    private void Name(JsonElement obj, string path, string property = "name") =>
        W(" ").W(Token(Str(obj, property, path), $"{path}.{property}", obj.GetProperty(property)));

    private void Table(string verb, JsonElement obj, string path)
    {
        W(verb).W(" table ").W(Family(obj, path));
        if (HandleInsteadOfName(verb, obj, path)) return;
        Name(obj, path);
        if (verb is not ("add" or "create")) return;
        var body = new List<string>();
        if (Opt(obj, "flags") is { } flags)
        {
            var list = StrList(flags, path + ".flags");
            foreach (var f in list)
                if (f is not ("dormant" or "owner" or "persist")) throw Error(path + ".flags", $"unknown table flag '{f}'", flags);
            if (list.Count > 0) body.Add("flags " + string.Join(",", list));
        }
        if (OptStr(obj, "comment", path) is { } c) body.Add("comment " + Quoted(c, path + ".comment", obj));
        if (body.Count > 0) W(" { ").W(string.Join("; ", body)).W("; }");
    }

    private void Chain(string verb, JsonElement obj, string path)
    {
        if (verb == "rename")
        {
            W("rename chain ");
            TableRef(obj, path);
            Name(obj, path);
            Name(obj, path, "newname");
            return;
        }
        W(verb).W(" chain ");
        TableRef(obj, path);
        if (HandleInsteadOfName(verb, obj, path)) return;
        Name(obj, path);
        if (verb is not ("add" or "create")) return;
        var body = new List<string>();
        if (Opt(obj, "type") is not null || Opt(obj, "hook") is not null || Opt(obj, "prio") is not null)
        {
            string type = Str(obj, "type", path), hook = Str(obj, "hook", path);
            long prio = Num(obj, "prio", path);
            string hookText = $"type {Token(type, path + ".type", obj)} hook {Token(hook, path + ".hook", obj)}";
            if (Opt(obj, "dev") is { } dev)
            {
                var devs = StrList(dev, path + ".dev");
                hookText += devs.Count == 1 && dev.ValueKind == JsonValueKind.String
                    ? " device " + Quoted(devs[0], path + ".dev", dev)
                    : " devices = { " + string.Join(", ", devs.Select(d => Quoted(d, path + ".dev", dev))) + " }";
            }
            body.Add(hookText + " priority " + prio);
            if (OptStr(obj, "policy", path) is { } policy)
            {
                if (policy is not ("accept" or "drop")) throw Error(path + ".policy", $"unknown policy '{policy}'", obj.GetProperty("policy"));
                body.Add("policy " + policy);
            }
        }
        if (OptStr(obj, "comment", path) is { } c) body.Add("comment " + Quoted(c, path + ".comment", obj));
        if (body.Count > 0) W(" { ").W(string.Join("; ", body)).W("; }");
    }

    private void Rule(string verb, JsonElement obj, string path)
    {
        W(verb).W(" rule ");
        _ruleFamily = Family(obj, path);
        TableRef(obj, path);
        W(" ").W(Token(Str(obj, "chain", path), path + ".chain", obj.GetProperty("chain")));
        long? handle = OptNum(obj, "handle", path), index = OptNum(obj, "index", path);
        switch (verb)
        {
            case "delete" or "destroy" or "reset":
                W(" handle ").W((handle ?? throw Error(path, "\"handle\" is needed to " + verb + " a rule", obj)).ToString());
                return;
            case "replace":
                W(" handle ").W((handle ?? throw Error(path, "\"handle\" is needed to replace a rule", obj)).ToString());
                break;
            // In commands a handle on add/insert is the position; in a listing (add) it is the old rule's own handle.
            case "insert" when handle is not null:
            case "add" or "create" when handle is not null && !_listing:
                W(" position ").W(handle.Value.ToString());
                break;
            case "add" or "create" or "insert" when index is not null:
                W(" index ").W(index.Value.ToString());
                break;
        }
        var exprs = Req(obj, "expr", path);
        if (exprs.ValueKind != JsonValueKind.Array) throw Error(path + ".expr", "\"expr\" must be an array of statements", exprs);
        int i = 0;
        foreach (var stmt in exprs.EnumerateArray())
        {
            Sp();
            Statement(stmt, $"{path}.expr[{i++}]");
        }
        if (i == 0) throw Error(path + ".expr", "a rule needs at least one statement", exprs);
        if (OptStr(obj, "comment", path) is { } c) Sp().W("comment ").W(Quoted(c, path + ".comment", obj));
    }

    private static readonly HashSet<string> SetFlags = new(StringComparer.Ordinal) { "constant", "interval", "timeout", "dynamic", "eval" };

    private void Set(string verb, string kind, JsonElement obj, string path)
    {
        W(verb).W(kind == "meter" ? " meter " : kind == "map" ? " map " : " set ");
        TableRef(obj, path);
        if (HandleInsteadOfName(verb, obj, path)) return;
        Name(obj, path);
        if (verb is not ("add" or "create")) return;
        // The key (and data) types go straight into the text: `typeof` forms are expressions with their own paths.
        var type = Req(obj, "type", path);
        W(IsTypeof(type) ? " { typeof " : " { type ");
        TypeSpec(type, path + ".type");
        if (Opt(obj, "map") is { } map)
        {
            W(" : ");
            TypeSpec(map, path + ".map");
        }
        else if (kind == "map") throw Error(path, "a map needs a \"map\" property (the data type)", obj);
        W("; ");
        var body = new List<string>();
        if (Opt(obj, "flags") is { } flags)
        {
            var list = StrList(flags, path + ".flags");
            foreach (var f in list)
                if (!SetFlags.Contains(f)) throw Error(path + ".flags", $"unknown set flag '{f}'", flags);
            if (Dynamic.Contains((Family(obj, path), Str(obj, "table", path), Str(obj, "name", path))) && !list.Contains("dynamic")) list.Add("dynamic");
            if (list.Count > 0) body.Add("flags " + string.Join(",", list));
        }
        else if (Dynamic.Contains((Family(obj, path), Str(obj, "table", path), Str(obj, "name", path)))) body.Add("flags dynamic");
        if (OptNum(obj, "timeout", path) is { } timeout) body.Add($"timeout {timeout}s");
        if (OptNum(obj, "gc-interval", path) is { } gc) body.Add($"gc-interval {gc}s");
        if (OptNum(obj, "size", path) is { } size) body.Add($"size {size}");
        if (OptStr(obj, "policy", path) is { } policy)
        {
            if (policy is not ("performance" or "memory")) throw Error(path + ".policy", $"unknown set policy '{policy}'", obj.GetProperty("policy"));
            body.Add("policy " + policy);
        }
        if (OptBool(obj, "auto-merge", path)) body.Add("auto-merge");
        if (OptStr(obj, "comment", path) is { } c) body.Add("comment " + Quoted(c, path + ".comment", obj));
        if (body.Count > 0) W(string.Join("; ", body)).W("; ");
        if (Opt(obj, "stmt") is { } stmts)
        {
            if (stmts.ValueKind != JsonValueKind.Array) throw Error(path + ".stmt", "\"stmt\" must be an array of statements", stmts);
            int i = 0;
            foreach (var s in stmts.EnumerateArray())
            {
                Statement(s, $"{path}.stmt[{i++}]");
                W("; ");
            }
        }
        if (Opt(obj, "elem") is { } elem)
        {
            W("elements = ");
            _setStatements = Opt(obj, "stmt") is { ValueKind: JsonValueKind.Array } st ? st.EnumerateArray().ToList() : null;
            try { ElementList(elem, path + ".elem"); }
            finally { _setStatements = null; }
            W("; ");
        }
        W("}");
    }

    private static bool IsTypeof(JsonElement type) => OnlyKey(type) == "typeof";

    /// <summary>`ipv4_addr . inet_service` for type names, the expression for `{"typeof": EXPR}`.</summary>
    private void TypeSpec(JsonElement type, string path)
    {
        if (IsTypeof(type)) Expr(type.GetProperty("typeof"), path + ".typeof");
        else W(TypeList(type, path));
    }

    /// <summary>`"ipv4_addr"`, `["ipv4_addr", "inet_service"]` or nft's `"ipv4_addr . inet_service"` as `a . b`.</summary>
    private string TypeList(JsonElement type, string path) =>
        string.Join(" . ", StrList(type, path).SelectMany(t => t.Split(" . ", StringSplitOptions.TrimEntries)).Select(t => Token(t, path, type)));

    private void Element(string verb, JsonElement obj, string path)
    {
        W(verb).W(" element ");
        TableRef(obj, path);
        Name(obj, path);
        W(" ");
        ElementList(Req(obj, "elem", path), path + ".elem");
    }

    private void Flowtable(string verb, JsonElement obj, string path)
    {
        W(verb).W(" flowtable ");
        TableRef(obj, path);
        if (HandleInsteadOfName(verb, obj, path)) return;
        Name(obj, path);
        if (verb is not ("add" or "create")) return;
        var body = new List<string>();
        if (Opt(obj, "hook") is not null || Opt(obj, "prio") is not null)
            body.Add($"hook {Token(Str(obj, "hook", path), path + ".hook", obj)} priority {Num(obj, "prio", path)}");
        if (Opt(obj, "dev") is { } dev)
            body.Add("devices = { " + string.Join(", ", StrList(dev, path + ".dev").Select(d => Quoted(d, path + ".dev", dev))) + " }");
        if (Opt(obj, "flags") is { } flags)
        {
            foreach (var f in StrList(flags, path + ".flags"))
                body.Add(f == "offload" ? "flags offload" : f == "counter" ? "counter" : throw Error(path + ".flags", $"unknown flowtable flag '{f}'", flags));
        }
        if (OptBool(obj, "counter", path)) body.Add("counter");
        if (body.Count > 0) W(" { ").W(string.Join("; ", body)).W("; }");
    }

    private void StatefulObject(string verb, string kind, JsonElement obj, string path)
    {
        W(verb).W(" ").W(kind).W(" ");
        TableRef(obj, path);
        if (kind != "ct helper" && HandleInsteadOfName(verb, obj, path)) return;
        Name(obj, path);
        if (verb is not ("add" or "create")) return;
        var body = new List<string>();
        switch (kind)
        {
            case "counter":
                body.Add($"packets {OptNum(obj, "packets", path) ?? 0} bytes {OptNum(obj, "bytes", path) ?? 0}");
                break;
            case "quota":
            {
                string spec = OptBool(obj, "inv", path) ? "over " : "";
                spec += $"{OptNum(obj, "bytes", path) ?? 0} bytes";
                if (OptNum(obj, "used", path) is { } used and not 0) spec += $" used {used} bytes";
                body.Add(spec);
                break;
            }
            case "limit":
                body.Add("rate " + LimitSpec(obj, path));
                break;
            case "ct helper":
                body.Add($"type {Quoted(Str(obj, "type", path), path + ".type", obj)} protocol {Token(Str(obj, "protocol", path), path + ".protocol", obj)}");
                body.AddRange(L3Proto(obj, path));
                break;
            case "ct timeout":
            {
                body.Add("protocol " + Token(Str(obj, "protocol", path), path + ".protocol", obj));
                body.AddRange(L3Proto(obj, path));
                if (Opt(obj, "policy") is { } policy)
                {
                    if (policy.ValueKind != JsonValueKind.Object) throw Error(path + ".policy", "\"policy\" must be an object of state: seconds", policy);
                    var parts = new List<string>();
                    foreach (var p in policy.EnumerateObject())
                    {
                        if (p.Value.ValueKind != JsonValueKind.Number) throw Error($"{path}.policy.{p.Name}", "timeout must be a number of seconds", p.Value);
                        parts.Add($"{Token(p.Name, path + ".policy", policy)} : {p.Value.GetRawText()}");
                    }
                    body.Add("policy = { " + string.Join(", ", parts) + " }");
                }
                break;
            }
            case "ct expectation":
                body.Add("protocol " + Token(Str(obj, "protocol", path), path + ".protocol", obj));
                if (OptNum(obj, "dport", path) is { } dport) body.Add($"dport {dport}");
                if (OptNum(obj, "timeout", path) is { } timeout) body.Add($"timeout {timeout}ms");
                if (OptNum(obj, "size", path) is { } size) body.Add($"size {size}");
                body.AddRange(L3Proto(obj, path));
                break;
            case "synproxy":
            {
                var parts = new List<string>();
                if (OptNum(obj, "mss", path) is { } mss) parts.Add($"mss {mss}");
                if (OptNum(obj, "wscale", path) is { } ws) parts.Add($"wscale {ws}");
                if (Opt(obj, "flags") is { } flags) parts.AddRange(SynproxyFlags(flags, path + ".flags"));
                body.Add(string.Join(" ", parts));
                break;
            }
            case "secmark":
                body.Add(Quoted(Str(obj, "context", path), path + ".context", obj));
                break;
        }
        if (OptStr(obj, "comment", path) is { } c) body.Add("comment " + Quoted(c, path + ".comment", obj));
        W(" { ").W(string.Join("; ", body.Where(b => b.Length > 0))).W("; }");
    }

    private IEnumerable<string> L3Proto(JsonElement obj, string path)
    {
        if (OptStr(obj, "l3proto", path) is { } l3) yield return "l3proto " + Token(l3, path + ".l3proto", obj);
    }

    private static IEnumerable<string> SynproxyFlags(JsonElement flags, string path)
    {
        foreach (var f in StrList(flags, path))
            yield return f is "timestamp" or "sack-perm" ? f : throw Error(path, $"unknown synproxy flag '{f}'", flags);
    }
}
