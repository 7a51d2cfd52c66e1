using NftPS.Netlink;

namespace NftPS.NfTables.Expressions;

/// <summary>Registry of expression kinds by kernel name, and the NFTA_LIST_ELEM / NFTA_EXPR_* framing.
/// Names without a decoder become <see cref="UnknownExpression"/>, which re-encodes to identical bytes.</summary>
public static class ExpressionCodec
{
    public const ushort AttrListElem = 1; // NFTA_LIST_ELEM
    public const ushort AttrName = 1;     // NFTA_EXPR_NAME
    public const ushort AttrData = 2;     // NFTA_EXPR_DATA

    /// <summary>Decodes the payload of NFTA_EXPR_DATA for one kind.</summary>
    public delegate Expression DataDecoder(ReadOnlySpan<byte> data);

    private static readonly Dictionary<string, DataDecoder> Decoders = new(StringComparer.Ordinal)
    {
        ["immediate"] = d => ImmediateExpression.DecodeData(d),
        ["cmp"] = d => CmpExpression.DecodeData(d),
        ["bitwise"] = d => BitwiseExpression.DecodeData(d),
        ["byteorder"] = d => ByteorderExpression.DecodeData(d),
        ["payload"] = d => PayloadExpression.DecodeData(d),
        ["exthdr"] = d => ExthdrExpression.DecodeData(d),
        ["meta"] = d => MetaExpression.DecodeData(d),
        ["ct"] = d => CtExpression.DecodeData(d),
        ["rt"] = d => RtExpression.DecodeData(d),
        ["fib"] = d => FibExpression.DecodeData(d),
        ["lookup"] = d => LookupExpression.DecodeData(d),
        ["dynset"] = d => DynsetExpression.DecodeData(d),
        ["range"] = d => RangeExpression.DecodeData(d),
        ["counter"] = d => CounterExpression.DecodeData(d),
        ["log"] = d => LogExpression.DecodeData(d),
        ["limit"] = d => LimitExpression.DecodeData(d),
        ["quota"] = d => QuotaExpression.DecodeData(d),
        ["reject"] = d => RejectExpression.DecodeData(d),
        ["nat"] = d => NatExpression.DecodeData(d),
        ["masq"] = d => MasqExpression.DecodeData(d),
        ["redir"] = d => RedirExpression.DecodeData(d),
        ["tproxy"] = d => TproxyExpression.DecodeData(d),
        ["socket"] = d => SocketExpression.DecodeData(d),
        ["osf"] = d => OsfExpression.DecodeData(d),
        ["hash"] = d => HashExpression.DecodeData(d),
        ["numgen"] = d => NumgenExpression.DecodeData(d),
        ["objref"] = d => ObjrefExpression.DecodeData(d),
        ["queue"] = d => QueueExpression.DecodeData(d),
        ["dup"] = d => DupExpression.DecodeData(d),
        ["fwd"] = d => FwdExpression.DecodeData(d),
        ["connlimit"] = d => ConnlimitExpression.DecodeData(d),
        ["last"] = d => LastExpression.DecodeData(d),
        ["synproxy"] = d => SynproxyExpression.DecodeData(d),
        ["xfrm"] = d => XfrmExpression.DecodeData(d),
        ["notrack"] = d => NotrackExpression.DecodeData(d),
        ["flow_offload"] = d => FlowOffloadExpression.DecodeData(d),
        ["match"] = d => MatchExpression.DecodeData(d),
        ["target"] = d => TargetExpression.DecodeData(d),
        ["inner"] = d => InnerExpression.DecodeData(d),
        ["tunnel"] = d => TunnelExpression.DecodeData(d),
    };

    /// <summary>The kernel names with a registered decoder.</summary>
    public static IReadOnlyCollection<string> KnownNames => Decoders.Keys;

    public static bool IsKnown(string name) => Decoders.ContainsKey(name);

    /// <summary>Decodes NFTA_EXPR_NAME + NFTA_EXPR_DATA (the payload of one NFTA_LIST_ELEM).</summary>
    public static Expression Decode(ReadOnlySpan<byte> listElemPayload) => DecodeSingle(listElemPayload);

    /// <summary>Decodes NAME + DATA held directly by an attribute (NFTA_SET_EXPR, NFTA_DYNSET_EXPR, NFTA_INNER_EXPR).</summary>
    public static Expression DecodeSingle(ReadOnlySpan<byte> payload)
    {
        var r = new NetlinkAttributeReader(payload);
        string? name = null;
        ReadOnlySpan<byte> data = default;
        bool hasData = false;
        while (r.TryRead(out var a))
        {
            if (a.Type == AttrName) name = a.GetName();
            else if (a.Type == AttrData) { data = a.Payload; hasData = true; }
        }
        if (name is null) throw new InvalidDataException("Expression without NFTA_EXPR_NAME.");
        Expression e = Decoders.TryGetValue(name, out var decoder)
            ? decoder(data)
            : new UnknownExpression(name, data.ToArray());
        return hasData ? e : e with { HasDataAttribute = false };
    }

    /// <summary>Decodes a list of NFTA_LIST_ELEM (payload of NFTA_RULE_EXPRESSIONS, NFTA_SET_EXPRESSIONS...).</summary>
    public static List<Expression> DecodeList(ReadOnlySpan<byte> nestPayload)
    {
        var list = new List<Expression>();
        var r = new NetlinkAttributeReader(nestPayload);
        while (r.TryRead(out var a))
            if (a.Type == AttrListElem) list.Add(Decode(a.Payload));
        return list;
    }

    /// <summary>Writes one NFTA_LIST_ELEM{NAME, DATA}.</summary>
    public static void Encode(NetlinkWriter w, Expression e) => EncodeSingle(w, AttrListElem, e);

    /// <summary>Writes attrType{NAME, DATA}; DATA is present even when empty, as nft sends it.</summary>
    public static void EncodeSingle(NetlinkWriter w, ushort attrType, Expression e)
    {
        int outer = w.BeginNested(attrType);
        WriteNameAndData(w, e);
        w.EndNested(outer);
    }

    /// <summary>Writes nestType{ ELEM{...}, ELEM{...} }.</summary>
    public static void EncodeList(NetlinkWriter w, ushort nestType, IEnumerable<Expression> list)
    {
        int outer = w.BeginNested(nestType);
        if (list is IReadOnlyList<Expression> items)
            for (int i = 0; i < items.Count; i++) Encode(w, items[i]); // no enumerator per rule
        else
            foreach (var e in list) Encode(w, e);
        w.EndNested(outer);
    }

    /// <summary>Writes NAME and DATA without an enclosing attribute.</summary>
    public static void WriteNameAndData(NetlinkWriter w, Expression e)
    {
        w.WriteString(AttrName, e.Name);
        if (!e.HasDataAttribute) return;
        int data = w.BeginNested(AttrData);
        e.EncodeData(w);
        w.EndNested(data);
    }
}
