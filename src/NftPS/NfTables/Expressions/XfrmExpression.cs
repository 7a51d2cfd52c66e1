using NftPS.Netlink;

namespace NftPS.NfTables.Expressions;

/// <summary>NFT_XFRM_KEY_*.</summary>
public enum XfrmKey : uint { Unspecified = 0, DaddrIp4 = 1, DaddrIp6 = 2, SaddrIp4 = 3, SaddrIp6 = 4, ReqId = 5, Spi = 6 }

/// <summary>XFRM_POLICY_IN / OUT: the u8 NFTA_XFRM_DIR.</summary>
public enum XfrmDirection : byte { In = 0, Out = 1 }

/// <summary>"xfrm": IPsec state of the packet's secpath (in) or route (out). SPNUM is the index into the secpath.</summary>
public sealed record XfrmExpression : Expression
{
    public const ushort AttrDestinationRegister = 1, AttrKey = 2, AttrDirection = 3, AttrSpNum = 4;

    public override string Name => "xfrm";
    public XfrmKey Key { get; init; }
    public XfrmDirection Direction { get; init; }
    public uint SpNum { get; init; }
    public uint DestinationRegister { get; init; }

    public override void EncodeData(NetlinkWriter writer)
    {
        writer.WriteBe32(AttrDestinationRegister, DestinationRegister);
        writer.WriteBe32(AttrKey, (uint)Key);
        writer.WriteU8(AttrDirection, (byte)Direction);
        writer.WriteBe32(AttrSpNum, SpNum);
    }

    internal static XfrmExpression DecodeData(ReadOnlySpan<byte> data)
    {
        var r = new NetlinkAttributeReader(data);
        var e = new XfrmExpression();
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case AttrDestinationRegister: e = e with { DestinationRegister = a.GetBe32() }; break;
                case AttrKey: e = e with { Key = (XfrmKey)a.GetBe32() }; break;
                case AttrDirection: e = e with { Direction = (XfrmDirection)a.GetU8() }; break;
                case AttrSpNum: e = e with { SpNum = a.GetBe32() }; break;
            }
        }
        return e;
    }

    public override string ToDebugString() => DebugFormat.Xfrm(this);
}
