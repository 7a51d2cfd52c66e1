using NftPS.Netlink;

namespace NftPS.NfTables.Expressions;

/// <summary>NFT_LOGLEVEL_* (syslog levels plus audit).</summary>
public enum LogLevel : uint { Emerg = 0, Alert = 1, Crit = 2, Err = 3, Warning = 4, Notice = 5, Info = 6, Debug = 7, Audit = 8 }

/// <summary>NF_LOG_* flags.</summary>
[Flags]
public enum LogFlags : uint
{
    None = 0, TcpSequence = 0x01, TcpOptions = 0x02, IpOptions = 0x04, Uid = 0x08,
    /// <summary>Wrong name for NF_LOG_NFLOG (0x10, unsupported by the kernel); kept for compatibility.</summary>
    [Obsolete("Use Nflog.")] NoFragment = 0x10,
    Nflog = 0x10, MacDecode = 0x20,
    All = 0x2f,
}

/// <summary>"log": syslog logging (Level/Flags) or nflog (Group, Snaplen, QueueThreshold).</summary>
public sealed record LogExpression : Expression
{
    public const ushort AttrGroup = 1, AttrPrefix = 2, AttrSnaplen = 3, AttrQueueThreshold = 4, AttrLevel = 5, AttrFlags = 6;

    public override string Name => "log";
    public string? Prefix { get; init; }
    /// <summary>NFTA_LOG_GROUP, be16.</summary>
    public ushort? Group { get; init; }
    public uint? Snaplen { get; init; }
    /// <summary>NFTA_LOG_QTHRESHOLD, be16.</summary>
    public ushort? QueueThreshold { get; init; }
    public LogLevel? Level { get; init; }
    public LogFlags? Flags { get; init; }

    public override void EncodeData(NetlinkWriter writer)
    {
        // Kernel dump: PREFIX, then GROUP, SNAPLEN, QTHRESHOLD (nflog) or LEVEL, FLAGS (syslog).
        if (Prefix is not null) writer.WriteString(AttrPrefix, Prefix);
        if (Group is ushort g) writer.WriteBe16(AttrGroup, g);
        if (Snaplen is uint s) writer.WriteBe32(AttrSnaplen, s);
        if (QueueThreshold is ushort q) writer.WriteBe16(AttrQueueThreshold, q);
        if (Level is LogLevel l) writer.WriteBe32(AttrLevel, (uint)l);
        if (Flags is LogFlags f) writer.WriteBe32(AttrFlags, (uint)f);
    }

    internal static LogExpression DecodeData(ReadOnlySpan<byte> data)
    {
        var r = new NetlinkAttributeReader(data);
        var e = new LogExpression();
        while (r.TryRead(out var a))
        {
            switch (a.Type)
            {
                case AttrPrefix: e = e with { Prefix = a.GetString() }; break;
                case AttrGroup: e = e with { Group = a.GetBe16() }; break;
                case AttrSnaplen: e = e with { Snaplen = a.GetBe32() }; break;
                case AttrQueueThreshold: e = e with { QueueThreshold = a.GetBe16() }; break;
                case AttrLevel: e = e with { Level = (LogLevel)a.GetBe32() }; break;
                case AttrFlags: e = e with { Flags = (LogFlags)a.GetBe32() }; break;
            }
        }
        return e;
    }

    public override string ToDebugString() => DebugFormat.Log(this);
}
