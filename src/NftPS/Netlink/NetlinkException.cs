namespace NftPS.Netlink;

/// <summary>A refusal from the kernel, naming the operation that caused it.</summary>
public class NetlinkException : IOException
{
    public NetlinkException(int errno, string operation, string? kernelMessage = null, int? offset = null, Exception? inner = null)
        : base(Compose(errno, operation, kernelMessage), inner)
    {
        Errno = errno;
        Operation = operation;
        KernelMessage = kernelMessage;
        AttributeOffset = offset;
    }

    /// <summary>A failed libc call (socket, bind, send, recv, setns, ...) reported as the netlink layer's error: the
    /// same errno and operation, so the message and the cmdlets' error records are those of any other refusal.</summary>
    internal static NetlinkException From(NftPS.Interop.SystemCallException call) => new(call.Errno, call.Operation, inner: call);

    /// <summary>Positive errno value (EPERM = 1, ENOENT = 2, ...).</summary>
    public int Errno { get; }
    public string Operation { get; }
    public string? KernelMessage { get; }
    public int? AttributeOffset { get; }
    public string ErrnoName => Errors.Name(Errno);

    private static string Compose(int errno, string operation, string? kernelMessage)
    {
        string text = $"{operation}: {Errors.Describe(errno)}";
        // Entering a namespace (setns) needs CAP_SYS_ADMIN; talking to nf_tables needs CAP_NET_ADMIN.
        if (errno == Errors.EPERM)
            text += operation.StartsWith("setns", StringComparison.Ordinal)
                ? " (entering another network namespace needs root, or CAP_SYS_ADMIN)"
                : " (you must be root, or have CAP_NET_ADMIN in the network namespace's user namespace)";
        if (!string.IsNullOrEmpty(kernelMessage)) text += $" — kernel says: {kernelMessage}";
        return text;
    }
}

/// <summary>A dump was interrupted by a concurrent ruleset change; the caller retries.</summary>
public sealed class DumpInterruptedException : Exception
{
    public DumpInterruptedException() : base("The ruleset changed while it was being read.") { }
}

public static class Errors
{
    public const int EPERM = 1, ENOENT = 2, EINTR = 4, EIO = 5, EBADF = 9, EAGAIN = 11, ENOMEM = 12, EACCES = 13,
        EBUSY = 16, EEXIST = 17, ENODEV = 19, EINVAL = 22, ENFILE = 23, EMFILE = 24, ENOSPC = 28, ERANGE = 34,
        ELOOP = 40, EMLINK = 31, ENOTEMPTY = 39, ENOBUFS = 105, EMSGSIZE = 90, EPROTONOSUPPORT = 93, EOPNOTSUPP = 95,
        EAFNOSUPPORT = 97, ERESTART = 85, E2BIG = 7, ENOTSUP = 95, EOVERFLOW = 75;

    public static string Name(int errno) => errno switch
    {
        EPERM => "EPERM", ENOENT => "ENOENT", EINTR => "EINTR", EIO => "EIO", EBADF => "EBADF", EAGAIN => "EAGAIN",
        ENOMEM => "ENOMEM", EACCES => "EACCES", EBUSY => "EBUSY", EEXIST => "EEXIST", ENODEV => "ENODEV",
        EINVAL => "EINVAL", ENFILE => "ENFILE", EMFILE => "EMFILE", ENOSPC => "ENOSPC", ERANGE => "ERANGE",
        ELOOP => "ELOOP", EMLINK => "EMLINK", ENOTEMPTY => "ENOTEMPTY", ENOBUFS => "ENOBUFS", EMSGSIZE => "EMSGSIZE",
        EPROTONOSUPPORT => "EPROTONOSUPPORT", EOPNOTSUPP => "EOPNOTSUPP", EAFNOSUPPORT => "EAFNOSUPPORT",
        ERESTART => "ERESTART", E2BIG => "E2BIG", EOVERFLOW => "EOVERFLOW", _ => $"errno {errno}",
    };

    /// <summary>The strerror text nft also prints, so messages read the same.</summary>
    public static string Describe(int errno) => errno switch
    {
        EPERM => "Operation not permitted",
        ENOENT => "No such file or directory",
        EBUSY => "Device or resource busy",
        EEXIST => "File exists",
        ENODEV => "No such device",
        EINVAL => "Invalid argument",
        ENOSPC => "No space left on device",
        ERANGE => "Numerical result out of range",
        ELOOP => "Too many levels of symbolic links",
        EMLINK => "Too many links",
        ENOTEMPTY => "Directory not empty",
        ENOBUFS => "No buffer space available",
        EMSGSIZE => "Message too long",
        EOPNOTSUPP => "Operation not supported",
        EAFNOSUPPORT => "Address family not supported by protocol",
        ERESTART => "Interrupted system call should be restarted",
        E2BIG => "Argument list too long",
        ENOMEM => "Cannot allocate memory",
        EACCES => "Permission denied",
        EOVERFLOW => "Value too large for defined data type",
        _ => Name(errno),
    };
}
