using System.Globalization;
using System.Text.Json.Nodes;
using NftPS.Language.DataTypes;
using NftPS.Netlink;
using NftPS.NfTables;
using NftPS.NfTables.Model;
using NftPS.NfTables.Reading;
using T = NftPS.Language.DataTypes.DataTypeRegistry;

namespace NftPS.Language.Json;

/// <summary>Options of the JSON form; the defaults give what `nft -j list ruleset` prints.</summary>
public sealed record NftJsonOptions
{
    public static readonly NftJsonOptions Default = new();
    /// <summary>Like nft -s: counters and quota usage left out.</summary>
    public bool Stateless { get; init; }
    /// <summary>Like nft -p: protocol numbers rather than names (`meta l4proto 6`).</summary>
    public bool NumericProtocol { get; init; }
    /// <summary>Indented over several lines rather than nft's one line.</summary>
    public bool Indented { get; init; }

    internal PrintOptions Print => PrintOptions.Default with { Stateless = Stateless, NumericProtocol = NumericProtocol };
}

/// <summary>The ruleset and its objects in the libnftables JSON schema, as nft 1.0.6 lists them (src/json.c):
/// {"nftables": [{"metainfo": …}, {"table": …}, {"counter": …}, {"set": …}, {"flowtable": …}, {"chain": …},
/// {"rule": …} …]}, per table objects, named sets and maps, flowtables, then each chain followed by its rules.</summary>
public static class RulesetJson
{
    public const string Version = "1.0.6";
    public const string ReleaseName = "Lester Gooch #5";

    public static string ToText(NftRuleset ruleset, NftJsonOptions? options = null)
    {
        options ??= NftJsonOptions.Default;
        return NftJsonText.Write(Document(Items(ruleset, options)), options.Indented);
    }

    public static JsonObject Metainfo() => new()
    {
        ["metainfo"] = new JsonObject { ["version"] = Version, ["release_name"] = ReleaseName, ["json_schema_version"] = 1 },
    };

    /// <summary>{"nftables": [metainfo, items…]}.</summary>
    public static JsonObject Document(IEnumerable<JsonNode> items)
    {
        var array = new JsonArray { Metainfo() };
        foreach (var item in items) array.Add(item);
        return new JsonObject { ["nftables"] = array };
    }

    /// <summary>Everything in the ruleset, in nft's listing order.</summary>
    public static IEnumerable<JsonNode> Items(NftRuleset rs, NftJsonOptions? options = null)
    {
        options ??= NftJsonOptions.Default;
        foreach (var table in rs.Tables)
            foreach (var item in TableItems(rs, table, options)) yield return item;
    }

    /// <summary>One table with all it holds (`nft -j list table`).</summary>
    public static IEnumerable<JsonNode> TableItems(NftRuleset rs, NftTable table, NftJsonOptions? options = null)
    {
        options ??= NftJsonOptions.Default;
        bool Mine(NftObjectBase x, string t) => x.Family == table.Family && t == table.Name;
        yield return Table(table);
        foreach (var obj in rs.Objects)
            if (Mine(obj, obj.Table)) yield return Object(obj, options);
        foreach (var set in rs.Sets)
            if (Mine(set, set.Table) && !set.IsAnonymous) yield return Set(set, rs, options);
        foreach (var ft in rs.Flowtables)
            if (Mine(ft, ft.Table)) yield return Flowtable(ft);
        // nft 1.0.6 lists every chain before the first rule, so that a jump never names a chain not yet added
        var chains = rs.Chains.Where(c => Mine(c, c.Table) && !c.IsBinding).ToList();
        foreach (var chain in chains) yield return Chain(chain);
        foreach (var chain in chains)
            foreach (var rule in rs.Rules)
                if (Mine(rule, rule.Table) && rule.Chain == chain.Name) yield return Rule(rule, rs, options);
    }

    public static string FamilyName(NftFamily family) => family.ToKeyword();

