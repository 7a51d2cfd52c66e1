using System.Text.Json.Nodes;
using NftPS.Language.Model;
using NftPS.Language.Printing;
using NftPS.Netlink;
using NftPS.NfTables;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;

namespace NftPS.Language.Json;

/// <summary>Statements of the delinearized tree in libnftables JSON (nft 1.0.6 src/json.c *_stmt_json), one case per
/// statement type of Model/Statements.</summary>
internal static partial class StatementJson
{
    public static JsonNode Of(SStmt s, ExprJson j) => s switch
    {
        MatchS m => Match(m, j),
        PayloadSetS ps => Mangle(j.Of(ps.Target), j.Of(ps.Value)),
        VmapS v => j.Of(v.Map),
        RejectS r => Reject(r, j),
        VerdictS v => Verdict(v, j),
        CounterS c => j.Options.Stateless ? ExprJson.Wrap("counter", null)
            : ExprJson.Wrap("counter", new JsonObject { ["packets"] = (long)c.Packets, ["bytes"] = (long)c.Bytes }),
        LastS l => Last(l.Used, l.Milliseconds, j.Options.Stateless),
        LogS l => Log(l),
        LimitS l => Limit(l.Rate, l.Unit, l.Burst, l.Bytes, l.Over),
        QuotaS q => Quota(q.Bytes, q.Used, q.Over, j.Options.Stateless),
        ConnlimitS c => Connlimit(c.Count, c.Over),
        NotrackS => ExprJson.Wrap("notrack", null),
        FlowOffloadS f => ExprJson.Wrap("flow", new JsonObject { ["op"] = "add", ["flowtable"] = "@" + f.Flowtable }),
        NatS n => Nat(n, j),
        TproxyS tp => Tproxy(tp, j),
        DupS d => Dup(d, j),
        FwdS f => Fwd(f, j),
        QueueS q => Queue(q),
        SynproxyS sp => Synproxy(sp.Flags, sp.Mss, sp.WindowScale),
        ObjrefS o => ExprJson.Wrap(StatementText.ObjectTypeName(o.ObjectType), o.Map is not null ? j.Of(o.Map) : JsonValue.Create(o.Name)),
        DynsetS d => Dynset(d, j),
        MetaSetS m => Mangle(ExprJson.Wrap("meta", new JsonObject { ["key"] = m.Key.Token }), j.Flags(m.Value)),
        CtSetS c => Mangle(ExprJson.Ct(c.Key.Token, c.Direction), j.Flags(c.Value)),
        ExthdrSetS x => Mangle(j.Of(x.Target), j.Of(x.Value)),
        ExthdrResetS x => ExprJson.Wrap("reset", j.Of(x.Option)),
        // nft writes every xt statement by type and name only, translated or not (json.c xt_stmt_json).
        XtS x => ExprJson.Wrap("xt", new JsonObject { ["type"] = x.TypeName, ["name"] = x.Expression.ExtensionName }),
        UnknownS u => throw new NftJsonUnsupportedException($"the undecoded expression '{u.Expression.ToDebugString()}'"),
        _ => throw new NftJsonUnsupportedException($"the statement kind {s.GetType().Name}"),
    };

    public static JsonNode Mangle(JsonNode key, JsonNode value) =>
        ExprJson.Wrap("mangle", new JsonObject { ["key"] = key, ["value"] = value });

    private static JsonNode Match(MatchS m, ExprJson j)
    {
        string op = m.Op switch
        {
            RelOp.Eq => "==", RelOp.Neq => "!=", RelOp.Lt => "<", RelOp.Lte => "<=", RelOp.Gt => ">", RelOp.Gte => ">=",
            RelOp.Neg => "!", _ => "in",
        };
        JsonNode left, right;
        if (m.Mask is not null)
        {
            // flagcmp_expr_json: `tcp flags syn / syn,ack` is (flags & mask) op value
            left = new JsonObject { ["&"] = new JsonArray(j.Of(m.Left), j.Flags(m.Mask)) };
            right = j.Flags(m.Right);
        }
        else
        {
            left = j.Of(m.Left);
            right = m.Op is RelOp.Implicit or RelOp.Neg ? j.Flags(m.Right) : j.Of(m.Right);
        }
        return ExprJson.Wrap("match", new JsonObject { ["op"] = op, ["left"] = left, ["right"] = right });
    }

