using NftPS.Netlink;

namespace NftPS.NfTables.Expressions;

/// <summary>NFT_OSF_F_*.</summary>
[Flags]
public enum OsfFlags : uint { None = 0, Version = 1 }

/// <summary>"osf": passive OS fingerprinting. TTL is a u8.</summary>
public sealed record OsfExpression : Expression
{
    public const ushort AttrDestinationRegister = 1, AttrTtl = 2, AttrFlags = 3;

    public override string Name => "osf";
    public uint DestinationRegister { get; init; }
    public byte? Ttl { get; init; }
    public OsfFlags? Flags { get; init; }

    public override void EncodeData(NetlinkWriter writer)
    {
        // Kernel dump order: TTL, FLAGS, DREG.
        if (Ttl is byte t) writer.WriteU8(AttrTtl, t);
        if (Flags is OsfFlags f) writer.WriteBe32(AttrFlags, (uint)f);
        writer.WriteBe32(AttrDestinationRegister, DestinationRegister);
    }

    internal static OsfExpression DecodeData(ReadOnlySpan<byte> data)
    {
        var r = new NetlinkAttributeReader(data);
        var e = new OsfExpression();
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case AttrDestinationRegister: e = e with { DestinationRegister = a.GetBe32() }; break;
                case AttrTtl: e = e with { Ttl = a.GetU8() }; break;
                case AttrFlags: e = e with { Flags = (OsfFlags)a.GetBe32() }; break;
            }
        }
        return e;
    }

    public override string ToDebugString() => DebugFormat.Osf(this);
}
