using System.Globalization;
using System.Text.Json.Nodes;
using NftPS.Netlink;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;
using NftPS.NfTables.Reading;

namespace NftPS.Language.Json;

/// <summary>A stateful object (counter, quota, limit, ct helper, ct timeout, ct expectation, synproxy, secmark) in
/// libnftables JSON, from its NFTA_OBJ_DATA attributes, as nft 1.0.6's obj_print_json writes it.</summary>
internal static class ObjectJson
{
    private static JsonNode ProtocolJson(byte l4)
    {
        string name = NamedObjectBody.ProtocolName(l4);
        return int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? JsonValue.Create(n)! : JsonValue.Create(name)!;
    }

    public static JsonObject Of(NftNamedObject obj)
    {
        var o = new JsonObject
        {
            ["family"] = RulesetJson.FamilyName(obj.Family), ["name"] = obj.Name, ["table"] = obj.Table, ["handle"] = (long)obj.Handle,
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
                // A limit object carries the limit expression's attributes.
                var limit = LimitExpression.DecodeData(obj.Data);
                ulong rate = limit.Rate, unit = limit.Unit;
                uint burst = limit.Burst ?? 0, type = (uint)(limit.Type ?? LimitType.Packets), flags = (uint)(limit.Flags ?? LimitFlags.None);
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
                if ((flags & 8) != 0) names.Add((JsonNode)"timestamp");
                if ((flags & 4) != 0) names.Add((JsonNode)"sack-perm");
                if (names.Count > 0) o["flags"] = names;
                break;
            }
            default:
                throw new NftJsonUnsupportedException($"the {obj.Type} object {obj.Name}");
        }
        return ExprJson.Wrap(RulesetJson.ObjectTypeName(obj.Type), o);
    }
}
