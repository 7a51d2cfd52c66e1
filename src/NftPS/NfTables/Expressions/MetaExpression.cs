using NftPS.Netlink;

namespace NftPS.NfTables.Expressions;

/// <summary>All NFT_META_* keys.</summary>
public enum MetaKey : uint
{
    Len = 0, Protocol = 1, Priority = 2, Mark = 3, Iif = 4, Oif = 5, IifName = 6, OifName = 7, IifType = 8,
    OifType = 9, SkUid = 10, SkGid = 11, NfTrace = 12, RtClassId = 13, Secmark = 14, NfProto = 15, L4Proto = 16,
    BriIifName = 17, BriOifName = 18, PktType = 19, Cpu = 20, IifGroup = 21, OifGroup = 22, Cgroup = 23,
    Prandom = 24, Secpath = 25, IifKind = 26, OifKind = 27, BriIifPvid = 28, BriIifVproto = 29, TimeNs = 30,
    TimeDay = 31, TimeHour = 32, Sdif = 33, SdifName = 34, BriBroute = 35, BriIifHwAddr = 36,
}

/// <summary>"meta": loads a packet meta key (DestinationRegister) or sets one (SourceRegister).</summary>
public sealed record MetaExpression : Expression
{
    public const ushort AttrDestinationRegister = 1, AttrKey = 2, AttrSourceRegister = 3;

    public override string Name => "meta";
    public MetaKey Key { get; init; }
    public uint? DestinationRegister { get; init; }
    public uint? SourceRegister { get; init; }

    public bool IsSet => SourceRegister is not null;

    public override void EncodeData(NetlinkWriter writer)
    {
        writer.WriteBe32(AttrKey, (uint)Key);
        if (DestinationRegister is uint dreg) writer.WriteBe32(AttrDestinationRegister, dreg);
        if (SourceRegister is uint sreg) writer.WriteBe32(AttrSourceRegister, sreg);
    }

    internal static MetaExpression DecodeData(ReadOnlySpan<byte> data)
    {
        var r = new NetlinkAttributeReader(data);
        var e = new MetaExpression();
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case AttrKey: e = e with { Key = (MetaKey)a.GetBe32() }; break;
                case AttrDestinationRegister: e = e with { DestinationRegister = a.GetBe32() }; break;
                case AttrSourceRegister: e = e with { SourceRegister = a.GetBe32() }; break;
            }
        }
        return e;
    }

    public override string ToDebugString() => IsSet
        ? $"[ meta set {DebugFormat.MetaKeyName(Key)} with reg {SourceRegister} ]"
        : $"[ meta load {DebugFormat.MetaKeyName(Key)} => reg {DestinationRegister} ]";
}
