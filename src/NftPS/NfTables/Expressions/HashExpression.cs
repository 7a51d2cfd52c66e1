using NftPS.Netlink;

namespace NftPS.NfTables.Expressions;

/// <summary>NFT_HASH_JENKINS / NFT_HASH_SYM.</summary>
public enum HashType : uint { Jenkins = 0, Symmetric = 1 }

/// <summary>"hash": jhash of LEN bytes of a register (Jenkins) or symmetric hash of the flow, modulo Modulus, plus Offset.</summary>
public sealed record HashExpression : Expression
{
    public const ushort AttrSourceRegister = 1, AttrDestinationRegister = 2, AttrLength = 3, AttrModulus = 4, AttrSeed = 5,
        AttrOffset = 6, AttrType = 7, AttrSetName = 8, AttrSetId = 9;

    public override string Name => "hash";
    public HashType? Type { get; init; }
    public uint? SourceRegister { get; init; }
    public uint DestinationRegister { get; init; }
    public uint? Length { get; init; }
    public uint Modulus { get; init; }
    public uint? Seed { get; init; }
    public uint? Offset { get; init; }

    public HashType EffectiveType => Type ?? HashType.Jenkins;

    public override void EncodeData(NetlinkWriter writer)
    {
        if (SourceRegister is uint s) writer.WriteBe32(AttrSourceRegister, s);
        writer.WriteBe32(AttrDestinationRegister, DestinationRegister);
        if (Length is uint l) writer.WriteBe32(AttrLength, l);
        writer.WriteBe32(AttrModulus, Modulus);
        if (Seed is uint seed) writer.WriteBe32(AttrSeed, seed);
        if (Offset is uint o) writer.WriteBe32(AttrOffset, o);
        if (Type is HashType t) writer.WriteBe32(AttrType, (uint)t);
    }

    internal static HashExpression DecodeData(ReadOnlySpan<byte> data)
    {
        var r = new NetlinkAttributeReader(data);
        var e = new HashExpression();
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case AttrSourceRegister: e = e with { SourceRegister = a.GetBe32() }; break;
                case AttrDestinationRegister: e = e with { DestinationRegister = a.GetBe32() }; break;
                case AttrLength: e = e with { Length = a.GetBe32() }; break;
                case AttrModulus: e = e with { Modulus = a.GetBe32() }; break;
                case AttrSeed: e = e with { Seed = a.GetBe32() }; break;
                case AttrOffset: e = e with { Offset = a.GetBe32() }; break;
                case AttrType: e = e with { Type = (HashType)a.GetBe32() }; break;
            }
        }
        return e;
    }

    public override string ToDebugString() => DebugFormat.Hash(this);
}
