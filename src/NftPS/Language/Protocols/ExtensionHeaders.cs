using NftPS.Language.DataTypes;
using T = NftPS.Language.DataTypes.DataTypeRegistry;

namespace NftPS.Language.Protocols;

/// <summary>NFT_EXTHDR_OP_*: which kind of header an exthdr expression walks.</summary>
internal enum ExthdrOp
{
    Ipv6 = 0,
    TcpOption = 1,
    Ipv4Option = 2,
    SctpChunk = 3,
}

/// <summary>An extension header, TCP option, IP option or SCTP chunk: its type number, name and fields.</summary>
internal sealed class ExthdrDesc
{
    internal ExthdrDesc(string name, int id, int type, params HeaderField?[] fields)
    {
        Name = name;
        Id = id;
        Type = type;
        Fields = fields;
        for (int i = 0; i < fields.Length; i++) if (fields[i] is { } f) f.Index = i;
    }

    public string Name { get; }
    /// <summary>EXTHDR_DESC_* id (IPv6 headers only; typeof user data).</summary>
    public int Id { get; }
    /// <summary>The protocol number, option kind or chunk type the kernel searches for.</summary>
    public int Type { get; }
    public IReadOnlyList<HeaderField?> Fields { get; }

    public HeaderField? FieldAt(int offsetBits, int lengthBits) =>
        Fields.FirstOrDefault(f => f is not null && f.OffsetBits == offsetBits && f.LengthBits == lengthBits);

    public HeaderField? Field(string name) => Fields.FirstOrDefault(f => f?.Name == name);

    public override string ToString() => Name;
}

/// <summary>nftables' src/exthdr.c, tcpopt.c, ipopt.c and sctp_chunk.c tables.</summary>
internal static class ExtensionHeaders
{
    private static HeaderField F(string name, int offsetBits, int lenBits, DataType? type = null) =>
        new(name, offsetBits, lenBits, type ?? T.Integer);

    public static readonly ExthdrDesc Hbh = new("hbh", 1, 0, null, F("nexthdr", 0, 8, T.InetProto), F("hdrlength", 8, 8));
    public static readonly ExthdrDesc Rt = new("rt", 2, 43, null, F("nexthdr", 0, 8, T.InetProto), F("hdrlength", 8, 8),
        F("type", 16, 8), F("seg-left", 24, 8));
    public static readonly ExthdrDesc Rt0 = new("rt0", 3, 43, null, F("reserved", 32, 32),
        F("addr[1]", 64, 128, T.Ipv6Addr), F("addr[2]", 192, 128, T.Ipv6Addr));
    public static readonly ExthdrDesc Rt2 = new("rt2", 4, 43);
    public static readonly ExthdrDesc Srh = new("srh", 5, 43, null, F("last-entry", 32, 8), F("flags", 40, 8), F("tag", 48, 16),
        F("sid[1]", 64, 128, T.Ipv6Addr), F("sid[2]", 192, 128, T.Ipv6Addr));
    public static readonly ExthdrDesc Frag = new("frag", 6, 44, null, F("nexthdr", 0, 8, T.InetProto), F("reserved", 8, 8),
        F("frag-off", 16, 13), F("reserved2", 29, 2), F("more-fragments", 31, 1), F("id", 32, 32));
    public static readonly ExthdrDesc Dst = new("dst", 7, 60, null, F("nexthdr", 0, 8, T.InetProto), F("hdrlength", 8, 8));
    public static readonly ExthdrDesc Mh = new("mh", 8, 135, null, F("nexthdr", 0, 8, T.InetProto), F("hdrlength", 8, 8),
        F("type", 16, 8, T.MhType), F("reserved", 24, 8), F("checksum", 32, 16));

    /// <summary>IPv6 extension headers by EXTHDR_DESC_* id.</summary>
    public static readonly ExthdrDesc?[] Ipv6ById = { null, Hbh, Rt, Rt0, Rt2, Srh, Frag, Dst, Mh };

    /// <summary>exthdr_protocols: the header the kernel type number selects (routing → rt, refined by field).</summary>
    public static ExthdrDesc? Ipv6FromType(int type) => type switch
    {
        0 => Hbh, 43 => Rt, 44 => Frag, 60 => Dst, 135 => Mh, _ => null,
    };

