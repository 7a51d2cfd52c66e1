using NftPS.Netlink;

namespace NftPS.NfTables.Expressions;

/// <summary>NFT_PAYLOAD_* bases (Tunnel = NFT_PAYLOAD_TUN_HEADER, newer kernels).</summary>
public enum PayloadBase : uint { LinkLayer = 0, Network = 1, Transport = 2, Inner = 3, Tunnel = 4 }

/// <summary>NFT_PAYLOAD_CSUM_*.</summary>
public enum PayloadChecksumType : uint { None = 0, Inet = 1, Sctp = 2 }

/// <summary>NFT_PAYLOAD_L4CSUM_*.</summary>
[Flags]
public enum PayloadChecksumFlags : uint { None = 0, L4PseudoHeader = 1 }

/// <summary>"payload": loads header bytes into a register (DestinationRegister set) or writes a register into
/// the packet (SourceRegister set, with checksum attributes).</summary>
public sealed record PayloadExpression : Expression
{
    public const ushort AttrDestinationRegister = 1, AttrBase = 2, AttrOffset = 3, AttrLength = 4, AttrSourceRegister = 5,
        AttrChecksumType = 6, AttrChecksumOffset = 7, AttrChecksumFlags = 8;

    public override string Name => "payload";
    public uint? DestinationRegister { get; init; }
    public uint? SourceRegister { get; init; }
    public PayloadBase Base { get; init; }
    public uint Offset { get; init; }
    public uint Length { get; init; }
    public PayloadChecksumType? ChecksumType { get; init; }
    public uint? ChecksumOffset { get; init; }
    public PayloadChecksumFlags? ChecksumFlags { get; init; }

    /// <summary>True for the write form (payload set).</summary>
    public bool IsSet => SourceRegister is not null;

    public override void EncodeData(NetlinkWriter writer)
    {
        // Kernel dumps: get = DREG, BASE, OFFSET, LEN; set = SREG, BASE, OFFSET, LEN, CSUM_TYPE, CSUM_OFFSET, CSUM_FLAGS.
        if (DestinationRegister is uint dreg) writer.WriteBe32(AttrDestinationRegister, dreg);
        if (SourceRegister is uint sreg) writer.WriteBe32(AttrSourceRegister, sreg);
        writer.WriteBe32(AttrBase, (uint)Base);
        writer.WriteBe32(AttrOffset, Offset);
        writer.WriteBe32(AttrLength, Length);
        if (ChecksumType is PayloadChecksumType ct) writer.WriteBe32(AttrChecksumType, (uint)ct);
        if (ChecksumOffset is uint co) writer.WriteBe32(AttrChecksumOffset, co);
        if (ChecksumFlags is PayloadChecksumFlags cf) writer.WriteBe32(AttrChecksumFlags, (uint)cf);
    }

    internal static PayloadExpression DecodeData(ReadOnlySpan<byte> data)
    {
        var r = new NetlinkAttributeReader(data);
        var e = new PayloadExpression();
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case AttrDestinationRegister: e = e with { DestinationRegister = a.GetBe32() }; break;
                case AttrBase: e = e with { Base = (PayloadBase)a.GetBe32() }; break;
                case AttrOffset: e = e with { Offset = a.GetBe32() }; break;
                case AttrLength: e = e with { Length = a.GetBe32() }; break;
                case AttrSourceRegister: e = e with { SourceRegister = a.GetBe32() }; break;
                case AttrChecksumType: e = e with { ChecksumType = (PayloadChecksumType)a.GetBe32() }; break;
                case AttrChecksumOffset: e = e with { ChecksumOffset = a.GetBe32() }; break;
                case AttrChecksumFlags: e = e with { ChecksumFlags = (PayloadChecksumFlags)a.GetBe32() }; break;
            }
        }
        return e;
    }

    public override string ToDebugString() => DebugFormat.Payload(this);
}
