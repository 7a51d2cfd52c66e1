using System.Diagnostics;
using System.Runtime.InteropServices;

namespace NftPS.Bench.Native;

/// <summary>What one child process cost: wall time from spawn to reaping, user+system CPU and peak RSS as the kernel
/// accounted them (wait4's rusage), so nft is measured without a wrapper process around it.</summary>
public sealed record ChildResult(int ExitCode, TimeSpan Wall, TimeSpan Cpu, long PeakRssBytes, string StdOut, string StdErr)
{
    public ChildResult EnsureSuccess(string what)
    {
        if (ExitCode != 0) throw new InvalidOperationException($"{what} failed with exit code {ExitCode}: {StdErr.Trim()} {Tail(StdOut)}");
        return this;
    }

    private static string Tail(string s) => s.Length > 2000 ? s[^2000..] : s;
}

/// <summary>posix_spawn + wait4. The child inherits the calling thread's network namespace, which is how nft is
/// started inside a private namespace without `ip netns exec` in between (see <see cref="PrivateNamespace.Spawn"/>).
/// .NET's own SIGCHLD handling only reaps children started through System.Diagnostics.Process, so wait4 here
/// sees these children's exit and rusage.</summary>
public static unsafe class ChildProcess
{
    private const int O_WRONLY = 1, O_CREAT = 0x40, O_TRUNC = 0x200, O_RDONLY = 0;

    public static ChildResult Run(string path, IReadOnlyList<string> args, bool captureStdOut = false, string? stdinFile = null,
        IReadOnlyDictionary<string, string>? extraEnvironment = null)
    {
        string dir = Path.Combine(Path.GetTempPath(), "nftps-bench-io");
        Directory.CreateDirectory(dir);
        string id = Guid.NewGuid().ToString("N")[..12];
        string outFile = captureStdOut ? Path.Combine(dir, id + ".out") : "/dev/null";
        string errFile = Path.Combine(dir, id + ".err");

        var argv = new List<string> { path };
        argv.AddRange(args);
        var env = new Dictionary<string, string>();
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
            env[(string)e.Key] = (string?)e.Value ?? "";
        if (extraEnvironment is not null) foreach (var kv in extraEnvironment) env[kv.Key] = kv.Value;

        IntPtr actions = Marshal.AllocHGlobal(256);
        IntPtr[] argvPtrs = ToCStrings(argv);
        IntPtr[] envPtrs = ToCStrings(env.Select(kv => kv.Key + "=" + kv.Value).ToList());
        try
        {
            Check(posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
            if (stdinFile is not null) Check(posix_spawn_file_actions_addopen(actions, 0, stdinFile, O_RDONLY, 0), "addopen stdin");
            else Check(posix_spawn_file_actions_addopen(actions, 0, "/dev/null", O_RDONLY, 0), "addopen stdin");
            Check(posix_spawn_file_actions_addopen(actions, 1, outFile, O_WRONLY | O_CREAT | O_TRUNC, 0x180), "addopen stdout");
            Check(posix_spawn_file_actions_addopen(actions, 2, errFile, O_WRONLY | O_CREAT | O_TRUNC, 0x180), "addopen stderr");

            int pid;
            var sw = Stopwatch.StartNew();
            fixed (IntPtr* a = argvPtrs)
            fixed (IntPtr* e = envPtrs)
            {
                int rc = posix_spawn(&pid, path, actions, IntPtr.Zero, a, e);
                if (rc != 0) throw new InvalidOperationException($"posix_spawn {path}: errno {rc}");
            }
            int status;
            RUsage usage;
            while (true)
            {
                int r = wait4(pid, &status, 0, &usage);
                if (r == pid) break;
                int errno = Marshal.GetLastPInvokeError();
                if (r < 0 && errno != 4 /* EINTR */) throw new InvalidOperationException($"wait4 {path}: errno {errno}");
            }
            sw.Stop();
            int exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
            var cpu = TimeSpan.FromTicks((usage.UserSec + usage.SystemSec) * TimeSpan.TicksPerSecond
                + (usage.UserUsec + usage.SystemUsec) * 10);
            string stdout = captureStdOut ? File.ReadAllText(outFile) : "";
            string stderr = File.ReadAllText(errFile);
            return new ChildResult(exit, sw.Elapsed, cpu, usage.MaxRssKb * 1024, stdout, stderr);
        }
        finally
        {
            posix_spawn_file_actions_destroy(actions);
            Marshal.FreeHGlobal(actions);
            foreach (var p in argvPtrs) if (p != IntPtr.Zero) Marshal.FreeHGlobal(p);
            foreach (var p in envPtrs) if (p != IntPtr.Zero) Marshal.FreeHGlobal(p);
            if (captureStdOut) File.Delete(outFile);
            File.Delete(errFile);
        }
    }

    /// <summary>Finds a program on PATH (and the sbin directories, where nft and ip live).</summary>
    public static string Which(string program)
    {
        foreach (string d in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(new[] { "/usr/sbin", "/sbin", "/usr/bin", "/bin" }))
        {
            if (d.Length == 0) continue;
            string candidate = Path.Combine(d, program);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"{program} is not installed (Debian: apt-get install nftables iproute2).");
    }

    private static IntPtr[] ToCStrings(List<string> items)
    {
        var result = new IntPtr[items.Count + 1];
        for (int i = 0; i < items.Count; i++) result[i] = Marshal.StringToCoTaskMemUTF8(items[i]);
        return result;
    }

    private static void Check(int rc, string what)
    {
        if (rc != 0) throw new InvalidOperationException($"{what}: errno {rc}");
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct RUsage
    {
        public long UserSec, UserUsec, SystemSec, SystemUsec;
        public long MaxRssKb, IxRss, IdRss, IsRss, MinFlt, MajFlt, NSwap, InBlock, OuBlock, MsgSnd, MsgRcv, NSignals, NVCsw, NIvCsw;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int posix_spawn(int* pid, string path, IntPtr fileActions, IntPtr attr, IntPtr* argv, IntPtr* envp);
    [DllImport("libc")]
    private static extern int posix_spawn_file_actions_init(IntPtr actions);
    [DllImport("libc")]
    private static extern int posix_spawn_file_actions_destroy(IntPtr actions);
    [DllImport("libc")]
    private static extern int posix_spawn_file_actions_addopen(IntPtr actions, int fd, string path, int flags, int mode);
    [DllImport("libc", SetLastError = true)]
    private static extern int wait4(int pid, int* status, int options, RUsage* usage);
}
