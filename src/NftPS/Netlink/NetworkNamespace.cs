using NftPS.Interop;

namespace NftPS.Netlink;

/// <summary>Runs code inside another network namespace on a dedicated thread, so the caller's thread
/// (a PowerShell pipeline thread) never changes namespace. A netlink socket created there stays bound
/// to that namespace for its whole life, whichever thread later uses it.</summary>
public static class NetworkNamespace
{
    public const string NamedDirectory = "/run/netns";

    /// <summary>The path a namespace name stands for, checked for form only (no file system access): a bare name
    /// (as `ip netns` shows it) lives under /run/netns; anything else must be an absolute path. A relative path
    /// such as `../../proc/1/ns/net` would escape /run/netns, so it is refused. Null or empty: the caller's own.</summary>
    public static string? PathOf(string? nameOrPath)
    {
        if (string.IsNullOrEmpty(nameOrPath)) return null;
        if (nameOrPath.Contains('\0') || string.IsNullOrWhiteSpace(nameOrPath))
            throw new InvalidNetworkNamespaceException(nameOrPath, "it contains no name (whitespace or a NUL character)");
        if (nameOrPath.StartsWith('/')) return nameOrPath;
        if (nameOrPath.Contains('/'))
            throw new InvalidNetworkNamespaceException(nameOrPath,
                "a name may not contain '/'; give a bare name under /run/netns or an absolute path such as /proc/PID/ns/net");
        if (nameOrPath is "." or "..")
            throw new InvalidNetworkNamespaceException(nameOrPath, "'.' and '..' are not namespace names");
        return NamedDirectory + "/" + nameOrPath;
    }

    /// <summary>Turns a name under /run/netns or an absolute path (/proc/PID/ns/net) into the path of an existing
    /// namespace file; null means "ours". A path that is not a namespace file (nsfs) is refused before setns sees it.</summary>
    public static string? ResolvePath(string? nameOrPath)
    {
        string? path = PathOf(nameOrPath);
        if (path is null) return null;
        if (!File.Exists(path) && !Directory.Exists(path))
            throw new NetworkNamespaceNotFoundException(nameOrPath!, path);
        if (FileSystemType.Of(path) is long type && type != FileSystemType.NsfsMagic)
            throw new InvalidNetworkNamespaceException(nameOrPath!, $"{path} is not a namespace file (a stale name under /run/netns, or not a namespace at all)");
        return path;
    }

    public static T Run<T>(string? nameOrPath, Func<T> action)
    {
        string? path = ResolvePath(nameOrPath);
        if (path is null) return action();

        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            int original = -1, target = -1;
            try
            {
                original = NativeSocket.OpenReadOnly("/proc/thread-self/ns/net");
                target = NativeSocket.OpenReadOnly(path);
                NativeSocket.SetNetworkNamespace(target, path);
                try { result = action(); }
                finally { NativeSocket.SetNetworkNamespace(original, "back to the original namespace"); }
            }
            catch (SystemCallException ex) { failure = NetlinkException.From(ex); }
            catch (Exception ex) { failure = ex; }
            finally
            {
                if (target >= 0) NativeSocket.Close(target);
                if (original >= 0) NativeSocket.Close(original);
            }
        }) { IsBackground = true, Name = "NftPS netns" };
        thread.Start();
        thread.Join();
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        return result;
    }
}

public sealed class NetworkNamespaceNotFoundException : Exception
{
    public NetworkNamespaceNotFoundException(string name, string path)
        : base($"Network namespace '{name}' was not found (looked for {path}).")
    {
        NamespaceName = name;
    }

    public string NamespaceName { get; }
}

/// <summary>A namespace name that is neither a bare name under /run/netns nor an absolute path to a namespace file.</summary>
public sealed class InvalidNetworkNamespaceException : ArgumentException
{
    public InvalidNetworkNamespaceException(string name, string reason)
        : base($"'{name}' is not a network namespace: {reason}.")
    {
        NamespaceName = name;
    }

    public string NamespaceName { get; }
}
