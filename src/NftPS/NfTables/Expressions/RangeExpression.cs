using NftPS.Netlink;

namespace NftPS.NfTables.Expressions;

/// <summary>NFT_RANGE_*.</summary>
public enum RangeOperator : uint { Eq = 0, Neq = 1 }

/// <summary>"range": register inside (or outside) an inclusive range.</summary>
public sealed record RangeExpression : Expression
{
    public const ushort AttrSourceRegister = 1, AttrOperator = 2, AttrFrom = 3, AttrTo = 4;

    public override string Name => "range";
    public uint SourceRegister { get; init; }
    public RangeOperator Operator { get; init; }
    public byte[] From { get; init; } = Array.Empty<byte>();
    public byte[] To { get; init; } = Array.Empty<byte>();
    /// <summary>Display only (not on the wire): how <see cref="ToDebugString"/> shows the bounds.</summary>
    public DataDisplayOrder DisplayByteOrder { get; init; }

    public override void EncodeData(NetlinkWriter writer)
    {
        writer.WriteBe32(AttrSourceRegister, SourceRegister);
        writer.WriteBe32(AttrOperator, (uint)Operator);
        ExpressionAttributes.WriteValue(writer, AttrFrom, From);
        ExpressionAttributes.WriteValue(writer, AttrTo, To);
    }

    internal static RangeExpression DecodeData(ReadOnlySpan<byte> data)
    {
        var r = new NetlinkAttributeReader(data);
        var e = new RangeExpression();
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case AttrSourceRegister: e = e with { SourceRegister = a.GetBe32() }; break;
                case AttrOperator: e = e with { Operator = (RangeOperator)a.GetBe32() }; break;
                case AttrFrom: e = e with { From = ExpressionAttributes.ReadValue(a) }; break;
                case AttrTo: e = e with { To = ExpressionAttributes.ReadValue(a) }; break;
            }
        }
        return e;
    }

    public override string ToDebugString() =>
        $"[ range {(Operator == RangeOperator.Neq ? "neq" : "eq")} reg {SourceRegister} {DebugFormat.Data(From, DisplayByteOrder)} {DebugFormat.Data(To, DisplayByteOrder)} ]";
}