    /// <summary>reject_stmt_json: unlike the text, the JSON always names the type and code nft decoded (a bare
    /// `reject` in an inet table is {"type": "icmpx", "expr": "port-unreachable"}).</summary>
    private static JsonNode Reject(RejectS r, ExprJson j)
    {
        byte code = r.Code;
        string type;
        DataTypes.DataType codeType;
        switch (r.Type)
        {
            case RejectType.TcpReset:
                return ExprJson.Wrap("reject", new JsonObject { ["type"] = "tcp reset" });
            case RejectType.IcmpxUnreachable:
                type = "icmpx";
                codeType = DataTypes.DataTypeRegistry.IcmpxCode;
                break;
            default:
                if (r.NfProto == 10)
                {
                    type = "icmpv6";
                    codeType = DataTypes.DataTypeRegistry.Icmpv6Code;
                }
                else if (r.NfProto == 2)
                {
                    type = "icmp";
                    codeType = DataTypes.DataTypeRegistry.IcmpCode;
                }
                else return ExprJson.Wrap("reject", null);
                break;
        }
        var value = ValueJson.Of(new DataTypes.Constant(codeType, DataTypes.ByteOrder.BigEndian, 8, code), j.Options);
        return ExprJson.Wrap("reject", new JsonObject { ["type"] = type, ["expr"] = value });
    }

    public static JsonNode Counter(CounterExpression c, bool stateless) => stateless
        ? ExprJson.Wrap("counter", null)
        : ExprJson.Wrap("counter", new JsonObject { ["packets"] = (long)(c.Packets ?? 0), ["bytes"] = (long)(c.Bytes ?? 0) });

    /// <summary>`{"last": null}` when stateless or never used, else `{"last": {"used": MS}}` (nft 1.1's last_stmt_json).</summary>
    public static JsonNode Last(bool used, ulong milliseconds, bool stateless) => stateless || !used
        ? ExprJson.Wrap("last", null)
        : ExprJson.Wrap("last", new JsonObject { ["used"] = (long)milliseconds });

    public static JsonNode Log(LogS l)
    {
        var o = new JsonObject();
        if (l.Prefix is { } prefix) o["prefix"] = prefix;
        if (l.Group is { } g) o["group"] = g;
        if (l.Snaplen != 0) o["snaplen"] = l.Snaplen;
        if (l.QueueThreshold != 0) o["queue-threshold"] = l.QueueThreshold;
        if (l.Group is null && l.Level is { } lv && lv != LogLevel.Warning) o["level"] = StatementText.LogLevelName(lv);
        uint flags = l.Flags;
        var names = new List<string>();
        if ((flags & 0x2f) == 0x2f) names.Add("all");
        else
        {
            if ((flags & 1) != 0) names.Add("tcp sequence");
            if ((flags & 2) != 0) names.Add("tcp options");
            if ((flags & 4) != 0) names.Add("ip options");
            if ((flags & 8) != 0) names.Add("skuid");
            if ((flags & 0x20) != 0) names.Add("ether");
        }
        AddList(o, "flags", names);
        return ExprJson.Wrap("log", o.Count == 0 ? null : o);
    }

    /// <summary>One name as a string, several as an array (nft's flags members).</summary>
    public static void AddList(JsonObject o, string name, List<string> items)
    {
        if (items.Count == 1) o[name] = items[0];
        else if (items.Count > 1) o[name] = new JsonArray(items.Select(i => (JsonNode)JsonValue.Create(i)!).ToArray());
    }

    public static string TimeUnit(ulong unit) => StatementText.TimeUnit(unit);

    public static (ulong Value, string Unit) DataUnit(ulong bytes) => StatementText.DataUnit(bytes);

