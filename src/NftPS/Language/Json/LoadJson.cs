using System.Text.Json.Nodes;
using NftPS.Language.Model;
using NftPS.Language.Printing;
using NftPS.NfTables.Expressions;

namespace NftPS.Language.Json;

/// <summary>The typed loads other than payload, meta, ct and exthdr in libnftables JSON (nft 1.0.6's rt, socket, osf,
/// fib, numgen, hash and xfrm *_expr_json).</summary>
internal static class LoadJson
{
    public static JsonNode Of(SExpr e, ExprJson j) => e switch
    {
        RtX rt => ExprJson.Wrap("rt", Rt(rt)),
        SocketX so => ExprJson.Wrap("socket", Socket(so)),
        OsfX os => ExprJson.Wrap("osf", Osf(os)),
        FibX fib => ExprJson.Wrap("fib", Fib(fib)),
        NumgenX ng => ExprJson.Wrap("numgen", new JsonObject
        {
            ["mode"] = LoadText.NumgenMode(ng.Mode), ["mod"] = ng.Modulus, ["offset"] = ng.Offset,
        }),
        HashX h => ExprJson.Wrap(LoadText.HashName(h), Hash(h, j)),
        XfrmX xf => ExprJson.Wrap("ipsec", Xfrm(xf)),
        _ => throw new NftJsonUnsupportedException($"the expression kind {e.GetType().Name}"),
    };

    private static JsonObject Rt(RtX rt)
    {
        var o = new JsonObject { ["key"] = rt.Token };
        if (rt.Key == RtKey.NextHop4) o["family"] = "ip";
        else if (rt.Key == RtKey.NextHop6) o["family"] = "ip6";
        return o;
    }

    private static JsonObject Socket(SocketX so)
    {
        var o = new JsonObject { ["key"] = so.Token };
        if (so.Level is { } level) o["level"] = level;
        return o;
    }

    private static JsonObject Osf(OsfX os)
    {
        var o = new JsonObject { ["key"] = os.Version ? "version" : "name" };
        if (os.Ttl is 1 or 2) o["ttl"] = os.Ttl == 1 ? "loose" : "skip";
        return o;
    }

    private static JsonObject Fib(FibX fib)
    {
        var o = new JsonObject { ["result"] = fib.ResultToken };
        var (names, rest) = LoadText.FibFlagNames(fib.Flags);
        if (names.Count > 0 || rest != 0)
        {
            var flags = new JsonArray(names.Select(n => (JsonNode)JsonValue.Create(n)!).ToArray());
            if (rest != 0) flags.Add((JsonNode)rest);
            o["flags"] = flags;
        }
        return o;
    }

    private static JsonObject Hash(HashX h, ExprJson j)
    {
        var o = new JsonObject { ["mod"] = h.Modulus };
        if (h.Seed is { } seed) o["seed"] = seed;
        if (h.Offset != 0) o["offset"] = h.Offset;
        if (h.Inner is not null) o["expr"] = j.Of(h.Inner);
        return o;
    }

    private static JsonObject Xfrm(XfrmX xf)
    {
        var o = new JsonObject { ["key"] = xf.Token };
        if (LoadText.XfrmFamily(xf.Key) is { } fam) o["family"] = fam;
        o["dir"] = LoadText.XfrmDirectionName(xf.Direction);
        o["spnum"] = xf.SpNum;
        return o;
    }
}