    public static JsonObject Table(NftTable table)
    {
        var o = new JsonObject { ["family"] = FamilyName(table.Family), ["name"] = table.Name, ["handle"] = (long)table.Handle };
        // nft 1.0.6's table_flags_json writes the table's name once per flag set (not the flag's name)
        var flags = new List<string>();
        for (uint f = table.Flags; f != 0; f &= f - 1) flags.Add(table.Name);
        StatementJson.AddList(o, "flags", flags);
        // nft 1.0.6 writes no comment for tables and chains (it does for sets, objects and rules)
        return ExprJson.Wrap("table", o);
    }

    public static JsonObject Chain(NftChain chain)
    {
        var o = new JsonObject
        {
            ["family"] = FamilyName(chain.Family), ["table"] = chain.Table, ["name"] = chain.Name, ["handle"] = (long)chain.Handle,
        };
        if (chain.IsBaseChain)
        {
            o["type"] = chain.Type;
            o["hook"] = chain.Hook;
            o["prio"] = chain.Priority ?? 0;
            o["policy"] = chain.Policy ?? "accept";
            // nft 1.0.6 takes "dev" from the parsed input only, so a listed netdev/ingress chain has none
        }
        return ExprJson.Wrap("chain", o);
    }

    public static JsonObject Rule(NftRule rule, NftRuleset? ruleset, NftJsonOptions? options = null)
    {
        options ??= NftJsonOptions.Default;
        var o = new JsonObject
        {
            ["family"] = FamilyName(rule.Family), ["table"] = rule.Table, ["chain"] = rule.Chain, ["handle"] = (long)rule.Handle,
        };
        if (rule.Comment is not null) o["comment"] = rule.Comment;
        var expr = RuleJson.Statements(rule, ruleset, options.Print);
        if (expr.Count > 0) o["expr"] = expr;
        return ExprJson.Wrap("rule", o);
    }

    public static JsonObject Set(NftSet set, NftRuleset? ruleset, NftJsonOptions? options = null)
    {
        options ??= NftJsonOptions.Default;
        string kind = set.IsMap || set.IsObjectMap ? "map" : "set";
        var o = new JsonObject
        {
            ["family"] = FamilyName(set.Family), ["name"] = set.Name, ["table"] = set.Table,
            ["type"] = TypeJson(set.KeyType), ["handle"] = (long)set.Handle,
        };
        if (set.Comment is not null) o["comment"] = set.Comment;
        if (set.IsObjectMap) o["map"] = ObjectTypeName((NftObjectType)(set.ObjectType ?? 0));
        else if (set.IsMap && set.DataType is { } dt) o["map"] = T.TypeName(dt);
        if (!set.IsConstant)
        {
            if (set.Policy == 1) o["policy"] = "memory";
            if (set.Size is > 0) o["size"] = set.Size.Value;
        }
        var flags = new JsonArray();
        if (set.IsConstant) flags.Add("constant");
        if (set.IsInterval) flags.Add("interval");
        if (set.HasTimeout) flags.Add("timeout");
        if (flags.Count > 0) o["flags"] = flags;
        if (set.Timeout is { } t && t > TimeSpan.Zero) o["timeout"] = (long)t.TotalSeconds;
        if (set.GcInterval is { } gc && gc > TimeSpan.Zero) o["gc-interval"] = (long)gc.TotalSeconds;
        if (set.Elements.Count > 0)
        {
            var elems = SetElementJson.Elements(set, ruleset, options.Print);
            if (elems.Count > 0) o["elem"] = elems;
        }
        var statements = SetStatements(set);
        if (statements.Count > 0) o["stmt"] = statements;
        return ExprJson.Wrap(kind, o);
    }

    /// <summary>The statements declared on a set (`counter`, `limit …`), stateless as nft always lists them.</summary>
    private static JsonArray SetStatements(NftSet set)
    {
        var list = new JsonArray();
        if (set.RawExpressions is { } raw)
        {
            var r = new NetlinkAttributeReader(raw);
            while (r.TryRead(out var a))
            {
                if (a.Type != 1) continue;
                NftMessageDecoder.ReadExpression(a.Payload, out string name, out var data);
                list.Add(StatementJson.Stateful(name, data, stateless: true));
            }
        }
        else if (set.RawExpression is { } one)
        {
            NftMessageDecoder.ReadExpression(one, out string name, out var data);
            list.Add(StatementJson.Stateful(name, data, stateless: true));
        }
        return list;
    }

