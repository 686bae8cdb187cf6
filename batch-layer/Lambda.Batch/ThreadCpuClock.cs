using System.Runtime.InteropServices;

namespace Lambda.Batch;

/// <summary>
/// The calling thread's CPU time (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>): unlike the process total it can be
/// split among stages that run on several threads at once (the archive's workers, the recompute's row builder
/// beside DuckDB), and unlike wall time a loaded machine barely skews it.
/// </summary>
internal static partial class ThreadCpuClock
{
    private const int ClockThreadCpuTimeId = 3;

    /// <summary>CPU nanoseconds the calling thread has used; 0 where the clock is not available.</summary>
    public static long NowNs()
    {
        if (!OperatingSystem.IsLinux() || ClockGetTime(ClockThreadCpuTimeId, out var ts) != 0)
        {
            return 0;
        }

        return (ts.Seconds * 1_000_000_000L) + ts.Nanoseconds;
    }

    /// <summary>CPU time the calling thread has used since <paramref name="startNs"/> (a <see cref="NowNs"/> reading).</summary>
    public static TimeSpan Since(long startNs) => TimeSpan.FromTicks((NowNs() - startNs) / TimeSpan.NanosecondsPerTick);

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clockId, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
