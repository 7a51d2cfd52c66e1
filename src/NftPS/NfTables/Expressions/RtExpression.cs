using NftPS.Netlink;

namespace NftPS.NfTables.Expressions;

/// <summary>NFT_RT_* keys.</summary>
public enum RtKey : uint { ClassId = 0, NextHop4 = 1, NextHop6 = 2, TcpMss = 3, Xfrm = 4 }

/// <summary>"rt": loads routing information.</summary>
public sealed record RtExpression : Expression
{
    public const ushort AttrDestinationRegister = 1, AttrKey = 2;

    public override string Name => "rt";
    public RtKey Key { get; init; }
    public uint DestinationRegister { get; init; }

    public override void EncodeData(NetlinkWriter writer)
    {
        writer.WriteBe32(AttrKey, (uint)Key);
        writer.WriteBe32(AttrDestinationRegister, DestinationRegister);
    }

    internal static RtExpression DecodeData(ReadOnlySpan<byte> data)
    {
        var r = new NetlinkAttributeReader(data);
        var e = new RtExpression();
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case AttrKey: e = e with { Key = (RtKey)a.GetBe32() }; break;
                case AttrDestinationRegister: e = e with { DestinationRegister = a.GetBe32() }; break;
            }
        }
        return e;
    }

    public override string ToDebugString() => $"[ rt load {DebugFormat.RtKeyName(Key)} => reg {DestinationRegister} ]";
}
