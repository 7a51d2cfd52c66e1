using System.Runtime.InteropServices;
using NftPS.Bench.Native;

namespace NftPS.Bench;

/// <summary>A network namespace of the harness's own (`ip netns add nftps-bench-…`), deleted on dispose. nft only ever
/// runs inside it: <see cref="Spawn"/> enters it on a fresh thread and starts the child from there.</summary>
public sealed class PrivateNamespace : IDisposable
{
    private static readonly Lazy<string> IpPath = new(() => ChildProcess.Which("ip"));
    private static readonly Lazy<string> NftPath = new(() => ChildProcess.Which("nft"));

    private static readonly HashSet<string> Live = new();

    static PrivateNamespace()
    {
        // Ctrl+C or SIGTERM in the middle of a run must not leave namespaces (and their rulesets) behind.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteAll();
        Console.CancelKeyPress += (_, _) => DeleteAll();
    }

    public PrivateNamespace()
    {
        Name = "nftps-bench-" + Guid.NewGuid().ToString("N")[..8];
        ChildProcess.Run(IpPath.Value, new[] { "netns", "add", Name }).EnsureSuccess("ip netns add " + Name);
        lock (Live) Live.Add(Name);
    }

    private static void DeleteAll()
    {
        string[] names;
        lock (Live) { names = Live.ToArray(); Live.Clear(); }
        foreach (string n in names) ChildProcess.Run(IpPath.Value, new[] { "netns", "delete", n });
    }

    public string Name { get; }
    public string Path => "/run/netns/" + Name;

    /// <summary>nft with these arguments inside the namespace; measured by <see cref="ChildProcess"/>.</summary>
    public ChildResult Nft(params string[] args) => Spawn(NftPath.Value, args);

    public ChildResult NftChecked(params string[] args) => Nft(args).EnsureSuccess("nft " + string.Join(' ', args.Take(3)));

    public ChildResult Spawn(string path, IReadOnlyList<string> args, bool captureStdOut = false)
    {
        ChildResult? result = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                int fd = open(Path, 0x80000 /* O_CLOEXEC */);
                if (fd < 0) throw new InvalidOperationException($"open {Path}: errno {Marshal.GetLastPInvokeError()}");
                try
                {
                    // setns applies to this thread only; the thread ends after the child is reaped.
                    if (setns(fd, 0x40000000 /* CLONE_NEWNET */) != 0)
                        throw new InvalidOperationException($"setns {Path}: errno {Marshal.GetLastPInvokeError()}");
                }
                finally { close(fd); }
                result = ChildProcess.Run(path, args, captureStdOut);
            }
            catch (Exception ex) { failure = ex; }
        }) { IsBackground = true, Name = "bench netns" };
        thread.Start();
        thread.Join();
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        return result!;
    }

    public void Dispose()
    {
        lock (Live) if (!Live.Remove(Name)) return;
        ChildProcess.Run(IpPath.Value, new[] { "netns", "delete", Name });
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int open(string path, int flags);
    [DllImport("libc", SetLastError = true)]
    private static extern int setns(int fd, int nstype);
    [DllImport("libc")]
    private static extern int close(int fd);
}
