using NftPS.Interop;
using NftPS.Netlink;

namespace NftPS.Tests.Netlink;

/// <summary>Interop reports a failed libc call as its own SystemCallException; the netlink layer turns it into a
/// NetlinkException that says exactly what a NetlinkException made from the errno directly says, so the cmdlets'
/// error records (id, category, hint) do not depend on which layer failed.</summary>
public sealed class SystemCallErrorTests
{
    [Theory]
    [InlineData(1, "setns /run/netns/x")]
    [InlineData(1, "socket(AF_NETLINK)")]
    [InlineData(2, "open /run/netns/gone")]
    [InlineData(105, "recv")]
    public void ASystemCallFailureReadsAsTheNetlinkLayersOwnError(int errno, string operation)
    {
        var call = new SystemCallException(errno, operation);
        var direct = new NetlinkException(errno, operation);

        var translated = NetlinkException.From(call);

        Assert.Equal((direct.Message, direct.Errno, direct.Operation, direct.ErrnoName),
            (translated.Message, translated.Errno, translated.Operation, translated.ErrnoName));
        Assert.Same(call, translated.InnerException);
    }
}
