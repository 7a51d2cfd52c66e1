using NftPS.Netlink;

namespace NftPS.NfTables.Expressions;

/// <summary>NFT_LIMIT_PKTS / NFT_LIMIT_PKT_BYTES.</summary>
public enum LimitType : uint { Packets = 0, Bytes = 1 }

/// <summary>NFT_LIMIT_F_*.</summary>
[Flags]
public enum LimitFlags : uint { None = 0, Invert = 1 }

/// <summary>"limit": token bucket. Unit is the period in seconds.</summary>
public sealed record LimitExpression : Expression
{
    public const ushort AttrRate = 1, AttrUnit = 2, AttrBurst = 3, AttrType = 4, AttrFlags = 5, AttrPad = 6;

    public override string Name => "limit";
    public ulong Rate { get; init; }
    public ulong Unit { get; init; }
    public uint? Burst { get; init; }
    public LimitType? Type { get; init; }
    public LimitFlags? Flags { get; init; }

    public override void EncodeData(NetlinkWriter writer)
    {
        writer.WriteBe64(AttrRate, Rate);
        writer.WriteBe64(AttrUnit, Unit);
        if (Burst is uint b) writer.WriteBe32(AttrBurst, b);
        if (Type is LimitType t) writer.WriteBe32(AttrType, (uint)t);
        if (Flags is LimitFlags f) writer.WriteBe32(AttrFlags, (uint)f);
    }

    internal static LimitExpression DecodeData(ReadOnlySpan<byte> data)
    {
        var r = new NetlinkAttributeReader(data);
        var e = new LimitExpression();
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case AttrRate: e = e with { Rate = a.GetBe64() }; break;
                case AttrUnit: e = e with { Unit = a.GetBe64() }; break;
                case AttrBurst: e = e with { Burst = a.GetBe32() }; break;
                case AttrType: e = e with { Type = (LimitType)a.GetBe32() }; break;
                case AttrFlags: e = e with { Flags = (LimitFlags)a.GetBe32() }; break;
            }
        }
        return e;
    }

    public override string ToDebugString() => DebugFormat.Limit(this);
}
