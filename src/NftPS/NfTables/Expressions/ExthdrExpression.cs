using NftPS.Netlink;

namespace NftPS.NfTables.Expressions;

/// <summary>NFT_EXTHDR_OP_*: which kind of header chain is searched.</summary>
public enum ExthdrOperation : uint { Ipv6 = 0, TcpOption = 1, Ipv4 = 2, Sctp = 3, Dccp = 4 }

/// <summary>NFT_EXTHDR_F_*.</summary>
[Flags]
public enum ExthdrFlags : uint { None = 0, Present = 1 }

/// <summary>"exthdr": loads (DestinationRegister), writes (SourceRegister) or, with neither, resets/strips an
/// extension header or option. TYPE is a u8.</summary>
public sealed record ExthdrExpression : Expression
{
    public const ushort AttrDestinationRegister = 1, AttrType = 2, AttrOffset = 3, AttrLength = 4, AttrFlags = 5,
        AttrOperation = 6, AttrSourceRegister = 7;

    public override string Name => "exthdr";
    public uint? DestinationRegister { get; init; }
    public uint? SourceRegister { get; init; }
    public byte Type { get; init; }
    public uint Offset { get; init; }
    public uint Length { get; init; }
    public ExthdrFlags? Flags { get; init; }
    public ExthdrOperation? Operation { get; init; }

    /// <summary>The reset form (`tcp option sack-perm reset`): neither a load nor a write.</summary>
    public bool IsReset => DestinationRegister is null && SourceRegister is null;

    public override void EncodeData(NetlinkWriter writer)
    {
        if (DestinationRegister is uint dreg) writer.WriteBe32(AttrDestinationRegister, dreg);
        if (SourceRegister is uint sreg) writer.WriteBe32(AttrSourceRegister, sreg);
        writer.WriteU8(AttrType, Type);
        // The reset (strip) form takes no OFFSET/LEN/FLAGS, though the kernel dumps them as 0: write them
        // unless this is a reset built without Flags.
        if (!(IsReset && Flags is null))
        {
            writer.WriteBe32(AttrOffset, Offset);
            writer.WriteBe32(AttrLength, Length);
        }
        if (Flags is ExthdrFlags f) writer.WriteBe32(AttrFlags, (uint)f);
        if (Operation is ExthdrOperation op) writer.WriteBe32(AttrOperation, (uint)op);
    }

    internal static ExthdrExpression DecodeData(ReadOnlySpan<byte> data)
    {
        var r = new NetlinkAttributeReader(data);
        var e = new ExthdrExpression();
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case AttrDestinationRegister: e = e with { DestinationRegister = a.GetBe32() }; break;
                case AttrType: e = e with { Type = a.GetU8() }; break;
                case AttrOffset: e = e with { Offset = a.GetBe32() }; break;
                case AttrLength: e = e with { Length = a.GetBe32() }; break;
                case AttrFlags: e = e with { Flags = (ExthdrFlags)a.GetBe32() }; break;
                case AttrOperation: e = e with { Operation = (ExthdrOperation)a.GetBe32() }; break;
                case AttrSourceRegister: e = e with { SourceRegister = a.GetBe32() }; break;
            }
        }
        return e;
    }

    public override string ToDebugString() => DebugFormat.Exthdr(this);
}
