using NftPS.Netlink;

namespace NftPS.NfTables.Expressions;

/// <summary>NFT_QUOTA_F_*.</summary>
[Flags]
public enum QuotaFlags : uint { None = 0, Invert = 1, Depleted = 2 }

/// <summary>"quota": byte quota.</summary>
public sealed record QuotaExpression : Expression
{
    public const ushort AttrBytes = 1, AttrFlags = 2, AttrPad = 3, AttrConsumed = 4;

    public override string Name => "quota";
    public ulong Bytes { get; init; }
    public ulong? Consumed { get; init; }
    public QuotaFlags? Flags { get; init; }

    public override void EncodeData(NetlinkWriter writer)
    {
        // Kernel dump: BYTES, CONSUMED, FLAGS.
        writer.WriteBe64(AttrBytes, Bytes);
        if (Consumed is ulong c) writer.WriteBe64(AttrConsumed, c);
        if (Flags is QuotaFlags f) writer.WriteBe32(AttrFlags, (uint)f);
    }

    internal static QuotaExpression DecodeData(ReadOnlySpan<byte> data)
    {
        var r = new NetlinkAttributeReader(data);
        var e = new QuotaExpression();
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case AttrBytes: e = e with { Bytes = a.GetBe64() }; break;
                case AttrConsumed: e = e with { Consumed = a.GetBe64() }; break;
                case AttrFlags: e = e with { Flags = (QuotaFlags)a.GetBe32() }; break;
            }
        }
        return e;
    }

    public override string ToDebugString() =>
        $"[ quota bytes {Bytes} consumed {Consumed ?? 0} flags {(uint)(Flags ?? QuotaFlags.None)} ]";
}
