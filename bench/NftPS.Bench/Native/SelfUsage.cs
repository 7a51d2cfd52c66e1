using System.Runtime.InteropServices;

namespace NftPS.Bench.Native;

/// <summary>This process's CPU time and resident memory, for in-session measurements: CPU is getrusage(RUSAGE_SELF)
/// (every thread, GC included); the peak is VmHWM after resetting it through /proc/self/clear_refs.</summary>
public static unsafe class SelfUsage
{
    public static TimeSpan CpuTime()
    {
        long* u = stackalloc long[18];
        if (getrusage(0, u) != 0) return TimeSpan.Zero;
        return TimeSpan.FromTicks((u[0] + u[2]) * TimeSpan.TicksPerSecond + (u[1] + u[3]) * 10);
    }

    /// <summary>User and system CPU of this process so far, in ms.</summary>
    public static (double User, double System) UserSystem()
    {
        long* u = stackalloc long[18];
        if (getrusage(0, u) != 0) return (0, 0);
        return (u[0] * 1000.0 + u[1] / 1000.0, u[2] * 1000.0 + u[3] / 1000.0);
    }

    /// <summary>Resets the peak RSS to the current RSS (write "5" to clear_refs; Linux 4.0+). False where not allowed.</summary>
    public static bool ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public static long PeakRssBytes() => StatusKb("VmHWM:") * 1024;
    public static long RssBytes() => StatusKb("VmRSS:") * 1024;

    private static long StatusKb(string field)
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(field, StringComparison.Ordinal))
                return long.Parse(line[field.Length..].Trim().Split(' ')[0]);
        return 0;
    }

    [DllImport("libc")]
    private static extern int getrusage(int who, long* usage);
}
