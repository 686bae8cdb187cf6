using System.Text;
using Lambda.Log.Kafka;
using Lambda.SharedModel.Log;
using Lambda.SharedModel.Partitioning;
using Lambda.Tests.Shared;

namespace Lambda.Log.Tests.Kafka;

/// <summary>
/// A few end-to-end checks of the Kafka log against a real cluster (LAMBDA_KAFKA_BOOTSTRAP). The
/// log is created in InitializeAsync, as the contract suite does, so a skip there is a skip here too.
/// </summary>
public sealed class KafkaLogSmokeTests : IAsyncLifetime
{
    private readonly string _topic = $"smoke-{Guid.NewGuid():N}";
    private KafkaEventLog? _log;

    private KafkaEventLog Log => _log!;

    public Task InitializeAsync()
    {
        _log = KafkaTestCluster.CreateLogOrSkip();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_log is not null)
        {
            await _log.DisposeAsync();
        }
    }

    [SkippableFact]
    public async Task keyed_records_land_in_the_murmur2_partition_and_read_back_in_order()
    {
        await Log.CreateTopicAsync(_topic, 4);
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using var producer = Log.CreateProducer();
        var keys = Enumerable.Range(0, 40).Select(i => $"ad-{i}").ToArray();
        foreach (var key in keys)
        {
            var bytes = Encoding.UTF8.GetBytes(key);
            var partition = producer.Enqueue(_topic, bytes, Encoding.UTF8.GetBytes($"value of {key}"), 1_700_000_000_000);
            Assert.Equal(KafkaPartitioner.PartitionFor(bytes, 4), partition);
        }

        await producer.FlushAsync();
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        using var reader = Log.CreateReader();
        var batch = new RecordBatch();
        var read = new List<string>();
        for (var p = 0; p < 4; p++)
        {
            var tp = new TopicPartition(_topic, p);
            await reader.ReadAsync(tp, 0, batch, 1000, TimeSpan.FromSeconds(5));
            Assert.Equal((await Log.GetOffsetsAsync(tp)).End, batch.NextOffset);
            for (var i = 0; i < batch.Count; i++)
            {
                var key = Encoding.UTF8.GetString(batch[i].Key);
                Assert.Equal(p, KafkaPartitioner.PartitionFor(batch[i].Key, 4));
                Assert.Equal($"value of {key}", Encoding.UTF8.GetString(batch[i].Value));
                // The topic is LogAppendTime: the broker's clock at append (a minute of skew allowed), not the caller's.
                Assert.InRange(batch[i].TimestampMs, before - 60_000, after + 60_000);
                read.Add(key);
            }
        }

        Assert.Equal(keys.Order(StringComparer.Ordinal), read.Order(StringComparer.Ordinal));
    }

    [SkippableFact]
    public async Task a_group_reads_back_the_offset_it_committed()
    {
        await Log.CreateTopicAsync(_topic, 2);
        var tp = new TopicPartition(_topic, 1);
        var group = $"group-{Guid.NewGuid():N}";

        Assert.Null(await Log.GetCommittedAsync(group, tp));
        await Log.CommitAsync(group, [new TopicPartitionOffset(tp, 7)]);
        Assert.Equal(7, await Log.GetCommittedAsync(group, tp));
    }

    [SkippableFact]
    public async Task creating_an_existing_topic_with_another_partition_count_is_refused()
    {
        await Log.CreateTopicAsync(_topic, 2);
        await Log.CreateTopicAsync(_topic, 2);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await Log.CreateTopicAsync(_topic, 3));
        Assert.Contains(new TopicDescription(_topic, 2), await Log.ListTopicsAsync());
    }

    [SkippableFact]
    public async Task a_created_topic_has_the_asked_replication_min_insync_replicas_and_unlimited_retention()
    {
        await Log.CreateTopicAsync(_topic, 2);

        var state = Assert.Single(await Log.DescribeTopicsAsync(), t => t.Name == _topic);

        Assert.Equal(new KafkaTopicState(_topic, 2, KafkaTestCluster.ReplicationFactor, KafkaTestCluster.ReplicationFactor, 0,
            KafkaTestCluster.MinInSyncReplicas.ToString(System.Globalization.CultureInfo.InvariantCulture), "-1", "-1"), state);
    }

    [SkippableFact]
    public async Task an_existing_topic_with_another_retention_is_refused_naming_the_difference()
    {
        await Log.CreateTopicAsync(_topic, 2);
        var options = KafkaTestCluster.Options();
        options.Retention = TimeSpan.FromDays(7);
        await using var other = new KafkaEventLog(options);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(async () => await other.CreateTopicAsync(_topic, 2));

        Assert.Contains($"topic '{_topic}' exists with other settings than asked for: retention.ms=-1, not 604800000", e.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task asking_for_more_replicas_than_brokers_fails_naming_both_numbers()
    {
        var options = KafkaTestCluster.Options();
        var brokers = KafkaTestCluster.Brokers;
        options.ReplicationFactor = (short)(brokers + 1);
        await using var other = new KafkaEventLog(options);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(async () => await other.CreateTopicAsync(_topic, 2));

        Assert.Contains($"needs {brokers + 1} replicas but the cluster at {options.BootstrapServers} has {brokers} broker(s)", e.Message, StringComparison.Ordinal);
    }
}
