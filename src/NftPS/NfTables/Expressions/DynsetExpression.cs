using NftPS.Netlink;

namespace NftPS.NfTables.Expressions;

/// <summary>NFT_DYNSET_OP_*.</summary>
public enum DynsetOperation : uint { Add = 0, Update = 1, Delete = 2 }

/// <summary>NFT_DYNSET_F_*.</summary>
[Flags]
public enum DynsetFlags : uint { None = 0, Invert = 1, Expression = 2 }

/// <summary>"dynset": adds/updates/deletes an element of a set from the packet path, optionally with
/// per-element expressions (one in NFTA_DYNSET_EXPR, several in NFTA_DYNSET_EXPRESSIONS).</summary>
public sealed record DynsetExpression : Expression
{
    public const ushort AttrSetName = 1, AttrSetId = 2, AttrOperation = 3, AttrSourceKeyRegister = 4,
        AttrSourceDataRegister = 5, AttrTimeout = 6, AttrExpression = 7, AttrPad = 8, AttrFlags = 9, AttrExpressions = 10;

    public override string Name => "dynset";
    public string SetName { get; init; } = "";
    public uint? SetId { get; init; }
    public DynsetOperation Operation { get; init; }
    public uint SourceKeyRegister { get; init; }
    public uint? SourceDataRegister { get; init; }
    /// <summary>NFTA_DYNSET_TIMEOUT in milliseconds (be64).</summary>
    public ulong? Timeout { get; init; }
    /// <summary>The single per-element expression of NFTA_DYNSET_EXPR.</summary>
    public Expression? ElementExpression { get; init; }
    /// <summary>The list of NFTA_DYNSET_EXPRESSIONS (used when there are two or more).</summary>
    public IReadOnlyList<Expression>? ElementExpressions { get; init; }
    public DynsetFlags? Flags { get; init; }

    public override void EncodeData(NetlinkWriter writer)
    {
        // Kernel dump order: SREG_KEY, [SREG_DATA], OP, SET_NAME, TIMEOUT, [EXPR | EXPRESSIONS], FLAGS.
        writer.WriteBe32(AttrSourceKeyRegister, SourceKeyRegister);
        if (SourceDataRegister is uint sd) writer.WriteBe32(AttrSourceDataRegister, sd);
        writer.WriteBe32(AttrOperation, (uint)Operation);
        writer.WriteString(AttrSetName, SetName);
        if (SetId is uint id) writer.WriteBe32(AttrSetId, id);
        if (Timeout is ulong t) writer.WriteBe64(AttrTimeout, t);
        if (ElementExpression is not null) ExpressionCodec.EncodeSingle(writer, AttrExpression, ElementExpression);
        if (ElementExpressions is not null) ExpressionCodec.EncodeList(writer, AttrExpressions, ElementExpressions);
        if (Flags is DynsetFlags f) writer.WriteBe32(AttrFlags, (uint)f);
    }

    internal static DynsetExpression DecodeData(ReadOnlySpan<byte> data)
    {
        var r = new NetlinkAttributeReader(data);
        var e = new DynsetExpression();
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case AttrSetName: e = e with { SetName = a.GetString() }; break;
                case AttrSetId: e = e with { SetId = a.GetBe32() }; break;
                case AttrOperation: e = e with { Operation = (DynsetOperation)a.GetBe32() }; break;
                case AttrSourceKeyRegister: e = e with { SourceKeyRegister = a.GetBe32() }; break;
                case AttrSourceDataRegister: e = e with { SourceDataRegister = a.GetBe32() }; break;
                case AttrTimeout: e = e with { Timeout = a.GetBe64() }; break;
                case AttrExpression: e = e with { ElementExpression = ExpressionCodec.DecodeSingle(a.Payload) }; break;
                case AttrExpressions: e = e with { ElementExpressions = ExpressionCodec.DecodeList(a.Payload) }; break;
                case AttrFlags: e = e with { Flags = (DynsetFlags)a.GetBe32() }; break;
            }
        }
        return e;
    }

    public override string ToDebugString() => DebugFormat.Dynset(this);
}
