using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace NftPS.Interop;

/// <summary>An AF_INET datagram socket used only to ask the kernel for interface names (SIOCGIFNAME). A socket stays
/// bound to the network namespace it was opened in, so names are looked up there whichever thread asks.</summary>
internal static unsafe class InterfaceIndexSocket
{
    /// <summary>struct ifreq: 16 bytes of name (IFNAMSIZ), then a union whose first member is ifr_ifindex.</summary>
    private const int IfNameSize = 16, IfreqSize = 40;

    public static int Open()
    {
        int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0) throw new SystemCallException(errno, "socket(AF_INET)");
        return fd;
    }

    /// <summary>The name of interface <paramref name="index"/>, or null when there is none (it went away).</summary>
    public static string? NameOf(int fd, int index)
    {
        byte* ifr = stackalloc byte[IfreqSize];
        new Span<byte>(ifr, IfreqSize).Clear();
        *(int*)(ifr + IfNameSize) = index;
        if (ioctl(fd, SIOCGIFNAME, ifr) < 0) return null;
        var name = new ReadOnlySpan<byte>(ifr, IfNameSize);
        int nul = name.IndexOf((byte)0);
        return System.Text.Encoding.UTF8.GetString(nul >= 0 ? name[..nul] : name);
    }
}
