using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Lambda.Cli.Hosting;

/// <summary>
/// With LAMBDA_STATS_INTERVAL=&lt;seconds&gt;, `lambda run` logs its resident memory and GC heap at that
/// interval (event 7100), which `lambda bench soak` reads from outside to see whether memory stays flat.
/// </summary>
internal static partial class ProcessStats
{
    public static async Task RunAsync(ILogger logger, CancellationToken cancellationToken)
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable("LAMBDA_STATS_INTERVAL"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            || seconds < 1)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(seconds));
        try
        {
            do
            {
                LogStats(logger, Environment.WorkingSet, GC.GetGCMemoryInfo().HeapSizeBytes, GC.CollectionCount(2));
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(EventId = 7100, Level = LogLevel.Information, Message = "Process stats: rss_bytes={RssBytes} gc_heap_bytes={GcHeapBytes} gen2_collections={Gen2}")]
    private static partial void LogStats(ILogger logger, long rssBytes, long gcHeapBytes, int gen2);
}
