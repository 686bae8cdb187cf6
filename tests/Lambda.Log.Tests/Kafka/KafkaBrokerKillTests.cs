using System.Collections.Concurrent;
using System.Text;
using Confluent.Kafka;
using Lambda.Log.Kafka;
using Lambda.SharedModel.Log;
using Lambda.Tests.Shared;
using TopicPartition = Lambda.SharedModel.Log.TopicPartition;

namespace Lambda.Log.Tests.Kafka;

/// <summary>
/// kill -9 of the broker leading most partitions while records are appended and read, on a private
/// 3-broker cluster (infra/kafka-cluster.sh, from ../shared/engines/kafka; skipped without it, failed
/// on CI). Every acknowledged record must be in the log exactly once afterwards, and the reader that
/// ran through the fault must have seen each at most once. The views' side is KafkaFaultTests (tests/Lambda.Cli.Tests).
/// </summary>
public sealed class KafkaBrokerKillTests
{
    private const string Topic = "ad-served";
    private const int Partitions = 6;
    private const int Batches = 30;
    private const int BatchSize = 400;
    private const int KillAfterBatch = 8;

    [SkippableFact]
    public async Task killing_the_busiest_leader_loses_no_acknowledged_record_and_duplicates_none()
    {
        using var cluster = PrivateKafkaCluster.Start();
        var bootstrap = cluster.Bootstrap;
        var options = new KafkaLogOptions { BootstrapServers = bootstrap, DeliveryTimeout = TimeSpan.FromSeconds(60), RequestTimeout = TimeSpan.FromSeconds(30) };
        await using var log = new KafkaEventLog(options);
        await log.CreateTopicAsync(Topic, Partitions);

        using var stop = new CancellationTokenSource();
        var seen = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var reading = Task.Run(() => ReadUntilStoppedAsync(log, seen, stop.Token));

        var acknowledged = new List<string>();
        var unacknowledged = new List<string>();
        int? killed = null;
        await using (var producer = log.CreateProducer())
        {
            for (var b = 0; b < Batches; b++)
            {
                if (b == KillAfterBatch)
                {
                    killed = cluster.BusiestLeader();
                    cluster.Broker("kill", killed.Value);
                }

                var batch = Enumerable.Range(0, BatchSize).Select(i => $"r{b}-{i}").ToList();
                foreach (var value in batch)
                {
                    var bytes = Encoding.UTF8.GetBytes(value);
                    producer.Enqueue(Topic, bytes, bytes, 0);
                }

                try
                {
                    await producer.FlushAsync();
                    acknowledged.AddRange(batch);
                }
                catch (KafkaDeliveryException)
                {
                    // Not acknowledged: it may or may not be in the log, but at most once.
                    unacknowledged.AddRange(batch);
                }
            }
        }

        // Everything acknowledged is readable from the surviving replicas; then the concurrent reader catches up.
        var inLog = await ReadAllAsync(log);
        await WaitUntilAsync(() => seen.Count >= inLog.Count, TimeSpan.FromMinutes(2));
        await stop.CancelAsync();
        await reading;

        Assert.NotNull(killed);
        Assert.True(acknowledged.Count > Batches * BatchSize / 2, $"only {acknowledged.Count} records acknowledged, {unacknowledged.Count} not");
        Assert.Empty(acknowledged.Where(v => inLog.GetValueOrDefault(v) != 1).Take(5).Select(v => $"{v} x{inLog.GetValueOrDefault(v)}"));
        Assert.Empty(inLog.Where(kv => kv.Value > 1).Take(5).Select(kv => $"{kv.Key} x{kv.Value}"));
        Assert.Empty(seen.Where(kv => kv.Value > 1).Take(5).Select(kv => $"{kv.Key} seen x{kv.Value}"));
        Assert.Equal(inLog.Keys.Order(StringComparer.Ordinal), seen.Keys.Order(StringComparer.Ordinal));
    }

    // The reader the speed layer would be: positional reads per partition, on from NextOffset.
    private static async Task ReadUntilStoppedAsync(KafkaEventLog log, ConcurrentDictionary<string, int> seen, CancellationToken stop)
    {
        using var reader = log.CreateReader();
        var next = new long[Partitions];
        var batch = new RecordBatch();
        while (!stop.IsCancellationRequested)
        {
            for (var p = 0; p < Partitions && !stop.IsCancellationRequested; p++)
            {
                try
                {
                    await reader.ReadAsync(new TopicPartition(Topic, p), next[p], batch, 1000, TimeSpan.FromMilliseconds(50), stop);
                }
                catch (Exception e) when (e is KafkaException or KafkaUnavailableException)
                {
                    continue; // the dead leader: the reader tries again once a new one is elected
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                for (var i = 0; i < batch.Count; i++)
                {
                    seen.AddOrUpdate(Encoding.UTF8.GetString(batch[i].Value), 1, (_, n) => n + 1);
                }

                next[p] = batch.NextOffset;
            }
        }
    }

    private static async Task<Dictionary<string, int>> ReadAllAsync(KafkaEventLog log)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        using var reader = log.CreateReader();
        var batch = new RecordBatch();
        for (var p = 0; p < Partitions; p++)
        {
            var tp = new TopicPartition(Topic, p);
            var end = (await log.GetOffsetsAsync(tp)).End;
            for (long offset = 0; offset < end; offset = batch.NextOffset)
            {
                await reader.ReadAsync(tp, offset, batch, 5000, TimeSpan.FromSeconds(10));
                for (var i = 0; i < batch.Count; i++)
                {
                    var value = Encoding.UTF8.GetString(batch[i].Value);
                    counts[value] = counts.GetValueOrDefault(value) + 1;
                }
            }
        }

        return counts;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"the reader did not catch up within {patience}");
            await Task.Delay(200);
        }
    }
}