    public static JsonNode Limit(ulong rate, ulong unit, ulong burst, bool bytes, bool inv)
    {
        string? rateUnit = null, burstUnit = null;
        if (bytes)
        {
            (rate, rateUnit) = DataUnit(rate);
            (burst, burstUnit) = DataUnit(burst);
        }
        var o = new JsonObject { ["rate"] = (long)rate, ["burst"] = (long)burst, ["per"] = TimeUnit(unit) };
        if (inv) o["inv"] = true;
        if (rateUnit is not null) o["rate_unit"] = rateUnit;
        if (burstUnit is not null) o["burst_unit"] = burstUnit;
        return ExprJson.Wrap("limit", o);
    }

    public static JsonNode Quota(ulong bytes, ulong consumed, bool inv, bool stateless)
    {
        var (v, u) = DataUnit(bytes);
        var o = new JsonObject { ["val"] = (long)v, ["val_unit"] = u };
        if (inv) o["inv"] = true;
        if (!stateless && consumed != 0)
        {
            var (cv, cu) = DataUnit(consumed);
            o["used"] = (long)cv;
            o["used_unit"] = cu;
        }
        return ExprJson.Wrap("quota", o);
    }

    public static JsonNode Connlimit(uint count, bool inv)
    {
        var o = new JsonObject { ["val"] = count };
        if (inv) o["inv"] = true;
        return ExprJson.Wrap("ct count", o);
    }

    public static JsonNode Queue(QueueS q)
    {
        var o = new JsonObject();
        o["num"] = q.Total > 1 ? ExprJson.Wrap("range", new JsonArray(q.Number, q.Number + q.Total - 1)) : JsonValue.Create(q.Number);
        var names = new List<string>();
        if ((q.Flags & 1) != 0) names.Add("bypass");
        if ((q.Flags & 2) != 0) names.Add("fanout");
        AddList(o, "flags", names);
        return ExprJson.Wrap("queue", o);
    }

    public static JsonNode Synproxy(uint flags, ushort? mss, byte? wscale)
    {
        var o = new JsonObject();
        if ((flags & 1) != 0) o["mss"] = mss ?? 0;
        if ((flags & 2) != 0) o["wscale"] = wscale ?? 0;
        var names = new JsonArray();
        if ((flags & 8) != 0) names.Add((JsonNode)"timestamp");
        if ((flags & 4) != 0) names.Add((JsonNode)"sack-perm");
        if (names.Count > 0) o["flags"] = names;
        return ExprJson.Wrap("synproxy", o.Count == 0 ? null : o);
    }

    /// <summary>A stateful statement of a set or element (counter, limit, quota, connlimit) from its raw attributes.</summary>
    public static JsonNode Stateful(string name, ReadOnlySpan<byte> data, bool stateless)
    {
        switch (name)
        {
            case "counter":
            {
                var c = CounterExpression.DecodeData(data);
                return stateless ? ExprJson.Wrap("counter", null)
                    : ExprJson.Wrap("counter", new JsonObject { ["packets"] = (long)(c.Packets ?? 0), ["bytes"] = (long)(c.Bytes ?? 0) });
            }
            case "last":
            {
                var l = LastExpression.DecodeData(data);
                return Last((l.Set ?? 0) != 0, l.Milliseconds ?? 0, stateless);
            }
            case "limit":
            {
                var l = LimitExpression.DecodeData(data);
                return Limit(l.Rate, l.Unit, l.Burst ?? 0, l.Type == LimitType.Bytes, (l.Flags.GetValueOrDefault() & LimitFlags.Invert) != 0);
            }
            case "quota":
            {
                var q = QuotaExpression.DecodeData(data);
                return Quota(q.Bytes, q.Consumed ?? 0, (q.Flags.GetValueOrDefault() & QuotaFlags.Invert) != 0, stateless);
            }
            case "connlimit":
            {
                var c = ConnlimitExpression.DecodeData(data);
                return Connlimit(c.Count, (c.Flags.GetValueOrDefault() & ConnlimitFlags.Invert) != 0);
            }
            default:
                throw new NftJsonUnsupportedException($"the set element statement '{name}'");
        }
    }
}