    /// <summary>set_dtype_json: one type name, or an array of the parts of a concatenation.</summary>
    private static JsonNode TypeJson(uint type)
    {
        // a typeof component without a type of its own (ct original proto-dst) leaves no name in nft's type
        var ids = T.SplitConcatType(type);
        var parts = ids.Where(id => id != 0 || ids.Count == 1).Select(id => T.FromId(id)?.Name ?? "invalid").ToList();
        if (type == 0xffffff00) parts = new List<string> { "verdict" };
        return parts.Count == 1 ? JsonValue.Create(parts[0])! : new JsonArray(parts.Select(p => (JsonNode)JsonValue.Create(p)!).ToArray());
    }

    public static string ObjectTypeName(NftObjectType type) => type switch
    {
        NftObjectType.Counter => "counter",
        NftObjectType.Quota => "quota",
        NftObjectType.CtHelper => "ct helper",
        NftObjectType.Limit => "limit",
        NftObjectType.CtTimeout => "ct timeout",
        NftObjectType.Secmark => "secmark",
        NftObjectType.CtExpectation => "ct expectation",
        NftObjectType.Synproxy => "synproxy",
        _ => "unknown",
    };

    public static JsonObject Flowtable(NftFlowtable ft)
    {
        var o = new JsonObject
        {
            ["family"] = FamilyName(ft.Family), ["name"] = ft.Name, ["table"] = ft.Table, ["handle"] = (long)ft.Handle,
            ["hook"] = ft.Hook, ["prio"] = ft.Priority,
        };
        if (ft.Devices.Length == 1) o["dev"] = ft.Devices[0];
        else if (ft.Devices.Length > 1) o["dev"] = new JsonArray(ft.Devices.Select(d => (JsonNode)JsonValue.Create(d)!).ToArray());
        return ExprJson.Wrap("flowtable", o);
    }

    private static JsonNode ProtocolJson(byte l4)
    {
        string name = NamedObjectBody.ProtocolName(l4);
        return int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? JsonValue.Create(n)! : JsonValue.Create(name)!;
    }

