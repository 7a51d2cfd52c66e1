using NftPS.Netlink;

namespace NftPS.NfTables.Expressions;

/// <summary>NFT_CONNLIMIT_F_*.</summary>
[Flags]
public enum ConnlimitFlags : uint { None = 0, Invert = 1 }

/// <summary>"connlimit": number of connections (ct count).</summary>
public sealed record ConnlimitExpression : Expression
{
    public const ushort AttrCount = 1, AttrFlags = 2;

    public override string Name => "connlimit";
    public uint Count { get; init; }
    public ConnlimitFlags? Flags { get; init; }

    public override void EncodeData(NetlinkWriter writer)
    {
        writer.WriteBe32(AttrCount, Count);
        if (Flags is ConnlimitFlags f) writer.WriteBe32(AttrFlags, (uint)f);
    }

    internal static ConnlimitExpression DecodeData(ReadOnlySpan<byte> data)
    {
        var r = new NetlinkAttributeReader(data);
        var e = new ConnlimitExpression();
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case AttrCount: e = e with { Count = a.GetBe32() }; break;
                case AttrFlags: e = e with { Flags = (ConnlimitFlags)a.GetBe32() }; break;
            }
        }
        return e;
    }

    public override string ToDebugString() => $"[ connlimit count {Count} flags {(uint)(Flags ?? 0)} ]";
}