    public static readonly ExthdrDesc[] TcpOptions =
    {
        new("eol", 0, 0, F("kind", 0, 8)),
        new("nop", 0, 1, F("kind", 0, 8)),
        new("maxseg", 0, 2, F("kind", 0, 8), F("length", 8, 8), F("size", 16, 16)),
        new("window", 0, 3, F("kind", 0, 8), F("length", 8, 8), F("count", 16, 8)),
        new("sack-perm", 0, 4, F("kind", 0, 8), F("length", 8, 8)),
        new("sack", 0, 5, F("kind", 0, 8), F("length", 8, 8), F("left", 16, 32), F("right", 48, 32), F("left", 80, 32),
            F("right", 112, 32), F("left", 144, 32), F("right", 176, 32), F("left", 208, 32), F("right", 240, 32)),
        new("timestamp", 0, 8, F("kind", 0, 8), F("length", 8, 8), F("tsval", 16, 32), F("tsecr", 48, 32)),
        new("md5sig", 0, 19, F("kind", 0, 8), F("length", 8, 8)),
        new("mptcp", 0, 30, F("kind", 0, 8), F("length", 8, 8), F("subtype", 16, 4)),
        new("fastopen", 0, 34, F("kind", 0, 8), F("length", 8, 8)),
    };

    public static ExthdrDesc? TcpOption(int kind) => TcpOptions.FirstOrDefault(d => d.Type == kind);

    /// <summary>An option named by its kind number (`tcp option 6 exists`): the known option, or one without fields.</summary>
    public static ExthdrDesc TcpOptionByKind(int kind) => TcpOption(kind) ?? new ExthdrDesc(kind.ToString(), 0, kind);

    public static readonly ExthdrDesc[] IpOptions =
    {
        new("lsrr", 0, 131, F("type", 0, 8), F("length", 8, 8), F("ptr", 16, 8), F("addr", 24, 32)),
        new("rr", 0, 7, F("type", 0, 8), F("length", 8, 8), F("ptr", 16, 8), F("addr", 24, 32)),
        new("ssrr", 0, 137, F("type", 0, 8), F("length", 8, 8), F("ptr", 16, 8), F("addr", 24, 32)),
        new("ra", 0, 148, F("type", 0, 8), F("length", 8, 8), F("value", 16, 16)),
    };

    public static ExthdrDesc? IpOption(int type) => IpOptions.FirstOrDefault(d => d.Type == type);

    private static ExthdrDesc Chunk(string name, int type, params HeaderField[] extra) =>
        new(name, 0, type, new HeaderField?[] { F("type", 0, 8), F("flags", 8, 8), F("length", 16, 16) }.Concat(extra).ToArray());

    public static readonly ExthdrDesc[] SctpChunks =
    {
        Chunk("data", 0, F("tsn", 32, 32), F("stream", 64, 16), F("ssn", 80, 16), F("ppid", 96, 32)),
        Chunk("init", 1, F("init-tag", 32, 32), F("a-rwnd", 64, 32), F("num-outbound-streams", 96, 16),
            F("num-inbound-streams", 112, 16), F("initial-tsn", 128, 32)),
        Chunk("init-ack", 2, F("init-tag", 32, 32), F("a-rwnd", 64, 32), F("num-outbound-streams", 96, 16),
            F("num-inbound-streams", 112, 16), F("initial-tsn", 128, 32)),
        Chunk("sack", 3, F("cum-tsn-ack", 32, 32), F("a-rwnd", 64, 32), F("num-gap-ack-blocks", 96, 16), F("num-dup-tsns", 112, 16)),
        Chunk("heartbeat", 4), Chunk("heartbeat-ack", 5), Chunk("abort", 6),
        Chunk("shutdown", 7, F("cum-tsn-ack", 32, 32)), Chunk("shutdown-ack", 8), Chunk("error", 9),
        Chunk("cookie-echo", 10), Chunk("cookie-ack", 11),
        Chunk("ecne", 12, F("lowest-tsn", 32, 32)), Chunk("cwr", 13, F("lowest-tsn", 32, 32)),
        Chunk("shutdown-complete", 14),
        Chunk("asconf-ack", 0x80, F("seqno", 32, 32)), Chunk("forward-tsn", 0xc0, F("new-cum-tsn", 32, 32)),
        Chunk("asconf", 0xc1, F("seqno", 32, 32)),
    };

    public static ExthdrDesc? SctpChunk(int type) => SctpChunks.FirstOrDefault(d => d.Type == type);
}
