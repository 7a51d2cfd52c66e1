using NftPS.Netlink;

namespace NftPS.NfTables.Expressions;

/// <summary>NFT_TUNNEL_PATH / NFT_TUNNEL_ID.</summary>
public enum TunnelKey : uint { Path = 0, Id = 1 }

/// <summary>NFT_TUNNEL_MODE_*.</summary>
public enum TunnelMode : uint { None = 0, Rx = 1, Tx = 2 }

/// <summary>"tunnel": loads tunnel metadata (path or id).</summary>
public sealed record TunnelExpression : Expression
{
    public const ushort AttrKey = 1, AttrDestinationRegister = 2, AttrMode = 3;

    public override string Name => "tunnel";
    public TunnelKey Key { get; init; }
    public uint DestinationRegister { get; init; }
    public TunnelMode? Mode { get; init; }

    public override void EncodeData(NetlinkWriter writer)
    {
        writer.WriteBe32(AttrKey, (uint)Key);
        writer.WriteBe32(AttrDestinationRegister, DestinationRegister);
        if (Mode is TunnelMode m) writer.WriteBe32(AttrMode, (uint)m);
    }

    internal static TunnelExpression DecodeData(ReadOnlySpan<byte> data)
    {
        var r = new NetlinkAttributeReader(data);
        var e = new TunnelExpression();
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case AttrKey: e = e with { Key = (TunnelKey)a.GetBe32() }; break;
                case AttrDestinationRegister: e = e with { DestinationRegister = a.GetBe32() }; break;
                case AttrMode: e = e with { Mode = (TunnelMode)a.GetBe32() }; break;
            }
        }
        return e;
    }

    public override string ToDebugString() =>
        $"[ tunnel load {(Key == TunnelKey.Id ? "id" : "path")} => reg {DestinationRegister} ]";
}
