using System.Buffers.Binary;

namespace NftPS.Netlink;

/// <summary>One received netlink message. For nfnetlink messages the nfgenmsg header is split out.</summary>
public readonly ref struct NetlinkMessage
{
    public NetlinkMessage(ReadOnlySpan<byte> whole)
    {
        Whole = whole;
        Type = BinaryPrimitives.ReadUInt16LittleEndian(whole[4..]);
        Flags = BinaryPrimitives.ReadUInt16LittleEndian(whole[6..]);
        Sequence = BinaryPrimitives.ReadUInt32LittleEndian(whole[8..]);
        PortId = BinaryPrimitives.ReadUInt32LittleEndian(whole[12..]);
    }

    /// <summary>The message including its nlmsghdr.</summary>
    public ReadOnlySpan<byte> Whole { get; }
    public ushort Type { get; }
    public ushort Flags { get; }
    public uint Sequence { get; }
    public uint PortId { get; }
    public ReadOnlySpan<byte> Payload => Whole[NetlinkConstants.HeaderLength..];

    public bool IsNfTables => (Type >> 8) == NetlinkConstants.NFNL_SUBSYS_NFTABLES;
    /// <summary>NFT_MSG_* for nf_tables messages.</summary>
    public int NfTablesType => Type & 0xff;
    public byte Family => Payload.Length >= 4 ? Payload[0] : (byte)0;
    /// <summary>In replies and events the kernel puts the low 16 bits of the ruleset generation here.</summary>
    public ushort ResourceId => Payload.Length >= 4 ? BinaryPrimitives.ReadUInt16BigEndian(Payload[2..]) : (ushort)0;
    public ReadOnlySpan<byte> Attributes => Payload.Length >= 4 ? Payload[4..] : ReadOnlySpan<byte>.Empty;
    public NetlinkAttributeReader GetAttributes() => new(Attributes);
}

/// <summary>Splits a receive buffer into messages.</summary>
public ref struct NetlinkMessageReader
{
    private ReadOnlySpan<byte> _remaining;

    public NetlinkMessageReader(ReadOnlySpan<byte> data) => _remaining = data;

    public bool TryRead(out NetlinkMessage message)
    {
        if (_remaining.Length < NetlinkConstants.HeaderLength)
        {
            message = default;
            return false;
        }
        int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(_remaining);
        if (length < NetlinkConstants.HeaderLength || length > _remaining.Length)
            throw new InvalidDataException($"Malformed netlink message: length {length} with {_remaining.Length} bytes left.");
        message = new NetlinkMessage(_remaining[..length]);
        _remaining = _remaining[Math.Min(NetlinkConstants.Align(length), _remaining.Length)..];
        return true;
    }
}

/// <summary>The parts of an NLMSG_ERROR: the code, the header of the message it answers, and extended-ack TLVs.</summary>
public readonly struct NetlinkError
{
    public int Error { get; init; }
    public uint Sequence { get; init; }
    public ushort RequestType { get; init; }
    public string? Message { get; init; }
    /// <summary>Byte offset into the offending message (counted from its nlmsghdr) of the attribute the kernel rejected.</summary>
    public int? Offset { get; init; }

    public static NetlinkError Parse(in NetlinkMessage message)
    {
        ReadOnlySpan<byte> p = message.Payload;
        int error = BinaryPrimitives.ReadInt32LittleEndian(p);
        ReadOnlySpan<byte> inner = p[4..];
        uint seq = BinaryPrimitives.ReadUInt32LittleEndian(inner[8..]);
        ushort type = BinaryPrimitives.ReadUInt16LittleEndian(inner[4..]);
        string? text = null;
        int? offset = null;
        if ((message.Flags & NetlinkConstants.NLM_F_ACK_TLVS) != 0)
        {
            // The copied request payload is present unless CAPPED or error 0; its copied header still
            // holds the original length, so the payload size comes from that length only when not capped.
            int skip = NetlinkConstants.HeaderLength;
            bool capped = (message.Flags & NetlinkConstants.NLM_F_CAPPED) != 0;
            if (!capped && error != 0)
                skip = NetlinkConstants.Align((int)BinaryPrimitives.ReadUInt32LittleEndian(inner));
            if (skip <= inner.Length)
            {
                var reader = new NetlinkAttributeReader(inner[skip..]);
                while (reader.TryRead(out var attr))
                {
                    if (attr.Type == NetlinkConstants.NLMSGERR_ATTR_MSG) text = attr.GetString();
                    else if (attr.Type == NetlinkConstants.NLMSGERR_ATTR_OFFS && attr.Payload.Length >= 4) offset = (int)attr.GetHost32();
                }
            }
        }
        return new NetlinkError { Error = error, Sequence = seq, RequestType = type, Message = text, Offset = offset };
    }
}
