using System.Globalization;

namespace Lambda.Batch.Recompute;

/// <summary>
/// The CPU time of the calling thread (Linux: <c>/proc/thread-self/schedstat</c>), for a stage that runs
/// on its own thread beside DuckDB, where process CPU time would mix both. Zero where it cannot be read.
/// </summary>
internal static class ThreadCpu
{
    private const string SchedStat = "/proc/thread-self/schedstat";

    /// <summary>The calling thread's CPU time so far.</summary>
    public static TimeSpan Now()
    {
        try
        {
            var text = File.ReadAllText(SchedStat);
            var end = text.IndexOf(' ', StringComparison.Ordinal);
            var nanoseconds = long.Parse(end < 0 ? text : text[..end], CultureInfo.InvariantCulture);
            return TimeSpan.FromTicks(nanoseconds / 100);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return TimeSpan.Zero;
        }
    }
}
