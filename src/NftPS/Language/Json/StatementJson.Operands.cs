using System.Text.Json.Nodes;
using NftPS.Language.Model;
using NftPS.Language.Printing;
using NftPS.NfTables.Model;

namespace NftPS.Language.Json;

/// <summary>The statements with expression operands (nat, tproxy, dup, fwd, set updates, verdicts): their JSON bodies
/// hold the operands' own JSON.</summary>
internal static partial class StatementJson
{
    private static JsonNode Verdict(VerdictS v, ExprJson j) =>
        // A jump to an anonymous chain: nft 1.0.6 has no JSON form for it and writes its text.
        v.Verdict.Chain is { } name && j.Ruleset?.FindChain(v.Family, v.Table, name) is { IsBinding: true }
            ? JsonValue.Create(j.Printer.PrintVerdict(v.Verdict, v.Family, v.Table))!
            : ExprJson.Verdict(v.Verdict);

    private static JsonNode Nat(NatS n, ExprJson j)
    {
        var o = new JsonObject();
        string verb = StatementText.NatVerb(n.Operation);
        if (n.Operation is NatOperation.Masquerade or NatOperation.Redirect)
        {
            if (n.PortMin is { } min)
                o["port"] = n.PortMax is { } max && !StatementText.SameValue(min, max)
                    ? ExprJson.Wrap("range", new JsonArray(j.Of(min), j.Of(max))) : j.Of(min);
            AddList(o, "flags", StatementText.NatFlagNames(n.Flags));
            return ExprJson.Wrap(verb, o.Count == 0 ? null : o);
        }
        if (n.PrintFamily && n.Family is 2 or 10) o["family"] = n.Family == 10 ? "ip6" : "ip";
        SExpr? addrMin = n.AddressMin, addrMax = n.AddressMax, protoMin = n.PortMin, protoMax = n.PortMax;
        var addr = addrMin ?? addrMax;
        if (addrMin is not null && addrMax is not null)
            o["addr"] = RangePrefix.Of(addrMin, addrMax) is { } plen
                ? ExprJson.Wrap("prefix", new JsonObject { ["addr"] = j.Of(addrMin), ["len"] = plen })
                : ExprJson.Wrap("range", new JsonArray(j.Of(addrMin), j.Of(addrMax)));
        else if (addr is not null) o["addr"] = j.Of(addr);
        var proto = protoMin ?? protoMax;
        if (protoMin is not null && protoMax is not null) o["port"] = ExprJson.Wrap("range", new JsonArray(j.Of(protoMin), j.Of(protoMax)));
        else if (proto is not null) o["port"] = j.Of(proto);
        AddList(o, "flags", StatementText.NatFlagNames(n.Flags));
        if (n.Prefix) o["type_flags"] = "prefix";
        return ExprJson.Wrap(verb, o.Count == 0 ? null : o);
    }

    private static JsonNode Tproxy(TproxyS tp, ExprJson j)
    {
        var o = new JsonObject();
        if (tp.PrintFamily) o["family"] = tp.Family == 10 ? "ip6" : "ip";
        if (tp.Address is not null) o["addr"] = j.Of(tp.Address);
        if (tp.Port is not null) o["port"] = j.Of(tp.Port);
        return ExprJson.Wrap("tproxy", o);
    }

    private static JsonNode Dup(DupS d, ExprJson j)
    {
        if (d.To is null) return ExprJson.Wrap("dup", null);
        var o = new JsonObject { ["addr"] = j.Of(d.To) };
        if (d.Device is not null) o["dev"] = j.Of(d.Device);
        return ExprJson.Wrap("dup", o);
    }

    private static JsonNode Fwd(FwdS f, ExprJson j)
    {
        var o = new JsonObject { ["dev"] = j.Of(f.Device) };
        if (f.Address is not null)
        {
            o["family"] = f.Family == 10 ? "ip6" : "ip";
            o["addr"] = j.Of(f.Address);
        }
        return ExprJson.Wrap("fwd", o);
    }

    private static JsonNode Dynset(DynsetS d, ExprJson j)
    {
        // nft 1.0.6 has no JSON callback for the map statement and writes its text
        if (d.Data is not null) return JsonValue.Create(j.Printer.PrintStatement(d))!;
        JsonNode elem = j.Of(d.Key);
        if (d.Timeout != 0) elem = ExprJson.Wrap("elem", new JsonObject { ["val"] = elem, ["timeout"] = (long)(d.Timeout / 1000) });
        if (d.IsMeter)
        {
            // nft 1.0.6's order: key, stmt, size, name
            var m = new JsonObject { ["key"] = elem, ["stmt"] = Of(d.Statements[0], j.WithOptions(j.Options with { Stateless = true })) };
            if (d.MeterSize is > 0) m["size"] = d.MeterSize.Value;
            m["name"] = d.Set.Name;
            return ExprJson.Wrap("meter", m);
        }
        var o = new JsonObject { ["op"] = StatementText.DynsetVerb(d.Operation), ["elem"] = elem, ["set"] = "@" + d.Set.Name };
        if (d.Statements.Count > 0)
        {
            var stateless = j.WithOptions(j.Options with { Stateless = true });
            o["stmt"] = new JsonArray(d.Statements.Select(st => Of(st, stateless)).ToArray());
        }
        return ExprJson.Wrap("set", o);
    }
}
