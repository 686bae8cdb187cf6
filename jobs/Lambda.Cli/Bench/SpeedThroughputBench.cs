using System.Diagnostics;
using System.Globalization;
using Lambda.Generator;
using Lambda.SharedModel.Bots;
using Lambda.Speed;
using Lambda.Store.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lambda.Cli.Bench;

/// <summary>
/// Sustained speed-layer throughput: N generated events (C campaigns, Zipf-skewed) are appended to
/// an embedded log first, then the whole pipeline (read, decode, bot filter, dedupe, join,
/// aggregate, HLL, write to SQLite) runs until every event is processed. The physical reference
/// measured in the same run is a bare replay of the same log.
/// </summary>
internal static class SpeedThroughputBench
{
    public static async Task RunAsync(long events, int campaigns, int workers, string? directory, TextWriter output, CancellationToken cancellationToken)
    {
        await using var env = await BenchEnvironment.CreateAsync(directory, partitions: 4).ConfigureAwait(false);
        var options = new GeneratorOptions
        {
            Seed = 42,
            Campaigns = campaigns,
            AdsPerCampaign = 10,
            Advertisers = Math.Max(1, campaigns / 10),
            Users = 1_000_000,
            CampaignZipfExponent = 1.1,
            EventsPerSecond = 100_000,
            StartTime = DateTimeOffset.UtcNow.AddHours(-1),
        };
        var append = Stopwatch.StartNew();
        await using (var producer = env.Log.CreateProducer())
        {
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

        append.Stop();
        var replay = Stopwatch.StartNew();
        var replayed = await env.ReplayAllAsync(cancellationToken).ConfigureAwait(false);
        replay.Stop();

        await using var store = new SqliteViewStore(Path.Combine(env.Directory, "views.db"));
        await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var speedOptions = new SpeedOptions { CheckpointDirectory = Path.Combine(env.Directory, "speed"), Workers = workers };
        long processed = 0;
        var caughtUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var perPartition = new long[4];
        var speed = new SpeedLayer(env.Log, store, BotRules.Default, speedOptions, NullLoggerFactory.Instance, TimeProvider.System)
        {
            OnFlushed = report =>
            {
                Interlocked.Exchange(ref perPartition[report.Partition], report.Processed);
                if (Interlocked.Read(ref perPartition[0]) + Interlocked.Read(ref perPartition[1])
                    + Interlocked.Read(ref perPartition[2]) + Interlocked.Read(ref perPartition[3]) >= replayed)
                {
                    caughtUp.TrySetResult();
                }
            },
        };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pipeline = Stopwatch.StartNew();
        var running = speed.RunAsync(stop.Token);
        await caughtUp.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        pipeline.Stop();
        processed = perPartition.Sum();
        await stop.CancelAsync().ConfigureAwait(false);
        await running.ConfigureAwait(false);

        var rate = processed / pipeline.Elapsed.TotalSeconds;
        var replayRate = replayed / replay.Elapsed.TotalSeconds;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"""
            speed throughput: {processed:N0} events, {campaigns} campaigns (Zipf 1.1), {workers} workers, {Environment.ProcessorCount} cores
              generate + append: {events / append.Elapsed.TotalSeconds:N0} events/s
              replay (reference): {replayRate:N0} records/s
              pipeline (log -> views): {pipeline.Elapsed.TotalSeconds:F2} s = {rate:N0} events/s  (ratio to replay {rate / replayRate:F3})
            """)).ConfigureAwait(false);
    }
}
