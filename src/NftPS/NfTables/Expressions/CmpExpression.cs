using NftPS.Netlink;

namespace NftPS.NfTables.Expressions;

/// <summary>NFT_CMP_* operators.</summary>
public enum CmpOperator : uint { Eq = 0, Neq = 1, Lt = 2, Lte = 3, Gt = 4, Gte = 5 }

/// <summary>"cmp": compares a register with a constant.</summary>
public sealed record CmpExpression : Expression
{
    public const ushort AttrSourceRegister = 1, AttrOperator = 2, AttrData = 3;

    public override string Name => "cmp";
    public uint SourceRegister { get; init; }
    public CmpOperator Operator { get; init; }
    public byte[] Data { get; init; } = Array.Empty<byte>();
    /// <summary>Display only (not on the wire): how <see cref="ToDebugString"/> shows <see cref="Data"/>.</summary>
    public DataDisplayOrder DisplayByteOrder { get; init; }

    public override void EncodeData(NetlinkWriter writer)
    {
        writer.WriteBe32(AttrSourceRegister, SourceRegister);
        writer.WriteBe32(AttrOperator, (uint)Operator);
        ExpressionAttributes.WriteValue(writer, AttrData, Data);
    }

    internal static CmpExpression DecodeData(ReadOnlySpan<byte> data)
    {
        var r = new NetlinkAttributeReader(data);
        var e = new CmpExpression();
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case AttrSourceRegister: e = e with { SourceRegister = a.GetBe32() }; break;
                case AttrOperator: e = e with { Operator = (CmpOperator)a.GetBe32() }; break;
                case AttrData: e = e with { Data = ExpressionAttributes.ReadValue(a) }; break;
            }
        }
        return e;
    }

    public override string ToDebugString() =>
        $"[ cmp {DebugFormat.CmpOp(Operator)} reg {SourceRegister} {DebugFormat.Data(Data, DisplayByteOrder)} ]";
}
