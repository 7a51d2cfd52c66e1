using NftPS.Netlink;

namespace NftPS.NfTables.Expressions;

/// <summary>NFT_BITWISE_* operations (And/Or/Xor are the newer boolean ops with a second register or constant).</summary>
public enum BitwiseOperator : uint { MaskXor = 0, LeftShift = 1, RightShift = 2, And = 3, Or = 4, Xor = 5 }

/// <summary>"bitwise": (reg &amp; mask) ^ xor, shifts, or boolean ops between registers.</summary>
public sealed record BitwiseExpression : Expression
{
    public const ushort AttrSourceRegister = 1, AttrDestinationRegister = 2, AttrLength = 3, AttrMask = 4,
        AttrXor = 5, AttrOperator = 6, AttrData = 7, AttrSourceRegister2 = 8;

    public override string Name => "bitwise";
    public uint SourceRegister { get; init; }
    public uint DestinationRegister { get; init; }
    public uint Length { get; init; }
    /// <summary>NFTA_BITWISE_OP; null when absent (means mask-xor).</summary>
    public BitwiseOperator? Operator { get; init; }
    public byte[]? Mask { get; init; }
    public byte[]? Xor { get; init; }
    /// <summary>NFTA_BITWISE_DATA: the shift amount, or the constant operand of a boolean op.</summary>
    public byte[]? Data { get; init; }
    /// <summary>NFTA_BITWISE_SREG2: second register of a boolean op.</summary>
    public uint? SourceRegister2 { get; init; }
    /// <summary>Display only (not on the wire): how <see cref="ToDebugString"/> shows mask, xor and boolean operands.</summary>
    public DataDisplayOrder DisplayByteOrder { get; init; }

    public BitwiseOperator EffectiveOperator => Operator ?? BitwiseOperator.MaskXor;

    public override void EncodeData(NetlinkWriter writer)
    {
        writer.WriteBe32(AttrSourceRegister, SourceRegister);
        writer.WriteBe32(AttrDestinationRegister, DestinationRegister);
        writer.WriteBe32(AttrLength, Length);
        if (Operator is BitwiseOperator op) writer.WriteBe32(AttrOperator, (uint)op);
        if (Mask is not null) ExpressionAttributes.WriteValue(writer, AttrMask, Mask);
        if (Xor is not null) ExpressionAttributes.WriteValue(writer, AttrXor, Xor);
        if (SourceRegister2 is uint sreg2) writer.WriteBe32(AttrSourceRegister2, sreg2);
        if (Data is not null) ExpressionAttributes.WriteValue(writer, AttrData, Data);
    }

    internal static BitwiseExpression DecodeData(ReadOnlySpan<byte> data)
    {
        var r = new NetlinkAttributeReader(data);
        var e = new BitwiseExpression();
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case AttrSourceRegister: e = e with { SourceRegister = a.GetBe32() }; break;
                case AttrDestinationRegister: e = e with { DestinationRegister = a.GetBe32() }; break;
                case AttrLength: e = e with { Length = a.GetBe32() }; break;
                case AttrOperator: e = e with { Operator = (BitwiseOperator)a.GetBe32() }; break;
                case AttrMask: e = e with { Mask = ExpressionAttributes.ReadValue(a) }; break;
                case AttrXor: e = e with { Xor = ExpressionAttributes.ReadValue(a) }; break;
                case AttrData: e = e with { Data = ExpressionAttributes.ReadValue(a) }; break;
                case AttrSourceRegister2: e = e with { SourceRegister2 = a.GetBe32() }; break;
            }
        }
        return e;
    }

    public override string ToDebugString() => DebugFormat.Bitwise(this);
}
