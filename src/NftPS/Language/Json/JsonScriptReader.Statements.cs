using System.Text.Json;

namespace NftPS.Language.Json;

/// <summary>Rule statements (libnftables-json(5) STATEMENTS) as nft rule text.</summary>
internal sealed partial class JsonScriptReader
{
    private void Statement(JsonElement stmt, string path)
    {
        int start = _sb.Length;
        // nft lists statements that have no JSON form (map updates, `jump { }` chains) as their nft text, though it
        // refuses them on input; they are taken here so its listings load, but only when the text stays one
        // statement of this rule: "accept\nflush ruleset" would otherwise run as commands.
        if (stmt.ValueKind == JsonValueKind.String)
        {
            string text = stmt.GetString()!;
            if (NftPS.Language.Syntax.ConfinedText.Problem(text) is { } problem)
                throw Error(path, $"a statement given as nft text must stay one statement of this rule, but {problem} (nft refuses any string here: \"Unexpected expr array element of type string, expected object\")", stmt);
            W(text);
            Mark(start, path, stmt);
            return;
        }
        var (key, v) = Single(stmt, path, "statement");
        string p = path + "." + key;
        switch (key)
        {
            case "accept" or "drop" or "continue" or "return":
                W(key);
                break;
            case "jump" or "goto":
                W(key).W(" ").W(Token(Str(v, "target", p), p + ".target", v));
                break;
            case "queue" when v.ValueKind is JsonValueKind.Object or JsonValueKind.Null:
                Queue(v, p);
                break;
            case "match": Match(v, p); break;
            case "vmap":
                Expr(Req(v, "key", p), p + ".key");
                W(" vmap ");
                Expr(Req(v, "data", p), p + ".data");
                break;
            case "counter":
                if (v.ValueKind == JsonValueKind.Null) W("counter");
                else if (v.ValueKind == JsonValueKind.Object && Opt(v, "packets") is null && Opt(v, "bytes") is null && Opt(v, "map") is null) W("counter");
                else if (v.ValueKind == JsonValueKind.Object && Opt(v, "map") is null)
                    W($"counter packets {OptNum(v, "packets", p) ?? 0} bytes {OptNum(v, "bytes", p) ?? 0}");
                else ObjectRef("counter name", v, p);
                break;
            case "mangle":
                Expr(Req(v, "key", p), p + ".key");
                W(" set ");
                Operand(Req(v, "value", p), p + ".value");
                break;
            case "quota":
                if (v.ValueKind == JsonValueKind.Object && Opt(v, "val") is not null) Quota(v, p);
                else ObjectRef("quota name", v, p);
                break;
            case "limit":
                if (v.ValueKind == JsonValueKind.Object && Opt(v, "rate") is not null) W("limit rate ").W(LimitSpec(v, p));
                else ObjectRef("limit name", v, p);
                break;
            case "fwd": Fwd(v, p); break;
            case "flow":
            {
                string ft = Str(v, "flowtable", p);
                W("flow add ").W(ft.StartsWith('@') ? "@" + Token(ft[1..], p + ".flowtable", v) : "@" + Token(ft, p + ".flowtable", v));
                break;
            }
            case "notrack": W("notrack"); break;
            case "dup":
                W("dup");
                if (Opt(v, "addr") is { } addr) { W(" to "); Expr(addr, p + ".addr"); if (Opt(v, "dev") is { } d) { W(" device "); Expr(d, p + ".dev"); } }
                else if (Opt(v, "dev") is { } dev) { W(" to "); Expr(dev, p + ".dev"); }
                break;
            case "snat" or "dnat" or "masquerade" or "redirect": Nat(key, v, p); break;
            case "reject": Reject(v, p); break;
            case "set": SetStatement(v, p); break;
            case "map": SetStatement(v, p, map: true); break;
            case "log": Log(v, p); break;
            case "ct helper" or "ct timeout" or "ct expectation":
                W(key).W(" set ");
                if (v.ValueKind == JsonValueKind.String) W(Quoted(v.GetString()!, p, v));
                else Expr(v, p);
                break;
            case "meter": Meter(v, p); break;
            case "ct count":
                W("ct count ").W(OptBool(v, "inv", p) ? "over " : "").W(Num(v, "val", p).ToString());
                break;
            case "tproxy": Tproxy(v, p); break;
            case "synproxy":
                if (v.ValueKind == JsonValueKind.Null) W("synproxy");
                else if (v.ValueKind == JsonValueKind.Object && Opt(v, "map") is null)
                {
                    var parts = new List<string> { "synproxy" };
                    if (OptNum(v, "mss", p) is { } mss) parts.Add($"mss {mss}");
                    if (OptNum(v, "wscale", p) is { } ws) parts.Add($"wscale {ws}");
                    if (Opt(v, "flags") is { } flags) parts.AddRange(SynproxyFlags(flags, p + ".flags"));
                    W(string.Join(" ", parts));
                }
                else ObjectRef("synproxy name", v, p);
                break;
            case "secmark": ObjectRef("meta secmark set", v, p); break;
            case "reset":
                W("reset ");
                Expr(v, p);
                break;
            case "last":
                W("last");
                if (v.ValueKind == JsonValueKind.Object && OptNum(v, "used", p) is { } used) W($" used {used}ms");
                break;
            case "xt":
                throw Error(path, "xt (iptables-nft compat) statements cannot be imported", stmt);
            default:
                throw Error(path, $"unknown statement '{key}'", stmt);
        }
        Mark(start, path, stmt);
    }

