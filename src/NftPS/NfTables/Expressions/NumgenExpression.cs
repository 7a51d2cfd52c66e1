using NftPS.Netlink;

namespace NftPS.NfTables.Expressions;

/// <summary>NFT_NG_*.</summary>
public enum NumgenType : uint { Incremental = 0, Random = 1 }

/// <summary>"numgen": incremental or random number modulo Modulus, plus Offset.</summary>
public sealed record NumgenExpression : Expression
{
    public const ushort AttrDestinationRegister = 1, AttrModulus = 2, AttrType = 3, AttrOffset = 4, AttrSetName = 5, AttrSetId = 6;

    public override string Name => "numgen";
    public uint DestinationRegister { get; init; }
    public uint Modulus { get; init; }
    public NumgenType Type { get; init; }
    public uint? Offset { get; init; }

    public override void EncodeData(NetlinkWriter writer)
    {
        writer.WriteBe32(AttrDestinationRegister, DestinationRegister);
        writer.WriteBe32(AttrModulus, Modulus);
        writer.WriteBe32(AttrType, (uint)Type);
        if (Offset is uint o) writer.WriteBe32(AttrOffset, o);
    }

    internal static NumgenExpression DecodeData(ReadOnlySpan<byte> data)
    {
        var r = new NetlinkAttributeReader(data);
        var e = new NumgenExpression();
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case AttrDestinationRegister: e = e with { DestinationRegister = a.GetBe32() }; break;
                case AttrModulus: e = e with { Modulus = a.GetBe32() }; break;
                case AttrType: e = e with { Type = (NumgenType)a.GetBe32() }; break;
                case AttrOffset: e = e with { Offset = a.GetBe32() }; break;
            }
        }
        return e;
    }

    public override string ToDebugString() => DebugFormat.Numgen(this);
}
