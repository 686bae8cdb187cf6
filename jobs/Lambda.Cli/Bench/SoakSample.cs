using System.Globalization;

namespace Lambda.Cli.Bench;

/// <summary>One row of the soak CSV: the host's memory, the speed layer's lag and the API's query latency over one interval.</summary>
internal sealed record SoakSample(double ElapsedSeconds, long RssBytes, long GcHeapBytes, long Lag, double ProcessedPerSecond,
    int Queries, int Errors, double P50Ms, double P99Ms)
{
    public const string CsvHeader = "elapsed_s,rss_mb,gc_heap_mb,lag_records,processed_per_s,queries,query_errors,p50_ms,p99_ms";

    public string ToCsv() => string.Create(CultureInfo.InvariantCulture,
        $"{ElapsedSeconds:F0},{RssBytes / 1048576.0:F1},{GcHeapBytes / 1048576.0:F1},{Lag},{ProcessedPerSecond:F0},{Queries},{Errors},{P50Ms:F1},{P99Ms:F1}");
}