    private static readonly Dictionary<string, string> Ops = new(StringComparer.Ordinal)
    {
        ["=="] = "==", ["!="] = "!=", ["<"] = "<", [">"] = ">", ["<="] = "<=", [">="] = ">=", ["in"] = "", ["!"] = "",
    };

    private void Match(JsonElement v, string p)
    {
        string op = Str(v, "op", p);
        if (!Ops.TryGetValue(op, out var text)) throw Error(p + ".op", $"unknown relational operator '{op}'", v.GetProperty("op"));
        var left = Req(v, "left", p);
        var right = Req(v, "right", p);
        if (op == "!")
        {
            // nft's negated flag match: none of the bits set, `ct status & dnat == 0`.
            bool pl = Precedence(left) < Precedence("&");
            if (pl) W("(");
            Expr(left, p + ".left");
            if (pl) W(")");
            W(" & ");
            bool pr = Precedence(right) <= Precedence("&");
            if (pr) W("(");
            Operand(right, p + ".right");
            if (pr) W(")");
            W(" == 0");
            return;
        }
        Expr(left, p + ".left");
        // `exthdr frag exists`: booleans are existence checks.
        if (right.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            bool exists = right.ValueKind == JsonValueKind.True;
            if (op is not ("==" or "in" or "!=")) throw Error(p + ".op", $"operator '{op}' cannot compare with a boolean", v);
            int s = _sb.Length;
            W(op == "!=" ? " != " : " ").W(exists ? "exists" : "missing");
            Mark(s, p + ".right", right);
            return;
        }
        // A set, set reference, range or prefix on the right is a lookup: nft's `==` with them is the implicit op.
        // `==` is written the way nft lists it: implicit, except where the implicit form means something else (flag
        // types, where it tests bits, and masked values).
        bool implicitEq = op == "==" && !IsBitmaskOrMasked(left);
        if (text.Length > 0 && !implicitEq) W(" ").W(text);
        W(" ");
        // With `in` a list is nft's implicit flag match (`ct state established,related`); with an explicit operator
        // it is the OR of its flags (`tcp flags & (syn | ack) == syn | ack`).
        if (op != "in" && right.ValueKind == JsonValueKind.Array) Operand(right, p + ".right");
        else Expr(right, p + ".right");
    }

    private static readonly HashSet<string> BitmaskCtKeys = new(StringComparer.Ordinal) { "state", "status", "event", "label" };

