using NftPS.Netlink;
using NftPS.NfTables.Expressions;
using NftPS.NfTables.Writing;

namespace NftPS.NfTables.Operations;

/// <summary>Structural comparison of the parts of operations that records do not compare by value (lists, byte arrays).</summary>
internal static class OperationEquality
{
    /// <summary>Expressions are the same when the kernel would be sent the same attributes for them.</summary>
    public static bool SameExpressions(IReadOnlyList<Expression>? a, IReadOnlyList<Expression>? b)
    {
        a ??= Array.Empty<Expression>();
        b ??= Array.Empty<Expression>();
        if (a.Count != b.Count) return false;
        if (a.Count == 0) return true;
        return Encoded(a).AsSpan().SequenceEqual(Encoded(b));
    }

    private static byte[] Encoded(IReadOnlyList<Expression> list)
    {
        var w = new NetlinkWriter(256);
        ExpressionCodec.EncodeList(w, 1, list);
        return w.ToArray();
    }

    public static bool SameBytes(byte[]? a, byte[]? b) => a is null || b is null ? a is null && b is null : a.AsSpan().SequenceEqual(b);

    public static bool SameSet(SetSpec? a, SetSpec? b)
    {
        if (a is null || b is null) return a is null && b is null;
        return a with { UserData = null, ConcatFieldLengths = null, Expressions = null } ==
               b with { UserData = null, ConcatFieldLengths = null, Expressions = null } &&
               SameBytes(a.UserData, b.UserData) &&
               (a.ConcatFieldLengths ?? Array.Empty<uint>()).SequenceEqual(b.ConcatFieldLengths ?? Array.Empty<uint>()) &&
               SameExpressions(a.Expressions, b.Expressions);
    }

    public static bool SameElement(ElementSpec a, ElementSpec b) =>
        a with { Key = null, KeyEnd = null, Data = null, Expressions = null } ==
        b with { Key = null, KeyEnd = null, Data = null, Expressions = null } &&
        SameBytes(a.Key, b.Key) && SameBytes(a.KeyEnd, b.KeyEnd) && SameBytes(a.Data, b.Data) &&
        SameExpressions(a.Expressions, b.Expressions);
}
