using System.Globalization;

namespace Lambda.Bench;

/// <summary>
/// One row of the soak CSV: the host's memory, the speed layer's lag and the API's query latency over one
/// interval. Memory comes from the host's own stats line (see jobs/Lambda.Cli/Hosting/ProcessStats.cs): RSS, the GC heap (with
/// the garbage waiting for the next gen2 collection), the live heap (what survived the latest gen2), the
/// longest GC pause, and the speed state's windows and dedupe ids.
/// </summary>
internal sealed record SoakSample(double ElapsedSeconds, long RssBytes, long GcHeapBytes, long Lag, double ProcessedPerSecond,
    int Queries, int Errors, double P50Ms, double P99Ms)
{
    public const string CsvHeader =
        "elapsed_s,rss_mb,gc_heap_mb,lag_records,processed_per_s,queries,query_errors,p50_ms,p99_ms,live_heap_mb,gc_pause_max_ms,host_cpu_cores,windows,dedupe_ids,log_mb";

    /// <summary>Heap that survived the latest gen2 collection, in bytes.</summary>
    public long LiveHeapBytes { get; init; }

    /// <summary>Longest GC pause the host saw in the interval.</summary>
    public double GcPauseMaxMs { get; init; }

    /// <summary>CPU the host used in the interval, in cores.</summary>
    public double HostCpuCores { get; init; }

    /// <summary>Speed windows in memory (summed over partitions).</summary>
    public long Windows { get; init; }

    /// <summary>Event ids the dedupe windows hold (summed over partitions).</summary>
    public long DedupeIds { get; init; }

    /// <summary>Size of the host's embedded log on disk (bounded by its retention).</summary>
    public long LogBytes { get; init; }

    public string ToCsv() => string.Create(CultureInfo.InvariantCulture,
        $"{ElapsedSeconds:F0},{RssBytes / 1048576.0:F1},{GcHeapBytes / 1048576.0:F1},{Lag},{ProcessedPerSecond:F0},{Queries},{Errors},{P50Ms:F1},{P99Ms:F1}," +
        $"{LiveHeapBytes / 1048576.0:F1},{GcPauseMaxMs:F1},{HostCpuCores:F2},{Windows},{DedupeIds},{LogBytes / 1048576.0:F0}");
}