    private static bool IsBitmaskOrMasked(JsonElement left)
    {
        string? key = OnlyKey(left);
        if (key is null) return false;
        var v = left.GetProperty(key);
        return key switch
        {
            "&" or "|" or "^" or "<<" or ">>" => true,
            "payload" => Opt(v, "field") is { ValueKind: JsonValueKind.String } f && f.GetString() == "flags",
            "ct" => Opt(v, "key") is { ValueKind: JsonValueKind.String } k && BitmaskCtKeys.Contains(k.GetString()!),
            "tcp option" or "sctp chunk" or "ip option" => Opt(v, "field") is { ValueKind: JsonValueKind.String } tf && tf.GetString() == "flags",
            _ => false,
        };
    }

    private static bool IsObject(JsonElement e, string key) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(key, out _) && e.EnumerateObject().Count() == 1;

    /// <summary>`counter name "x"`, `quota name "x"`, `counter name tcp dport map { 22 : "a" }`.</summary>
    private void ObjectRef(string prefix, JsonElement v, string p)
    {
        W(prefix).W(" ");
        if (v.ValueKind == JsonValueKind.String) W(Quoted(v.GetString()!, p, v));
        else if (v.ValueKind == JsonValueKind.Object && Opt(v, "map") is not null) Expr(v, p);
        else Expr(v, p);
    }

    private static long UnitBytes(string unit, string path, JsonElement source) => unit switch
    {
        "bytes" => 1,
        "kbytes" => 1024,
        "mbytes" => 1024 * 1024,
        _ => throw Error(path, $"unknown unit '{unit}'", source),
    };

    private void Quota(JsonElement v, string p)
    {
        W("quota ");
        if (OptBool(v, "inv", p)) W("over ");
        string unit = OptStr(v, "val_unit", p) ?? "bytes";
        UnitBytes(unit, p + ".val_unit", v);
        W($"{Num(v, "val", p)} {unit}");
        if (OptNum(v, "used", p) is { } used and not 0)
        {
            string uu = OptStr(v, "used_unit", p) ?? "bytes";
            UnitBytes(uu, p + ".used_unit", v);
            W($" used {used} {uu}");
        }
    }

    private static readonly HashSet<string> Periods = new(StringComparer.Ordinal) { "second", "minute", "hour", "day", "week" };

    /// <summary>The part after `limit rate` (statement) or `rate` (object): `[over] 10/second [burst 5 packets]`.</summary>
    private string LimitSpec(JsonElement v, string p)
    {
        string per = OptStr(v, "per", p) ?? "second";
        if (!Periods.Contains(per)) throw Error(p + ".per", $"unknown time unit '{per}'", v.GetProperty("per"));
        string unit = OptStr(v, "rate_unit", p) ?? "packets";
        string spec = OptBool(v, "inv", p) ? "over " : "";
        long rate = Num(v, "rate", p);
        long? burst = OptNum(v, "burst", p);
        if (unit == "packets")
        {
            spec += $"{rate}/{per}";
            if (burst is { } b) spec += $" burst {b} packets";
        }
        else
        {
            UnitBytes(unit, p + ".rate_unit", v);
            spec += $"{rate} {unit}/{per}";
            string bu = OptStr(v, "burst_unit", p) ?? "bytes";
            UnitBytes(bu, p + ".burst_unit", v);
            if (burst is { } b and not 0) spec += $" burst {b} {bu}";
        }
        return spec;
    }

    private void Fwd(JsonElement v, string p)
    {
        W("fwd");
        if (Opt(v, "addr") is { } addr)
        {
            string fam = Str(v, "family", p);
            if (fam is not ("ip" or "ip6")) throw Error(p + ".family", $"fwd family must be ip or ip6, got '{fam}'", v.GetProperty("family"));
            W(" ").W(fam).W(" to ");
            Expr(addr, p + ".addr");
            W(" device ");
            Expr(Req(v, "dev", p), p + ".dev");
            return;
        }
        W(" to ");
        Expr(Req(v, "dev", p), p + ".dev");
    }

