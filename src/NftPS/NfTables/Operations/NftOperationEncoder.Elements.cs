using NftPS.Netlink;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Model;
using NftPS.NfTables.Writing;

namespace NftPS.NfTables.Operations;

internal static partial class NftOperationEncoder
{
    private static void WriteElements(NetlinkWriter w, ElementOperation e)
    {
        w.WriteString(Nfta.ElemList.Table, e.Table);
        w.WriteString(Nfta.ElemList.Set, e.Set);
        if (e.SetId is { } id) w.WriteBe32(Nfta.ElemList.SetId, id);
        int n = w.BeginNested(Nfta.ElemList.Elements);
        foreach (var element in e.Elements) WriteElement(w, element);
        w.EndNested(n);
    }

    private static void WriteKeys(NetlinkWriter w, ElementKeysOperation k)
    {
        w.WriteString(Nfta.ElemList.Table, k.Table);
        w.WriteString(Nfta.ElemList.Set, k.Set);
        if (k.SetId is { } id) w.WriteBe32(Nfta.ElemList.SetId, id);
        int n = w.BeginNested(Nfta.ElemList.Elements);
        var span = k.Keys.Span;
        for (int at = 0; at < span.Length; at += k.KeyLength)
        {
            int elem = w.BeginNested(Nfta.ListElem);
            int key = w.BeginNested(Nfta.Elem.Key);
            w.WriteBytes(Nfta.Data.Value, span.Slice(at, k.KeyLength));
            w.EndNested(key);
            w.EndNested(elem);
        }
        w.EndNested(n);
    }

    /// <summary>One NFTA_LIST_ELEM of an element list, attributes in the order nft sends them.</summary>
    public static void WriteElement(NetlinkWriter w, ElementSpec e)
    {
        int elem = w.BeginNested(Nfta.ListElem);
        if (e.Key is { } key)
        {
            int k = w.BeginNested(Nfta.Elem.Key);
            w.WriteBytes(Nfta.Data.Value, key);
            w.EndNested(k);
        }
        if (e.KeyEnd is { } keyEnd)
        {
            int k = w.BeginNested(Nfta.Elem.KeyEnd);
            w.WriteBytes(Nfta.Data.Value, keyEnd);
            w.EndNested(k);
        }
        if (e.Flags != 0) w.WriteBe32(Nfta.Elem.Flags, e.Flags);
        if (e.TimeoutMs is { } t) w.WriteBe64(Nfta.Elem.Timeout, t);
        if (e.ExpirationMs is { } x) w.WriteBe64(Nfta.Elem.Expiration, x);
        if (e.Data is { } data)
        {
            int d = w.BeginNested(Nfta.Elem.Data);
            w.WriteBytes(Nfta.Data.Value, data);
            w.EndNested(d);
        }
        else if (e.Verdict is { } v)
        {
            int d = w.BeginNested(Nfta.Elem.Data);
            WriteVerdict(w, v);
            w.EndNested(d);
        }
        if (e.ObjectReference is { } obj) w.WriteString(Nfta.Elem.ObjRef, obj);
        if (e.Expressions is { Count: 1 } one) ExpressionCodec.EncodeSingle(w, Nfta.Elem.Expr, one[0]);
        else if (e.Expressions is { Count: > 1 } many) ExpressionCodec.EncodeList(w, Nfta.Elem.Expressions, many);
        if (UserData.ForElement(e.Comment, e.IntervalOpen) is { } ud) w.WriteBytes(Nfta.Elem.UserData, ud);
        w.EndNested(elem);
    }

    /// <summary>NFTA_DATA_VERDICT{CODE, CHAIN|CHAIN_ID}.</summary>
    public static void WriteVerdict(NetlinkWriter w, NftVerdict v)
    {
        int n = w.BeginNested(Nfta.Data.Verdict);
        w.WriteBe32(Nfta.Verdict.Code, (int)v.Code);
        if (v.Chain is not null) w.WriteString(Nfta.Verdict.Chain, v.Chain);
        if (v.ChainId is { } id) w.WriteBe32(Nfta.Verdict.ChainId, id);
        w.EndNested(n);
    }
}
