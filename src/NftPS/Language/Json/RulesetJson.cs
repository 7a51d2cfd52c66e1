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
internal sealed record NftJsonOptions
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
internal static class RulesetJson
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
        var array = new JsonArray(Metainfo());
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
        if (set.IsConstant) flags.Add((JsonNode)"constant");
        if (set.IsInterval) flags.Add((JsonNode)"interval");
        if (set.HasTimeout) flags.Add((JsonNode)"timeout");
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

    public static string ObjectTypeName(NftObjectType type) => NftNamedObject.KeywordOf(type) ?? "unknown";

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

    public static JsonObject Object(NftNamedObject obj, NftJsonOptions? options = null) => ObjectJson.Of(obj);
}