    private static readonly HashSet<string> NatFlags = new(StringComparer.Ordinal) { "random", "fully-random", "persistent", "netmap" };

    private void Nat(string kind, JsonElement v, string p)
    {
        W(kind);
        if (v.ValueKind == JsonValueKind.Null) return;
        if (v.ValueKind != JsonValueKind.Object) throw Error(p, $"expected an object or null, got {Kind(v)}", v);
        string? family = OptStr(v, "family", p);
        if (family is not null && family is not ("ip" or "ip6"))
            throw Error(p + ".family", $"nat family must be ip or ip6, got '{family}'", v.GetProperty("family"));
        // `snat ip prefix to ...`: the address family is implied by an ip/ip6 table, and nft's listing omits it there.
        var addr = Opt(v, "addr");
        var port = Opt(v, "port");
        // A mapped address (`snat ip to ip saddr map { ... }`) needs its family for the map's data type; nft leaves
        // it out of the JSON of ip and ip6 tables.
        if (family is null && _ruleFamily is "ip" or "ip6" && addr is { } mapped && OnlyKey(mapped) == "map") family = _ruleFamily;
        if (family is not null) W(" ").W(family);
        if (Opt(v, "type_flags") is { } tf)
        {
            // interval and concat follow from the map's data and are not written in nft's syntax; prefix is.
            foreach (var f in StrList(tf, p + ".type_flags"))
            {
                switch (f)
                {
                    case "prefix": W(" prefix"); break;
                    case "interval" or "concat": break;
                    default: throw Error(p + ".type_flags", $"unknown nat type flag '{f}'", tf);
                }
            }
        }
        if (addr is not null || port is not null)
        {
            W(" to ");
            if (addr is { } a)
            {
                bool bracket = port is not null && a.ValueKind == JsonValueKind.String && a.GetString()!.Contains(':');
                if (bracket) W("[");
                Expr(a, p + ".addr");
                if (bracket) W("]");
            }
            if (port is { } pt)
            {
                W(addr is null ? ":" : " : ");
                Expr(pt, p + ".port");
            }
        }
        if (Opt(v, "flags") is { } flags)
        {
            var list = StrList(flags, p + ".flags");
            foreach (var f in list)
                if (!NatFlags.Contains(f)) throw Error(p + ".flags", $"unknown nat flag '{f}'", flags);
            if (list.Count > 0) W(" ").W(string.Join(",", list));
        }
    }

    private void Reject(JsonElement v, string p)
    {
        W("reject");
        if (v.ValueKind != JsonValueKind.Object) return;
        string? type = OptStr(v, "type", p);
        var code = Opt(v, "expr");
        switch (type)
        {
            case null:
                if (code is not null) throw Error(p, "a reject code needs a \"type\"", v);
                return;
            case "tcp reset": W(" with tcp reset"); return;
            case "icmpx" or "icmp" or "icmpv6":
                W(" with ").W(type).W(" ");
                if (code is { } c) Expr(c, p + ".expr");
                else W("port-unreachable");
                return;
            default:
                throw Error(p + ".type", $"unknown reject type '{type}'", v.GetProperty("type"));
        }
    }

    /// <summary>`add @s { ip saddr timeout 10s counter }`, `update @m { ip saddr : 0x1 }`.</summary>
    private void SetStatement(JsonElement v, string p, bool map = false)
    {
        string op = Str(v, "op", p);
        if (op is not ("add" or "update" or "delete")) throw Error(p + ".op", $"unknown set statement operation '{op}'", v.GetProperty("op"));
        string prop = map && Opt(v, "map") is not null ? "map" : "set";
        string set = Str(v, prop, p);
        if (!set.StartsWith('@')) throw Error(p + "." + prop, "the set must be a reference (\"@name\")", v.GetProperty(prop));
        W(op).W(" @").W(Token(set[1..], p + "." + prop, v)).W(" { ");
        Expr(Req(v, "elem", p), p + ".elem");
        if (Opt(v, "stmt") is { } stmts)
        {
            if (stmts.ValueKind != JsonValueKind.Array) throw Error(p + ".stmt", "\"stmt\" must be an array of statements", stmts);
            int i = 0;
            foreach (var s in stmts.EnumerateArray())
            {
                W(" ");
                Statement(s, $"{p}.stmt[{i++}]");
            }
        }
        if (map || Opt(v, "data") is not null)
        {
            W(" : ");
            Expr(Req(v, "data", p), p + ".data");
        }
        W(" }");
    }

