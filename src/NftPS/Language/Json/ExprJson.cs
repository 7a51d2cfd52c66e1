using System.Text.Json.Nodes;
using NftPS.Language.DataTypes;
using NftPS.Language.Model;
using NftPS.Language.Protocols;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;

namespace NftPS.Language.Json;

/// <summary>Thrown when a rule holds something the JSON writer has no libnftables form for. nft's JSON has no
/// generic fallback, so the rule is refused rather than written wrong or with a part left out.</summary>
public sealed class NftJsonUnsupportedException : NotSupportedException
{
    public NftJsonUnsupportedException(string what) : base($"No libnftables JSON form is implemented for {what}.") => What = what;
    public string What { get; }
}

/// <summary>Expressions of the delinearized tree in libnftables JSON (nft 1.0.6 src/json.c *_expr_json).</summary>
internal sealed class ExprJson
{
    private static readonly string[] BaseTokens = { "invalid", "ll", "nh", "th", "ih" };

    public ExprJson(NftRuleset? ruleset, PrintOptions options)
    {
        Ruleset = ruleset;
        Options = options;
    }

    public NftRuleset? Ruleset { get; }
    public PrintOptions Options { get; }

    public ExprJson WithOptions(PrintOptions options) => new(Ruleset, options);

    /// <summary>The text printer with the same context: nft 1.0.6 writes a statement that has no JSON callback
    /// (a jump to an anonymous chain, a map update) as its printed text in a JSON string.</summary>
    public Printing.ExprPrinter Printer => new(Ruleset, Options);

    public JsonNode Of(SExpr e) => e switch
    {
        PayloadX { Tunnel: { } t } p when p.Field is not null => Wrap("payload", new JsonObject { ["protocol"] = p.Desc!.Name, ["field"] = p.Field.Name, ["tunnel"] = t.Name }),
        PayloadX p when p.Field is not null => Wrap("payload", new JsonObject { ["protocol"] = p.Desc!.Name, ["field"] = p.Field.Name }),
        PayloadX p => Wrap("payload", new JsonObject { ["base"] = BaseTokens[(int)p.Base], ["offset"] = p.OffsetBits, ["len"] = p.LenBits }),
        MetaX m => Wrap("meta", new JsonObject { ["key"] = m.Key.Token }),
        CtX c => Ct(c.Key.Token, c.Direction),
        ExthdrX x => Exthdr(x),
        RtX or SocketX or OsfX or FibX or NumgenX or HashX or XfrmX => LoadJson.Of(e, this),
        ValueX v => Value(v),
        WildcardX w => Wildcard(w),
        BinopX b => new JsonObject { [BinopToken(b.Op)] = new JsonArray(Of(b.Left), BinopRight(b)) },
        PrefixX p => Wrap("prefix", new JsonObject { ["addr"] = Of(p.Inner), ["len"] = p.PrefixLength }),
        RangeX r => Range(r),
        ConcatX c => Wrap("concat", new JsonArray(c.Items.Select(Of).ToArray())),
        FlagListX f => new JsonArray(f.Items.Select(Of).ToArray()),
        SetRefX s => SetRef(s),
        MapX m => Wrap(m.Verdict ? "vmap" : "map", new JsonObject { ["key"] = Of(m.Key), ["data"] = SetRef(m.Set) }),
        VerdictX v => VerdictText(v.Text),
        UnaryX u => Of(u.Inner),
        ElementKeyX k => Of(k.Key),
        UnknownX u => throw new NftJsonUnsupportedException($"the undecoded expression '{u.Text}'"),
        _ => throw new NftJsonUnsupportedException($"the expression kind {e.GetType().Name}"),
    };

    public static JsonObject Wrap(string name, JsonNode? body) => new() { [name] = body };

    public static JsonObject Ct(string token, int direction)
    {
        var o = new JsonObject { ["key"] = token };
        if (direction >= 0 && CtKeys.DirectionName(direction) is { } d) o["dir"] = d;
        return Wrap("ct", o);
    }

    private static string BinopToken(BinopKind op) => op switch
    {
        BinopKind.And => "&", BinopKind.Or => "|", BinopKind.Xor => "^", BinopKind.LeftShift => "<<", _ => ">>",
    };

