namespace NftPS.Netlink;

/// <summary>Something to be sent does not fit netlink's framing: an attribute, nested ones included, holds at most
/// 65,535 bytes (a 16-bit length). Raised while encoding, before anything reaches the kernel.</summary>
public sealed class NetlinkSizeException : IOException
{
    public NetlinkSizeException(int bytes)
        : base($"Too large to send: {bytes:N0} bytes in one netlink attribute, which holds at most 65,535 " +
               "(a rule, set element or object this big cannot be expressed; nft cannot send it either).")
    {
        Bytes = bytes;
    }

    public int Bytes { get; }
}
