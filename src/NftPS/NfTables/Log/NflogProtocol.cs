namespace NftPS.NfTables.Log;

/// <summary>nfnetlink_log (NFLOG) wire values from linux/netfilter/nfnetlink_log.h: subsystem 4 of NETLINK_NETFILTER.</summary>
internal static class NflogProtocol
{
    public const ushort Subsystem = 4; // NFNL_SUBSYS_ULOG
    public const ushort PacketMessage = (Subsystem << 8) | 0; // NFULNL_MSG_PACKET
    public const ushort ConfigMessage = (Subsystem << 8) | 1; // NFULNL_MSG_CONFIG

    // enum nfulnl_attr_type
    public const ushort PacketHeader = 1, Mark = 2, Timestamp = 3, InputIndex = 4, OutputIndex = 5,
        Payload = 9, Prefix = 10, Uid = 11, Sequence = 12, Gid = 14;

    // enum nfulnl_attr_config
    public const ushort ConfigCommand = 1, ConfigMode = 2, ConfigBufferSize = 3, ConfigTimeout = 4, ConfigQueueThreshold = 5,
        ConfigFlags = 6;

    public const byte CommandBind = 1, CommandUnbind = 2;
    public const byte CopyPacket = 2; // NFULNL_COPY_PACKET
    public const ushort FlagSequence = 1; // NFULNL_CFG_F_SEQ
}
