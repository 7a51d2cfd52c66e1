using NftPS.Netlink;

namespace NftPS.NfTables.Expressions;

/// <summary>NFT_SOCKET_*.</summary>
public enum SocketKey : uint { Transparent = 0, Mark = 1, Wildcard = 2, CgroupV2 = 3 }

/// <summary>"socket": looks up the packet's socket. Level is the cgroupv2 ancestor level.</summary>
public sealed record SocketExpression : Expression
{
    public const ushort AttrKey = 1, AttrDestinationRegister = 2, AttrLevel = 3;

    public override string Name => "socket";
    public SocketKey Key { get; init; }
    public uint DestinationRegister { get; init; }
    public uint? Level { get; init; }

    public override void EncodeData(NetlinkWriter writer)
    {
        writer.WriteBe32(AttrKey, (uint)Key);
        writer.WriteBe32(AttrDestinationRegister, DestinationRegister);
        if (Level is uint l) writer.WriteBe32(AttrLevel, l);
    }

    internal static SocketExpression DecodeData(ReadOnlySpan<byte> data)
    {
        var r = new NetlinkAttributeReader(data);
        var e = new SocketExpression();
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case AttrKey: e = e with { Key = (SocketKey)a.GetBe32() }; break;
                case AttrDestinationRegister: e = e with { DestinationRegister = a.GetBe32() }; break;
                case AttrLevel: e = e with { Level = a.GetBe32() }; break;
            }
        }
        return e;
    }

    public override string ToDebugString() => DebugFormat.Socket(this);
}
