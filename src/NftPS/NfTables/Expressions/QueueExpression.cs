using NftPS.Netlink;

namespace NftPS.NfTables.Expressions;

/// <summary>NFT_QUEUE_FLAG_*.</summary>
[Flags]
public enum QueueFlags : ushort { None = 0, Bypass = 1, CpuFanout = 2 }

/// <summary>"queue": NFQUEUE. NUM/TOTAL/FLAGS are be16; SourceRegister (SREG_QNUM) takes the number from a register.</summary>
public sealed record QueueExpression : Expression
{
    public const ushort AttrNumber = 1, AttrTotal = 2, AttrFlags = 3, AttrSourceRegister = 4;

    public override string Name => "queue";
    public ushort? Number { get; init; }
    public ushort? Total { get; init; }
    public QueueFlags? Flags { get; init; }
    public uint? SourceRegister { get; init; }

    public override void EncodeData(NetlinkWriter writer)
    {
        // Kernel dumps: NUM, TOTAL, FLAGS; or SREG_QNUM, FLAGS.
        if (Number is ushort n) writer.WriteBe16(AttrNumber, n);
        if (Total is ushort t) writer.WriteBe16(AttrTotal, t);
        if (SourceRegister is uint s) writer.WriteBe32(AttrSourceRegister, s);
        if (Flags is QueueFlags f) writer.WriteBe16(AttrFlags, (ushort)f);
    }

    internal static QueueExpression DecodeData(ReadOnlySpan<byte> data)
    {
        var r = new NetlinkAttributeReader(data);
        var e = new QueueExpression();
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case AttrNumber: e = e with { Number = a.GetBe16() }; break;
                case AttrTotal: e = e with { Total = a.GetBe16() }; break;
                case AttrFlags: e = e with { Flags = (QueueFlags)a.GetBe16() }; break;
                case AttrSourceRegister: e = e with { SourceRegister = a.GetBe32() }; break;
            }
        }
        return e;
    }

    public override string ToDebugString() => DebugFormat.Queue(this);
}
