namespace NftPS.Interop;

/// <summary>A libc call failed: the call and its errno. The netlink layer above turns it into its own
/// NetlinkException (same errno, same operation), so callers see one kind of error whichever layer failed.</summary>
internal sealed class SystemCallException : IOException
{
    public SystemCallException(int errno, string operation) : base($"{operation}: errno {errno}")
    {
        Errno = errno;
        Operation = operation;
    }

    /// <summary>Positive errno value.</summary>
    public int Errno { get; }
    public string Operation { get; }
}
