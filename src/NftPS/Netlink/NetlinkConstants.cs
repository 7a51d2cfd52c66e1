namespace NftPS.Netlink;

/// <summary>Values from linux/netlink.h and linux/netfilter/nfnetlink.h that the framing layer needs.</summary>
public static class NetlinkConstants
{
    public const int SOL_NETLINK = 270;
    public const int NETLINK_ADD_MEMBERSHIP = 1;
    public const int NETLINK_NO_ENOBUFS = 5;
    public const int NETLINK_CAP_ACK = 10;
    public const int NETLINK_EXT_ACK = 11;
    public const int NETLINK_GET_STRICT_CHK = 12;

    public const int HeaderLength = 16;
    public const int NfGenMsgLength = 4;

    public const ushort NlaFNested = 0x8000;
    public const ushort NlaFNetByteOrder = 0x4000;
    public const ushort NlaTypeMask = 0x3fff;

    public const ushort NLM_F_REQUEST = 0x1;
    public const ushort NLM_F_MULTI = 0x2;
    public const ushort NLM_F_ACK = 0x4;
    public const ushort NLM_F_ECHO = 0x8;
    public const ushort NLM_F_DUMP_INTR = 0x10;
    public const ushort NLM_F_ROOT = 0x100;
    public const ushort NLM_F_MATCH = 0x200;
    public const ushort NLM_F_DUMP = 0x300;
    public const ushort NLM_F_REPLACE = 0x100;
    public const ushort NLM_F_EXCL = 0x200;
    public const ushort NLM_F_CREATE = 0x400;
    public const ushort NLM_F_APPEND = 0x800;
    public const ushort NLM_F_CAPPED = 0x100;
    public const ushort NLM_F_ACK_TLVS = 0x200;

    public const ushort NLMSG_NOOP = 1;
    public const ushort NLMSG_ERROR = 2;
    public const ushort NLMSG_DONE = 3;
    public const ushort NLMSG_OVERRUN = 4;
    public const ushort NFNL_MSG_BATCH_BEGIN = 0x10;
    public const ushort NFNL_MSG_BATCH_END = 0x11;
    public const ushort NFNL_SUBSYS_NFTABLES = 10;
    public const ushort NFNL_BATCH_GENID = 1;

    public const ushort NLMSGERR_ATTR_MSG = 1;
    public const ushort NLMSGERR_ATTR_OFFS = 2;

    public static int Align(int length) => (length + 3) & ~3;
}
