using System.Diagnostics;
using System.Globalization;
using Lambda.Generator;
using Lambda.SharedModel.Bots;
using Lambda.Speed;
using Lambda.Store.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lambda.Bench;

/// <summary>
/// Sustained speed-layer throughput: N generated events (C campaigns, Zipf-skewed) are appended to
/// an embedded log first, then the whole pipeline (read, decode, bot filter, dedupe, join,
/// aggregate, HLL, write to SQLite) runs until every event is processed and visible. Only that
/// last phase is timed; nothing else runs beside it. A warm-up run of the same pipeline over a
/// small log goes first, so the measured run sees optimized (tier-1) code as a long-running speed
/// layer does. The physical reference measured in the same run is a bare replay of the same log;
/// the CPU time of the timed phase is printed too, a figure that depends less on other load.
/// </summary>
public static class SpeedThroughputBench
{
    private const int Partitions = 4;
    private const long WarmupEvents = 300_000;

    public static async Task RunAsync(long events, int campaigns, int workers, string? directory, TextWriter output, CancellationToken cancellationToken)
    {
        var options = new GeneratorOptions
        {
            Seed = 42,
            Campaigns = campaigns,
            AdsPerCampaign = 10,
            Advertisers = Math.Max(1, campaigns / 10),
            Users = 1_000_000,
            CampaignZipfExponent = 1.1,
            EventsPerSecond = 100_000,
            StartTime = TimeProvider.System.GetUtcNow().AddHours(-1),
        };
        await using (var warm = await BenchEnvironment.CreateAsync(directory, Partitions).ConfigureAwait(false))
        {
            await AppendAsync(warm, options, Math.Min(events, WarmupEvents), cancellationToken).ConfigureAwait(false);
            _ = await RunPipelineAsync(warm, workers, Math.Min(events, WarmupEvents), cancellationToken).ConfigureAwait(false);
        }

        await using var env = await BenchEnvironment.CreateAsync(directory, Partitions).ConfigureAwait(false);
        var append = Stopwatch.StartNew();
        await AppendAsync(env, options, events, cancellationToken).ConfigureAwait(false);
        append.Stop();
        var replay = Stopwatch.StartNew();
        var replayed = await env.ReplayAllAsync(cancellationToken).ConfigureAwait(false);
        replay.Stop();

        var (processed, pipeline) = await RunPipelineAsync(env, workers, replayed, cancellationToken).ConfigureAwait(false);
        var rate = processed / pipeline.Elapsed.TotalSeconds;
        var replayRate = replayed / replay.Elapsed.TotalSeconds;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"""
            speed throughput: {processed:N0} events ({string.Join(" + ", pipeline.PerPartition.Select(p => p.ToString("N0", CultureInfo.InvariantCulture)))} by partition), {campaigns} campaigns (Zipf 1.1), {workers} workers, {Environment.ProcessorCount} cores, load average {LoadAverage()}
              generate + append: {events / append.Elapsed.TotalSeconds:N0} events/s
              replay (reference): {replayRate:N0} records/s
              pipeline (log -> views): {pipeline.Elapsed.TotalSeconds:F2} s = {rate:N0} events/s  (ratio to replay {rate / replayRate:F3})
              pipeline CPU: {pipeline.CpuSeconds:F2} s = {pipeline.CpuSeconds * 1e9 / processed:F0} ns/event ({pipeline.CpuSeconds / pipeline.Elapsed.TotalSeconds:F2} cores busy); allocated {(double)pipeline.AllocatedBytes / processed:F0} B/event; GCs gen0 {pipeline.Gen0}, gen2 {pipeline.Gen2}
            """)).ConfigureAwait(false);
    }

    private static async Task AppendAsync(BenchEnvironment env, GeneratorOptions options, long events, CancellationToken cancellationToken)
    {
        await using var producer = env.Log.CreateProducer();
        var generator = new TrafficGenerator(options);
        var batch = new GeneratedBatch(8192);
        long written = 0;
        while (written < events)
        {
            var n = generator.NextBatch(batch, (int)Math.Min(batch.Capacity, events - written));
            for (var i = 0; i < n; i++)
            {
                producer.Enqueue(batch.Topic(i), batch.Key(i), batch.Value(i), 0);
            }

            await producer.FlushAsync(cancellationToken).ConfigureAwait(false);
            written += n;
        }
    }

    private readonly record struct Measured(TimeSpan Elapsed, double CpuSeconds, long AllocatedBytes, int Gen0, int Gen2, long[] PerPartition);

    /// <summary>
    /// Runs the speed layer until flushes report every record processed and visible; returns how
    /// many, and what the run took from its start to that moment (not the clean stop after it).
    /// </summary>
    private static async Task<(long Processed, Measured Measured)> RunPipelineAsync(BenchEnvironment env, int workers, long records, CancellationToken cancellationToken)
    {
        await using var store = new SqliteViewStore(Path.Combine(env.Directory, "views.db"));
        await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var speedOptions = new SpeedOptions { CheckpointDirectory = Path.Combine(env.Directory, "speed"), Workers = workers };
        var caughtUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var perPartition = new long[Partitions];
        var speed = new SpeedLayer(env.Log, store, BotRules.Default, speedOptions, NullLoggerFactory.Instance, TimeProvider.System)
        {
            OnFlushed = report =>
            {
                Interlocked.Exchange(ref perPartition[report.Partition], report.Processed);
                long total = 0;
                for (var p = 0; p < Partitions; p++)
                {
                    total += Interlocked.Read(ref perPartition[p]);
                }

                if (total >= records)
                {
                    caughtUp.TrySetResult();
                }
            },
        };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var (gen0, gen2, allocated) = (GC.CollectionCount(0), GC.CollectionCount(2), GC.GetTotalAllocatedBytes());
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var running = speed.RunAsync(stop.Token);
        await caughtUp.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        var measured = new Measured(clock.Elapsed, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds,
            GC.GetTotalAllocatedBytes() - allocated, GC.CollectionCount(0) - gen0, GC.CollectionCount(2) - gen2, [.. perPartition]);
        var processed = perPartition.Sum();
        await stop.CancelAsync().ConfigureAwait(false);
        await running.ConfigureAwait(false);
        return (processed, measured);
    }

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "n/a";
        }
    }
}