    private static readonly string[] LogLevels = { "emerg", "alert", "crit", "err", "warn", "notice", "info", "debug", "audit" };

    private void Log(JsonElement v, string p)
    {
        W("log");
        if (v.ValueKind != JsonValueKind.Object) return;
        if (OptStr(v, "prefix", p) is { } prefix) W(" prefix ").W(Quoted(prefix, p + ".prefix", v));
        if (OptNum(v, "group", p) is { } group) W($" group {group}");
        if (OptNum(v, "snaplen", p) is { } snaplen) W($" snaplen {snaplen}");
        if (OptNum(v, "queue-threshold", p) is { } qt) W($" queue-threshold {qt}");
        if (OptStr(v, "level", p) is { } level)
        {
            if (!LogLevels.Contains(level)) throw Error(p + ".level", $"unknown log level '{level}'", v.GetProperty("level"));
            W(" level ").W(level);
        }
        if (Opt(v, "flags") is { } flags)
        {
            var list = StrList(flags, p + ".flags");
            var tcp = new List<string>();
            var other = new List<string>();
            foreach (var f in list)
            {
                switch (f)
                {
                    case "tcp sequence": tcp.Add("sequence"); break;
                    case "tcp options": tcp.Add("options"); break;
                    case "ip options" or "skuid" or "ether" or "all": other.Add(f); break;
                    default: throw Error(p + ".flags", $"unknown log flag '{f}'", flags);
                }
            }
            // nft's grammar: one `flags` per kind, the comma list only after `tcp` (`flags tcp sequence,options flags skuid`).
            if (tcp.Count > 0) W(" flags tcp ").W(string.Join(",", tcp));
            foreach (var o in other) W(" flags ").W(o);
        }
    }

    private void Meter(JsonElement v, string p)
    {
        W("meter ").W(Token(Str(v, "name", p), p + ".name", v));
        if (OptNum(v, "size", p) is { } size) W($" size {size}");
        W(" { ");
        Expr(Req(v, "key", p), p + ".key");
        W(" ");
        Statement(Req(v, "stmt", p), p + ".stmt");
        W(" }");
    }

    private void Queue(JsonElement v, string p)
    {
        W("queue");
        if (v.ValueKind != JsonValueKind.Object) return;
        if (Opt(v, "flags") is { } flags)
        {
            var list = StrList(flags, p + ".flags");
            foreach (var f in list)
                if (f is not ("bypass" or "fanout")) throw Error(p + ".flags", $"unknown queue flag '{f}'", flags);
            if (list.Count > 0) W(" flags ").W(string.Join(",", list));
        }
        if (Opt(v, "num") is { } num)
        {
            W(" to ");
            Expr(num, p + ".num");
        }
    }

    private void Tproxy(JsonElement v, string p)
    {
        W("tproxy");
        if (OptStr(v, "family", p) is { } fam)
        {
            if (fam is not ("ip" or "ip6")) throw Error(p + ".family", $"tproxy family must be ip or ip6, got '{fam}'", v.GetProperty("family"));
            W(" ").W(fam);
        }
        W(" to");
        var addr = Opt(v, "addr");
        var port = Opt(v, "port");
        if (addr is { } a)
        {
            bool bracket = port is not null && a.ValueKind == JsonValueKind.String && a.GetString()!.Contains(':');
            W(" ").W(bracket ? "[" : "");
            Expr(a, p + ".addr");
            if (bracket) W("]");
        }
        if (port is { } pt)
        {
            W(addr is null ? " :" : ":");
            Expr(pt, p + ".port");
        }
    }
}
