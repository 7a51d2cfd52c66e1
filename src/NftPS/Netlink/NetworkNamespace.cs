using NftPS.Interop;

namespace NftPS.Netlink;

/// <summary>Runs code inside another network namespace on a dedicated thread, so the caller's thread
/// (a PowerShell pipeline thread) never changes namespace. A netlink socket created there stays bound
/// to that namespace for its whole life, whichever thread later uses it.</summary>
public static class NetworkNamespace
{
    /// <summary>Turns a name under /run/netns or a path (/proc/PID/ns/net) into a path; null means "ours".</summary>
    public static string? ResolvePath(string? nameOrPath)
    {
        if (string.IsNullOrWhiteSpace(nameOrPath)) return null;
        string path = nameOrPath.Contains('/') ? nameOrPath : Path.Combine("/run/netns", nameOrPath);
        if (!File.Exists(path) && !Directory.Exists(path))
            throw new NetworkNamespaceNotFoundException(nameOrPath, path);
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
