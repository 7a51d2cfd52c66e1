using NftPS.Netlink;

namespace NftPS.NfTables.Expressions;

/// <summary>All NFT_CT_* keys.</summary>
public enum CtKey : uint
{
    State = 0, Direction = 1, Status = 2, Mark = 3, Secmark = 4, Expiration = 5, Helper = 6, L3Protocol = 7,
    Src = 8, Dst = 9, Protocol = 10, ProtoSrc = 11, ProtoDst = 12, Labels = 13, Pkts = 14, Bytes = 15,
    AvgPkt = 16, Zone = 17, EventMask = 18, SrcIp = 19, DstIp = 20, SrcIp6 = 21, DstIp6 = 22, Id = 23,
}

/// <summary>IP_CT_DIR_*: the u8 NFTA_CT_DIRECTION.</summary>
public enum CtDirection : byte { Original = 0, Reply = 1 }

/// <summary>"ct": loads a conntrack key (DestinationRegister) or sets one (SourceRegister).</summary>
public sealed record CtExpression : Expression
{
    public const ushort AttrDestinationRegister = 1, AttrKey = 2, AttrDirection = 3, AttrSourceRegister = 4;

    public override string Name => "ct";
    public CtKey Key { get; init; }
    public uint? DestinationRegister { get; init; }
    public uint? SourceRegister { get; init; }
    public CtDirection? Direction { get; init; }

    public bool IsSet => SourceRegister is not null;

    public override void EncodeData(NetlinkWriter writer)
    {
        // Kernel dumps: get = DREG, KEY[, DIRECTION]; set = SREG, KEY[, DIRECTION].
        if (DestinationRegister is uint dreg) writer.WriteBe32(AttrDestinationRegister, dreg);
        if (SourceRegister is uint sreg) writer.WriteBe32(AttrSourceRegister, sreg);
        writer.WriteBe32(AttrKey, (uint)Key);
        if (Direction is CtDirection d) writer.WriteU8(AttrDirection, (byte)d);
    }

    internal static CtExpression DecodeData(ReadOnlySpan<byte> data)
    {
        var r = new NetlinkAttributeReader(data);
        var e = new CtExpression();
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case AttrKey: e = e with { Key = (CtKey)a.GetBe32() }; break;
                case AttrDestinationRegister: e = e with { DestinationRegister = a.GetBe32() }; break;
                case AttrSourceRegister: e = e with { SourceRegister = a.GetBe32() }; break;
                case AttrDirection: e = e with { Direction = (CtDirection)a.GetU8() }; break;
            }
        }
        return e;
    }

    public override string ToDebugString() => DebugFormat.Ct(this);
}
