using NftPS.Netlink;

namespace NftPS.NfTables.Expressions;

/// <summary>"counter": packet and byte counter (both absent when sent by nft, both present in dumps).</summary>
public sealed record CounterExpression : Expression
{
    public const ushort AttrBytes = 1, AttrPackets = 2, AttrPad = 3;

    public override string Name => "counter";
    public ulong? Bytes { get; init; }
    public ulong? Packets { get; init; }

    public override void EncodeData(NetlinkWriter writer)
    {
        if (Bytes is ulong b) writer.WriteBe64(AttrBytes, b);
        if (Packets is ulong p) writer.WriteBe64(AttrPackets, p);
    }

    internal static CounterExpression DecodeData(ReadOnlySpan<byte> data)
    {
        var r = new NetlinkAttributeReader(data);
        var e = new CounterExpression();
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case AttrBytes: e = e with { Bytes = a.GetBe64() }; break;
                case AttrPackets: e = e with { Packets = a.GetBe64() }; break;
            }
        }
        return e;
    }

    public override string ToDebugString() => $"[ counter pkts {Packets ?? 0} bytes {Bytes ?? 0} ]";
}
