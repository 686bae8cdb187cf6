using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Lambda.Generator;
using Lambda.Generator.Pacing;
using Lambda.SharedModel.Bots;
using Lambda.Speed;
using Lambda.Store.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lambda.Bench;

/// <summary>
/// Append-to-visible latency under an open-loop load: the generator appends at a fixed rate on
/// the wall clock (never waiting for the consumer), the speed layer runs beside it, and every
/// flush reports up to which log time its partition is visible in the speed view. A batch of
/// records acknowledged by the log at time t is visible once every partition has reported a log
/// time of at least t; its latency is that moment minus t (conservative: a record's own log time
/// is at or before t). Percentiles are weighted by records; the warm-up is excluded.
/// </summary>
public static class SpeedLatencyBench
{
    private readonly record struct AppendedBatch(long AckMs, int Count);

    public static async Task RunAsync(long rate, TimeSpan duration, TimeSpan warmup, TimeSpan flushInterval, int workers, string? directory, TextWriter output,
        CancellationToken cancellationToken)
    {
        const int Partitions = 4;
        await using var env = await BenchEnvironment.CreateAsync(directory, Partitions).ConfigureAwait(false);
        await using var store = new SqliteViewStore(Path.Combine(env.Directory, "views.db"));
        await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var reports = new ConcurrentQueue<SpeedFlushReport>();
        var speed = new SpeedLayer(env.Log, store, BotRules.Default,
            new SpeedOptions { CheckpointDirectory = Path.Combine(env.Directory, "speed"), Workers = workers, FlushInterval = flushInterval },
            NullLoggerFactory.Instance, TimeProvider.System)
        {
            OnFlushed = reports.Enqueue,
        };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = speed.RunAsync(stop.Token);

        var options = new GeneratorOptions { Seed = 7, Campaigns = 100, AdsPerCampaign = 10, EventsPerSecond = rate };
        var pacer = OpenLoopPacer.FollowingClock(options, TimeProvider.System);
        var batches = new List<AppendedBatch>();
        var batch = new GeneratedBatch(16_384);
        var started = Stopwatch.GetTimestamp();
        var measureFrom = TimeProvider.System.GetUtcNow().Add(warmup).ToUnixTimeMilliseconds();
        await using (var producer = env.Log.CreateProducer())
        {
            while (Stopwatch.GetElapsedTime(started) < warmup + duration)
            {
                var sent = pacer.EmitDue(batch, b =>
                {
                    for (var i = 0; i < b.Count; i++)
                    {
                        producer.Enqueue(b.Topic(i), b.Key(i), b.Value(i), 0);
                    }
                });
                if (sent > 0)
                {
                    await producer.FlushAsync(cancellationToken).ConfigureAwait(false);
                    batches.Add(new AppendedBatch(TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds(), (int)sent));
                }

                await Task.Delay(2, cancellationToken).ConfigureAwait(false);
            }
        }

        // Let the last records become visible, then stop.
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        await running.ConfigureAwait(false);

        var byPartition = Enumerable.Range(0, Partitions)
            .Select(p => reports.Where(r => r.Partition == p).OrderBy(r => r.VisibleAt).ToArray())
            .ToArray();
        var samples = new List<(double LatencyMs, int Weight)>();
        long unseen = 0;
        foreach (var appended in batches.Where(b => b.AckMs >= measureFrom))
        {
            double visible = 0;
            foreach (var partition in byPartition)
            {
                var first = Array.FindIndex(partition, r => r.LogTimeMs >= appended.AckMs);
                if (first < 0)
                {
                    visible = double.NaN;
                    break;
                }

                visible = Math.Max(visible, partition[first].VisibleAt.ToUnixTimeMilliseconds());
            }

            if (double.IsNaN(visible))
            {
                unseen += appended.Count;
                continue;
            }

            samples.Add((visible - appended.AckMs, appended.Count));
        }

        var measured = batches.Where(b => b.AckMs >= measureFrom).Sum(b => (long)b.Count);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"""
            speed latency: open loop at {rate:N0} events/s for {duration.TotalSeconds:F0} s after a {warmup.TotalSeconds:F0} s warm-up, flush every {flushInterval.TotalMilliseconds:F0} ms, {workers} workers, {Environment.ProcessorCount} cores
              achieved append rate: {measured / duration.TotalSeconds:N0} events/s ({measured:N0} events measured, {unseen:N0} never reported visible)
              append -> visible: p50 {Percentile(samples, 0.50):F0} ms, p90 {Percentile(samples, 0.90):F0} ms, p99 {Percentile(samples, 0.99):F0} ms, max {Percentile(samples, 1.0):F0} ms
            """)).ConfigureAwait(false);
    }

    private static double Percentile(List<(double LatencyMs, int Weight)> samples, double quantile)
    {
        if (samples.Count == 0)
        {
            return double.NaN;
        }

        var ordered = samples.OrderBy(s => s.LatencyMs).ToList();
        var total = ordered.Sum(s => (long)s.Weight);
        var target = quantile * total;
        long seen = 0;
        foreach (var (latency, weight) in ordered)
        {
            seen += weight;
            if (seen >= target)
            {
                return latency;
            }
        }

        return ordered[^1].LatencyMs;
    }
}