    private JsonNode BinopRight(BinopX b)
    {
        if (b.Right is ValueX rv && b.Op is BinopKind.LeftShift or BinopKind.RightShift) return ValueJson.Integer(rv.Value);
        if (b.Right is ValueX bv && bv.Type.IsBitmask && bv.Typed) return ValueJson.Plain(bv.ToConstant(), Options);
        return Of(b.Right);
    }

    public JsonNode Value(ValueX v)
    {
        if (!v.Typed)
        {
            // nft's invalid_type has only a print function: "0x… [invalid type]" becomes the JSON string.
            var be = new System.Numerics.BigInteger(v.HostBytes(), isUnsigned: true, isBigEndian: true);
            return JsonValue.Create("0x" + be.ToString("x", System.Globalization.CultureInfo.InvariantCulture).TrimStart('0').PadLeft(1, '0') + " [invalid type]")!;
        }
        return ValueJson.Of(v.ToConstant(), Options);
    }

    /// <summary>A value printed as flags (`ct state established,related`, `ct event set new,destroy`): the bit
    /// names as an array.</summary>
    public JsonNode Flags(SExpr e) =>
        e is ValueX v && v.Typed && v.Type.IsBitmask ? ValueJson.FlagList(v.ToConstant(), Options) : Of(e);

    private static JsonNode Wildcard(WildcardX w)
    {
        byte[] data = w.Inner.HostBytes();
        int end = Array.IndexOf(data, (byte)0);
        if (end < 0) end = data.Length;
        return JsonValue.Create(System.Text.Encoding.UTF8.GetString(data, 0, end) + "*")!;
    }

    private JsonNode Range(RangeX r)
    {
        // range_expr_json: protocol numbers and ports numeric inside a range
        var numeric = WithOptions(Options with { NumericProtocol = true, ServiceNames = false });
        return Wrap("range", new JsonArray(numeric.Of(r.From), numeric.Of(r.To)));
    }

    private JsonNode SetRef(SetRefX s)
    {
        if (!s.Anonymous) return JsonValue.Create("@" + s.Name)!;
        if (s.Set is null) throw new NftJsonUnsupportedException($"the anonymous set {s.Name} without its elements (read the rule together with its table's sets)");
        return Wrap("set", SetElementJson.Elements(s.Set, Ruleset, Options, s.KeyParts, s.Shift));
    }

    private static JsonNode Exthdr(ExthdrX x)
    {
        string? desc = x.Desc?.Name;
        if (x.Op == ExthdrOp.TcpOption)
        {
            JsonObject root;
            if (desc is not null && (x.Present || x.Field is not null))
            {
                int idx = x.OffsetBits / 64;
                root = new JsonObject { ["name"] = desc + (idx is > 0 and < 4 ? idx.ToString(System.Globalization.CultureInfo.InvariantCulture) : "") };
                if (!x.Present) root["field"] = x.Field!.Name;
            }
            else root = new JsonObject { ["base"] = x.RawType, ["offset"] = x.OffsetBits, ["len"] = x.LenBits };
            return Wrap("tcp option", root);
        }
        if (desc is null) throw new NftJsonUnsupportedException($"the unknown extension header {x.RawType}");
        var o = new JsonObject { ["name"] = desc };
        if (!x.Present) o["field"] = x.Field?.Name ?? throw new NftJsonUnsupportedException($"an unknown field of extension header {desc}");
        return x.Op switch
        {
            ExthdrOp.Ipv4Option => Wrap("ip option", o),
            ExthdrOp.SctpChunk => Wrap("sctp chunk", o),
            _ => Wrap("exthdr", o),
        };
    }

    public static JsonNode Verdict(NftVerdict v) => v.Code switch
    {
        VerdictCode.Jump or VerdictCode.Goto when v.Chain is not null =>
            Wrap(v.Code == VerdictCode.Jump ? "jump" : "goto", new JsonObject { ["target"] = v.Chain }),
        VerdictCode.Accept or VerdictCode.Drop or VerdictCode.Queue or VerdictCode.Continue or VerdictCode.Break or VerdictCode.Return =>
            Wrap(v.ToString(), null),
        _ => throw new NftJsonUnsupportedException($"the verdict '{v}'"),
    };

    private static JsonNode VerdictText(string text)
    {
        int space = text.IndexOf(' ');
        if (space < 0) return Wrap(text, null);
        return Wrap(text[..space], new JsonObject { ["target"] = text[(space + 1)..] });
    }
}