    public static JsonObject Object(NftNamedObject obj, NftJsonOptions? options = null)
    {
        options ??= NftJsonOptions.Default;
        var o = new JsonObject
        {
            ["family"] = FamilyName(obj.Family), ["name"] = obj.Name, ["table"] = obj.Table, ["handle"] = (long)obj.Handle,
        };
        if (obj.Comment is not null) o["comment"] = obj.Comment;
        var r = new NetlinkAttributeReader(obj.Data);
        switch (obj.Type)
        {
            case NftObjectType.Counter:
            {
                ulong bytes = 0, packets = 0;
                while (r.TryRead(out var a))
                {
                    if (a.Type == 1) bytes = a.GetBe64();
                    else if (a.Type == 2) packets = a.GetBe64();
                }
                o["packets"] = (long)packets;
                o["bytes"] = (long)bytes;
                break;
            }
            case NftObjectType.Quota:
            {
                ulong bytes = 0, consumed = 0;
                uint flags = 0;
                while (r.TryRead(out var a))
                {
                    switch (a.Type)
                    {
                        case 1: bytes = a.GetBe64(); break;
                        case 2: flags = a.GetBe32(); break;
                        case 4: consumed = a.GetBe64(); break;
                    }
                }
                o["bytes"] = (long)bytes;
                o["used"] = (long)consumed;
                o["inv"] = (flags & 1) != 0;
                break;
            }
            case NftObjectType.Secmark:
            {
                string ctx = "";
                while (r.TryRead(out var a)) if (a.Type == 1) ctx = a.GetString();
                o["context"] = ctx;
                break;
            }
            case NftObjectType.CtHelper:
            {
                string name = "";
                ushort l3 = 0;
                byte l4 = 0;
                while (r.TryRead(out var a))
                {
                    switch (a.Type)
                    {
                        case 1: name = a.GetString(); break;
                        case 2: l3 = a.GetBe16(); break;
                        case 3: l4 = a.GetU8(); break;
                    }
                }
                o["type"] = name;
                o["protocol"] = ProtocolJson(l4);
                o["l3proto"] = NamedObjectBody.FamilyName(l3);
                break;
            }
            case NftObjectType.CtTimeout:
            {
                ushort l3 = 0;
                byte l4 = 0;
                var values = new SortedDictionary<int, uint>();
                while (r.TryRead(out var a))
                {
                    switch (a.Type)
                    {
                        case 1: l3 = a.GetBe16(); break;
                        case 2: l4 = a.GetU8(); break;
                        case 3:
                            var tr = a.GetNested();
                            while (tr.TryRead(out var t)) if (t.Payload.Length >= 4) values[t.Type - 1] = t.GetBe32();
                            break;
                    }
                }
                o["protocol"] = ProtocolJson(l4);
                o["l3proto"] = NamedObjectBody.FamilyName(l3);
                var (names, defaults) = NamedObjectBody.TimeoutPolicy(l4);
                JsonObject? policy = null;
                for (int i = 0; i < names.Length; i++)
                {
                    if (!values.TryGetValue(i, out uint v) || v == defaults[i]) continue;
                    policy ??= new JsonObject();
                    policy[names[i]] = v;
                }
                o["policy"] = policy;
                break;
            }
            case NftObjectType.CtExpectation:
            {
                ushort l3 = 0, dport = 0;
                byte l4 = 0, size = 0;
                uint timeout = 0;
                while (r.TryRead(out var a))
                {
                    switch (a.Type)
                    {
                        case 1: l3 = a.GetBe16(); break;
                        case 2: l4 = a.GetU8(); break;
                        case 3: dport = a.GetBe16(); break;
                        case 4: timeout = a.GetHost32(); break;
                        case 5: size = a.GetU8(); break;
                    }
                }
                o["protocol"] = ProtocolJson(l4);
                o["dport"] = dport;
                o["timeout"] = timeout;
                o["size"] = size;
                o["l3proto"] = NamedObjectBody.FamilyName(l3);
                break;
            }
            case NftObjectType.Limit:
            {
                ulong rate = 0, unit = 0;
                uint burst = 0, type = 0, flags = 0;
                while (r.TryRead(out var a))
                {
                    switch (a.Type)
                    {
                        case 1: rate = a.GetBe64(); break;
                        case 2: unit = a.GetBe64(); break;
                        case 3: burst = a.GetBe32(); break;
                        case 4: type = a.GetBe32(); break;
                        case 5: flags = a.GetBe32(); break;
                    }
                }
                ulong b = burst;
                string? rateUnit = null, burstUnit = null;
                if (type == 1)
                {
                    (rate, rateUnit) = StatementJson.DataUnit(rate);
                    (b, burstUnit) = StatementJson.DataUnit(burst);
                }
                o["rate"] = (long)rate;
                o["per"] = StatementJson.TimeUnit(unit);
                if ((flags & 1) != 0) o["inv"] = true;
                if (rateUnit is not null) o["rate_unit"] = rateUnit;
                if (b != 0)
                {
                    o["burst"] = (long)b;
                    if (burstUnit is not null) o["burst_unit"] = burstUnit;
                }
                break;
            }
            case NftObjectType.Synproxy:
            {
                ushort mss = 0;
                byte wscale = 0;
                uint flags = 0;
                while (r.TryRead(out var a))
                {
                    switch (a.Type)
                    {
                        case 1: mss = a.GetBe16(); break;
                        case 2: wscale = a.GetU8(); break;
                        case 3: flags = a.GetBe32(); break;
                    }
                }
                o["mss"] = mss;
                o["wscale"] = wscale;
                var names = new JsonArray();
                if ((flags & 8) != 0) names.Add("timestamp");
                if ((flags & 4) != 0) names.Add("sack-perm");
                if (names.Count > 0) o["flags"] = names;
                break;
            }
            default:
                throw new NftJsonUnsupportedException($"the {obj.Type} object {obj.Name}");
        }
        return ExprJson.Wrap(ObjectTypeName(obj.Type), o);
    }
}
