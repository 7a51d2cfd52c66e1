using NftPS.Netlink;

namespace NftPS.NfTables.Expressions;

/// <summary>"immediate": loads a constant or a verdict into a register (register 0 = verdict).</summary>
public sealed record ImmediateExpression : Expression
{
    public const ushort AttrDestinationRegister = 1, AttrData = 2;

    public override string Name => "immediate";
    public uint DestinationRegister { get; init; }
    /// <summary>Constant data (NFTA_DATA_VALUE); null when the immediate holds a verdict.</summary>
    public byte[]? Data { get; init; }
    /// <summary>Verdict (NFTA_DATA_VERDICT), normally with <see cref="DestinationRegister"/> 0.</summary>
    public NftVerdict? Verdict { get; init; }
    /// <summary>Display only (not on the wire): how <see cref="ToDebugString"/> shows <see cref="Data"/>.</summary>
    public DataDisplayOrder DisplayByteOrder { get; init; }

    public override void EncodeData(NetlinkWriter writer)
    {
        writer.WriteBe32(AttrDestinationRegister, DestinationRegister);
        ExpressionAttributes.WriteData(writer, AttrData, Data, Verdict);
    }

    internal static ImmediateExpression DecodeData(ReadOnlySpan<byte> data)
    {
        var r = new NetlinkAttributeReader(data);
        uint dreg = 0; byte[]? value = null; NftVerdict? verdict = null;
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case AttrDestinationRegister: dreg = a.GetBe32(); break;
                case AttrData: ExpressionAttributes.ReadData(a, out value, out verdict); break;
            }
        }
        return new ImmediateExpression { DestinationRegister = dreg, Data = value, Verdict = verdict };
    }

    public override string ToDebugString() => Verdict is not null
        ? $"[ immediate reg {DestinationRegister} {DebugFormat.Verdict(Verdict)} ]"
        : $"[ immediate reg {DestinationRegister} {DebugFormat.Data(Data ?? Array.Empty<byte>(), DisplayByteOrder)} ]";
}
