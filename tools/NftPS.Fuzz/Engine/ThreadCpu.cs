using System.Runtime.InteropServices;

namespace NftPS.Fuzz;

/// <summary>CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID). "Over 1 s" is judged on the input's own CPU time:
/// on a shared, overloaded machine wall time measures the neighbours, not the parser. Wall time still bounds hangs.</summary>
internal static class ThreadCpu
{
    private const int ClockThreadCpuTimeId = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out Timespec time);

    public static TimeSpan Now() =>
        ClockGetTime(ClockThreadCpuTimeId, out var t) == 0
            ? TimeSpan.FromTicks(t.Seconds * TimeSpan.TicksPerSecond + t.Nanoseconds / 100)
            : TimeSpan.Zero;
}
