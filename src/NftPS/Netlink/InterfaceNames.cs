using NftPS.Interop;

namespace NftPS.Netlink;

/// <summary>Interface index → name in one network namespace, remembered per index. The lookup socket is opened in the
/// namespace, so later lookups need no namespace switch. A name not found (the interface went away) is null.</summary>
public sealed class InterfaceNames : IDisposable
{
    private int _fd;
    private readonly Dictionary<uint, string?> _known = new();

    private InterfaceNames(int fd) => _fd = fd;

    public static InterfaceNames Open(string? networkNamespace) =>
        Netlink.NetworkNamespace.Run(networkNamespace, () =>
        {
            try { return new InterfaceNames(InterfaceIndexSocket.Open()); }
            catch (SystemCallException ex) { throw NetlinkException.From(ex); }
        });

    public string? NameOf(uint index)
    {
        if (_known.TryGetValue(index, out var name)) return name;
        if (_fd < 0 || index > int.MaxValue) return null;
        name = InterfaceIndexSocket.NameOf(_fd, (int)index);
        // Interfaces come and go; remember only names found, so a later interface with that index is seen.
        if (name is not null) _known[index] = name;
        return name;
    }

    public void Dispose()
    {
        int fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0) NativeSocket.Close(fd);
    }
}
