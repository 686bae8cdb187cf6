using System.Diagnostics;
using System.Globalization;
using Lambda.Speed;
using Microsoft.Extensions.Logging;

namespace Lambda.Cli.Hosting;

/// <summary>
/// With LAMBDA_STATS_INTERVAL=&lt;seconds&gt;, `lambda run` logs at that interval (event 7100) its resident
/// memory and GC heap, the GC's generation sizes, fragmentation and pauses, the thread pool's queue and
/// the speed state's sizes, which `lambda bench soak` reads from outside to see whether memory stays
/// flat and where it goes.
/// </summary>
internal static partial class ProcessStats
{
    private const double MiB = 1048576.0;

    public static async Task RunAsync(ILogger logger, Func<SpeedStateSize>? speedState, CancellationToken cancellationToken)
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable("LAMBDA_STATS_INTERVAL"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            || seconds < 1)
        {
            return;
        }

        var pauses = new GcPauseWatch();
        // Opt-in: the GC's verbose events cost a little on every ~100 KB allocated.
        using var large = Environment.GetEnvironmentVariable("LAMBDA_STATS_LOH") == "1" ? new LargeAllocationListener() : null;
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        var started = Stopwatch.GetTimestamp();
        var next = TimeSpan.Zero;
        var cpu = new CpuWatch();
        try
        {
            while (true)
            {
                if (Stopwatch.GetElapsedTime(started) >= next)
                {
                    next += TimeSpan.FromSeconds(seconds);
                    Log(logger, pauses.TakeInterval(), cpu.TakeCores(), speedState?.Invoke() ?? default, large?.TakeSummary(6));
                }

                // Sampled often, so most collections' pauses are seen (the runtime reports only the last of each kind).
                await poll.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
                pauses.Sample();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static void Log(ILogger logger, GcPauseWatch.Interval gc, double cpuCores, SpeedStateSize speed, string? largeAllocations)
    {
        var info = GC.GetGCMemoryInfo(GCKind.Any);
        // What survived the latest gen2 collection: the live heap then, without the garbage waiting for
        // the next one (the heap size swings with that garbage, mostly large arrays).
        var background = GC.GetGCMemoryInfo(GCKind.Background);
        var blocking = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        var lastFull = background.Index > blocking.Index ? background : blocking;
        var generations = info.GenerationInfo.ToArray();
        double Size(int g) => generations.Length > g ? generations[g].SizeAfterBytes / MiB : 0;
        double Fragmented(int g) => generations.Length > g ? generations[g].FragmentationAfterBytes / MiB : 0;
        ThreadPool.GetAvailableThreads(out var workersFree, out _);
        ThreadPool.GetMaxThreads(out var workersMax, out _);
        LogStats(logger, Environment.WorkingSet, info.HeapSizeBytes, GC.CollectionCount(2),
            string.Create(CultureInfo.InvariantCulture,
                $"{ResidentSplit()} live_after_gen2_mb={lastFull.PromotedBytes / MiB:F1} gen0_mb={Size(0):F1} gen1_mb={Size(1):F1} gen2_mb={Size(2):F1} loh_mb={Size(3):F1} poh_mb={Size(4):F1} " +
                $"gen2_frag_mb={Fragmented(2):F1} loh_frag_mb={Fragmented(3):F1} committed_mb={info.TotalCommittedBytes / MiB:F1} " +
                $"gcs={gc.Collections} gc_pause_ms={gc.PauseMs:F1} gc_pause_max_ms={gc.MaxPauseMs:F1} gc_pause_max_gen={gc.MaxPauseGeneration} " +
                $"gc_time_pct={info.PauseTimePercentage:F1} cpu_cores={cpuCores:F2} pool_threads={ThreadPool.ThreadCount} pool_busy={workersMax - workersFree} " +
                $"pool_queue={ThreadPool.PendingWorkItemCount} " +
                $"windows={speed.Windows} window_sketches={speed.WindowSketches} window_mb={speed.WindowBytes / MiB:F1} dedupe_ids={speed.DedupeIds} dedupe_slots={speed.DedupeSlots} pending={speed.PendingJoins} ads={speed.Ads}{(largeAllocations is null ? "" : " loh_alloc_mb=" + largeAllocations)}"));
    }

    /// <summary>
    /// RSS split as Linux counts it: anonymous memory (GC heap, native allocations) and file pages mapped into
    /// the process (e.g. SQLite's memory-mapped reads of views.db), which the kernel can drop under pressure.
    /// </summary>
    private static string ResidentSplit()
    {
        long anon = 0, file = 0;
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
                {
                    anon = Kilobytes(line);
                }
                else if (line.StartsWith("RssFile:", StringComparison.Ordinal))
                {
                    file = Kilobytes(line);
                }
            }
        }
        catch (IOException)
        {
            // Not Linux: the split is unknown.
        }

        return string.Create(CultureInfo.InvariantCulture, $"rss_anon_mb={anon / 1024.0:F1} rss_file_mb={file / 1024.0:F1}");
    }

    private static long Kilobytes(string statusLine) =>
        long.Parse(statusLine.AsSpan(statusLine.IndexOf(':', StringComparison.Ordinal) + 1).Trim().TrimEnd("kB").Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture);

    [LoggerMessage(EventId = CliLogEvents.ProcessStats, Level = LogLevel.Information, Message = "Process stats: rss_bytes={RssBytes} gc_heap_bytes={GcHeapBytes} gen2_collections={Gen2} {Details}")]
    private static partial void LogStats(ILogger logger, long rssBytes, long gcHeapBytes, int gen2, string details);
}
