using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Lambda.SharedModel.Views;

namespace Lambda.Speed;

/// <summary>
/// The speed layer's metrics (meter <c>Lambda.Speed</c>), exported by whatever the host wires up (the
/// serving host's <c>/metrics</c>). Per-partition figures are read from each running layer's latest
/// status at scrape time, so the hot path pays nothing for them; flush and checkpoint durations are
/// recorded where they happen.
/// </summary>
internal static class SpeedMeter
{
    private static readonly Meter Meter = new("Lambda.Speed");
    private static readonly ConcurrentDictionary<SpeedLayer, byte> Running = new();

    // Seconds from 1 ms to 10 s (the exporters' default buckets are for milliseconds).
    private static readonly InstrumentAdvice<double> Seconds = new()
    {
        HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    };

    public static readonly Histogram<double> FlushDuration = Meter.CreateHistogram("lambda.speed.flush.duration", "s",
        "Time to write one batch of changed speed rows, counters and statuses to the view store (retries included).", tags: null, advice: Seconds);

    public static readonly Counter<long> RowsWritten = Meter.CreateCounter<long>("lambda.speed.rows_written", "{row}",
        "Speed rows written to the view store: only windows changed since the last flush are written.");

    public static readonly Histogram<double> CheckpointDuration = Meter.CreateHistogram("lambda.speed.checkpoint.duration", "s",
        "Time to write one partition checkpoint (a base or a delta) durably.", tags: null, advice: Seconds);

    static SpeedMeter()
    {
        Meter.CreateObservableGauge("lambda.speed.lag", () => PerPartition(s => s.Lag), "{record}",
            "Records in the log not yet processed, per partition.");
        Meter.CreateObservableGauge("lambda.speed.watermark", () => PerPartition(s => s.WatermarkMs == long.MinValue ? 0 : s.WatermarkMs / 1000),
            "s", "The partition's event-time watermark, in Unix seconds (0 before any event).");
        Counter("lambda.speed.records", s => s.Processed, "Records processed, per partition.");
        Counter("lambda.speed.late", s => s.Late, "Events behind the watermark, counted and not applied.");
        Counter("lambda.speed.duplicates", s => s.Duplicates, "Events whose event_id was already seen.");
        Counter("lambda.speed.bot_filtered", s => s.BotFiltered, "Events dropped by the bot rules.");
        Counter("lambda.speed.unattributed", s => s.Unattributed, "Views and clicks whose ad no served record named within the join horizon.");
        Counter("lambda.speed.dead_letters", s => s.DeadLettered, "Records dead-lettered (every reason).");
        Counter("lambda.speed.owner_mismatches", s => s.OwnerMismatched, "Served records naming an advertiser that does not own the campaign.");
        Counter("lambda.speed.future_dated", s => s.FutureDated, "Records whose event time lay too far ahead of their log time.");
    }

    /// <summary>Reports <paramref name="layer"/>'s partitions until the returned handle is disposed.</summary>
    public static IDisposable Track(SpeedLayer layer)
    {
        Running[layer] = 0;
        return new Untrack(layer);
    }

    private static void Counter(string name, Func<SpeedPartitionStatus, long> value, string description) =>
        Meter.CreateObservableCounter(name, () => PerPartition(value), "{record}", description);

    private static IEnumerable<Measurement<long>> PerPartition(Func<SpeedPartitionStatus, long> value) =>
        Running.Keys.SelectMany(layer => layer.Status)
            .Select(s => new Measurement<long>(value(s), new KeyValuePair<string, object?>("partition", s.Partition)));

    private sealed class Untrack(SpeedLayer layer) : IDisposable
    {
        public void Dispose() => Running.TryRemove(layer, out _);
    }
}
