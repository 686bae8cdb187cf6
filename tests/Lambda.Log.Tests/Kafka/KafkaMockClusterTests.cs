using System.Text;
using Lambda.Log.Kafka;
using Lambda.SharedModel.Log;
using Lambda.SharedModel.Partitioning;

namespace Lambda.Log.Tests.Kafka;

/// <summary>
/// The Kafka log against librdkafka's in-process mock cluster: producer, reader, watermarks and
/// group commits over the real Kafka protocol, with no broker installed.
/// </summary>
public sealed class KafkaMockClusterTests : IAsyncLifetime
{
    private const string Topic = "ad-served";
    private const int Partitions = 4;
    private readonly LibrdkafkaMockCluster _cluster;
    private readonly KafkaEventLog _log;

    public KafkaMockClusterTests()
    {
        KafkaNative.EnsureLoaded();
        _cluster = new LibrdkafkaMockCluster();
        _cluster.CreateTopic(Topic, Partitions);
        _log = new KafkaEventLog(_cluster.LogOptions(TimeSpan.FromSeconds(20)));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _log.DisposeAsync();
        _cluster.Dispose();
    }

    [Fact]
    public async Task keyed_records_land_in_the_murmur2_partition_and_read_back_exactly()
    {
        await using var producer = _log.CreateProducer();
        var keys = Enumerable.Range(0, 100).Select(i => $"ad-{i}").ToArray();
        foreach (var key in keys)
        {
            var bytes = Encoding.UTF8.GetBytes(key);
            var partition = producer.Enqueue(Topic, bytes, Encoding.UTF8.GetBytes($"v:{key}"), 1_700_000_000_000 + key.Length);
            Assert.Equal(KafkaPartitioner.PartitionFor(bytes, Partitions), partition);
        }

        await producer.FlushAsync();

        using var reader = _log.CreateReader();
        var batch = new RecordBatch();
        var read = new List<string>();
        for (var p = 0; p < Partitions; p++)
        {
            var tp = new TopicPartition(Topic, p);
            await reader.ReadAsync(tp, 0, batch, 1000, TimeSpan.Zero);
            Assert.Equal((await _log.GetOffsetsAsync(tp)).End, batch.NextOffset);
            for (var i = 0; i < batch.Count; i++)
            {
                var key = Encoding.UTF8.GetString(batch[i].Key);
                Assert.Equal(i, batch[i].Offset);
                Assert.Equal(p, KafkaPartitioner.PartitionFor(batch[i].Key, Partitions));
                Assert.Equal($"v:{key}", Encoding.UTF8.GetString(batch[i].Value));
                read.Add(key);
            }
        }

        Assert.Equal(keys.Order(StringComparer.Ordinal), read.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task a_record_carries_its_append_time_not_the_callers_timestamp_even_on_a_create_time_topic()
    {
        // The mock's topics are CreateTime (it ignores topic configs), as is a topic created outside Lambda.
        var tp = new TopicPartition(Topic, 3);
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using (var producer = _log.CreateProducer())
        {
            producer.Enqueue(tp, "k"u8, "a past create time"u8, 1_700_000_000_000);
            producer.Enqueue(Topic, "k"u8, "no create time"u8, 0);
            await producer.FlushAsync();
        }

        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        using var reader = _log.CreateReader();
        var batch = new RecordBatch();
        var read = new List<long>();
        for (var p = 0; p < Partitions; p++)
        {
            await reader.ReadAsync(new TopicPartition(Topic, p), 0, batch, 10, TimeSpan.Zero);
            read.AddRange(Enumerable.Range(0, batch.Count).Select(i => batch[i].TimestampMs));
        }

        Assert.Equal(2, read.Count);
        Assert.All(read, t => Assert.InRange(t, before, after));
    }

    [Fact]
    public async Task reads_continue_from_any_offset_and_stop_at_max_records()
    {
        var tp = new TopicPartition(Topic, 2);
        await using var producer = _log.CreateProducer();
        for (var i = 0; i < 10; i++)
        {
            producer.Enqueue(tp, "k"u8, Encoding.UTF8.GetBytes($"{i}"), 1_700_000_000_000);
        }

        await producer.FlushAsync();
        using var reader = _log.CreateReader();
        var batch = new RecordBatch();

        await reader.ReadAsync(tp, 3, batch, 4, TimeSpan.FromSeconds(5));
        Assert.Equal([3L, 4, 5, 6], Offsets(batch));
        await reader.ReadAsync(tp, batch.NextOffset, batch, 100, TimeSpan.FromSeconds(5));
        Assert.Equal([7L, 8, 9], Offsets(batch));
        await reader.ReadAsync(tp, 1, batch, 1, TimeSpan.FromSeconds(5));
        Assert.Equal("1", Encoding.UTF8.GetString(batch[0].Value));
    }

    [Fact]
    public async Task a_read_at_the_end_returns_an_empty_batch_and_sees_records_flushed_later()
    {
        var tp = new TopicPartition(Topic, 1);
        using var reader = _log.CreateReader();
        var batch = new RecordBatch();

        await reader.ReadAsync(tp, 0, batch, 10, TimeSpan.FromMilliseconds(200));
        Assert.Equal(0, batch.Count);
        Assert.Equal(0, batch.NextOffset);

        await using var producer = _log.CreateProducer();
        producer.Enqueue(tp, "k"u8, "late"u8, 1_700_000_000_000);
        await producer.FlushAsync();

        await reader.ReadAsync(tp, 0, batch, 10, TimeSpan.Zero);
        Assert.Equal(1, batch.Count);
        Assert.Equal("late", Encoding.UTF8.GetString(batch[0].Value));
    }

    [Fact]
    public async Task a_group_reads_back_the_offsets_it_committed()
    {
        var first = new TopicPartition(Topic, 0);
        var second = new TopicPartition(Topic, 3);

        Assert.Null(await _log.GetCommittedAsync("speed", first));
        await _log.CommitAsync("speed", [new TopicPartitionOffset(first, 7), new TopicPartitionOffset(second, 42)]);

        Assert.Equal(7, await _log.GetCommittedAsync("speed", first));
        Assert.Equal(42, await _log.GetCommittedAsync("speed", second));
        Assert.Null(await _log.GetCommittedAsync("batch", first));
    }

    [Fact]
    public async Task topics_are_listed_and_an_unknown_topic_is_reported()
    {
        Assert.Contains(new TopicDescription(Topic, Partitions), await _log.ListTopicsAsync());

        await Assert.ThrowsAsync<UnknownTopicException>(async () => await _log.GetOffsetsAsync(new TopicPartition("no-such-topic", 0)));
        using var reader = _log.CreateReader();
        await Assert.ThrowsAsync<UnknownTopicException>(async () =>
            await reader.ReadAsync(new TopicPartition("no-such-topic", 0), 0, new RecordBatch(), 1, TimeSpan.Zero));
    }

    [Fact]
    public async Task a_partition_outside_the_topic_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () =>
            await _log.GetOffsetsAsync(new TopicPartition(Topic, Partitions)));
    }

    private static long[] Offsets(RecordBatch batch) =>
        Enumerable.Range(0, batch.Count).Select(i => batch[i].Offset).ToArray();
}
