using Lambda.Generator;
using Lambda.Log.Kafka;
using Lambda.Log.Tests.Kafka;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Log;

namespace Lambda.Speed.Tests.Kafka;

/// <summary>
/// librdkafka's in-process mock cluster with the three event topics (co-partitioned), and
/// generated traffic produced into it.
/// </summary>
internal sealed class KafkaTraffic : IDisposable
{
    public const int Partitions = 4;

    private readonly LibrdkafkaMockCluster _cluster;

    public KafkaTraffic()
    {
        KafkaNative.EnsureLoaded();
        _cluster = new LibrdkafkaMockCluster();
        foreach (var topic in Topics.All)
        {
            _cluster.CreateTopic(topic, Partitions);
        }
    }

    public string BootstrapServers => _cluster.BootstrapServers;

    /// <summary>A log client of its own, as each speed process has.</summary>
    public KafkaEventLog OpenLog()
    {
        var options = _cluster.LogOptions(TimeSpan.FromSeconds(20));
        // The mock cluster waits session.timeout.ms - 1 s for members after a join or leave (a real
        // broker proceeds as soon as every member has rejoined): 6 s, Kafka's minimum, keeps tests short.
        options.ExtraConfig["consumer.session.timeout.ms"] = "6000";
        options.ExtraConfig["consumer.heartbeat.interval.ms"] = "500";
        return new KafkaEventLog(options);
    }

    /// <summary>Produces <paramref name="records"/> generated records; returns the generator (and its oracle).</summary>
    public async Task<TrafficGenerator> ProduceAsync(GeneratorOptions options, long records)
    {
        await using var log = OpenLog();
        // librdkafka stamps the produce time, standing in for the broker's append time.
        return await TrafficFixture.ProduceAsync(log, options, records);
    }

    /// <summary>
    /// Records the cluster still holds over every event topic-partition. The mock keeps at most 5 MB
    /// per partition and drops older records beyond that, so a test must stay below it.
    /// </summary>
    public async Task<long> RecordsKeptAsync()
    {
        await using var log = OpenLog();
        long kept = 0;
        foreach (var topic in Topics.EventTopics)
        {
            for (var p = 0; p < Partitions; p++)
            {
                var offsets = await log.GetOffsetsAsync(new TopicPartition(topic, p));
                kept += offsets.End - offsets.Start;
            }
        }

        return kept;
    }

    public void Dispose() => _cluster.Dispose();
}
