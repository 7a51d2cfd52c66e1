using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace NftPS.Interop;

/// <summary>The only unsafe code: thin wrappers over the libc calls a netlink socket needs.
/// Each returns or throws <see cref="SystemCallException"/> with errno, never a raw -1. It knows which socket it opens
/// but nothing of the netlink protocol spoken over it.</summary>
internal static unsafe class NativeSocket
{
    /// <summary>linux/socket.h and linux/netlink.h.</summary>
    private const int AF_NETLINK = 16, NETLINK_NETFILTER = 12;

    public static int OpenNetfilter()
    {
        int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
        if (fd < 0) throw Fail("socket(AF_NETLINK)");
        return fd;
    }

    public static uint Bind(int fd, uint groups = 0)
    {
        var addr = new SockaddrNl { Family = AF_NETLINK, Groups = groups };
        if (bind(fd, (sockaddr*)&addr, (socklen_t)sizeof(SockaddrNl)) < 0) throw Fail("bind(AF_NETLINK)");
        var bound = new SockaddrNl();
        socklen_t len = (socklen_t)sizeof(SockaddrNl);
        if (getsockname(fd, (sockaddr*)&bound, &len) < 0) throw Fail("getsockname");
        return bound.PortId;
    }

    public static bool TrySetInt(int fd, int level, int option, int value)
    {
        return setsockopt(fd, level, option, &value, (socklen_t)sizeof(int)) == 0;
    }

    public static int GetInt(int fd, int level, int option)
    {
        int value = 0;
        socklen_t len = (socklen_t)sizeof(int);
        if (getsockopt(fd, level, option, &value, &len) < 0) throw Fail("getsockopt");
        return value;
    }

    public static void Send(int fd, ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            while (true)
            {
                long n = send(fd, p, (size_t)data.Length, 0);
                if (n >= 0) return;
                int err = errno;
                if (err == EINTR) continue;
                throw new SystemCallException(err, "send");
            }
        }
    }

    /// <summary>Waits up to <paramref name="timeoutMs"/> for data. Returns false on timeout.</summary>
    public static bool WaitReadable(int fd, int timeoutMs)
    {
        var pfd = new pollfd { fd = fd, events = (short)POLLIN };
        int r = poll(&pfd, 1, timeoutMs);
        if (r < 0)
        {
            int err = errno;
            // A signal (SIGCHLD when the process runs children) interrupts poll; errno then sometimes reads 0, having
            // been overwritten by the runtime's signal handling. Either way the caller polls again.
            if (err == EINTR || err == 0) return false;
            throw new SystemCallException(err, "poll");
        }
        return r > 0;
    }

    /// <summary>Receives one datagram. Returns -errno for ENOBUFS so the caller can resynchronise.</summary>
    public static int Receive(int fd, Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                long n = recv(fd, p, (size_t)buffer.Length, MSG_DONTWAIT);
                if (n >= 0) return (int)n;
                int err = errno;
                if (err == EINTR) continue;
                if (err == EAGAIN) return 0;
                if (err == ENOBUFS) return -err;
                throw new SystemCallException(err, "recv");
            }
        }
    }

    /// <summary>Size of the next datagram without consuming it (MSG_PEEK|MSG_TRUNC).</summary>
    public static int PeekLength(int fd)
    {
        byte dummy;
        long n = recv(fd, &dummy, 1, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
        return n < 0 ? 0 : (int)n;
    }

    public static void Close(int fd) => close(fd);

    public static int OpenReadOnly(string path)
    {
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = bytes)
        {
            int fd = open(p, O_RDONLY | O_CLOEXEC);
            if (fd < 0) throw new SystemCallException(errno, $"open {path}");
            return fd;
        }
    }

    public static void SetNetworkNamespace(int nsFd, string what)
    {
        if (setns(nsFd, CLONE_NEWNET) < 0) throw new SystemCallException(errno, $"setns {what}");
    }

    public static void UnshareNetworkNamespace()
    {
        if (unshare(CLONE_NEWNET) < 0) throw new SystemCallException(errno, "unshare(CLONE_NEWNET)");
    }

    private static SystemCallException Fail(string what) => new(errno, what);
}
