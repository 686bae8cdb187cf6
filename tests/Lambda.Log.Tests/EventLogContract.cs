using System.Diagnostics;
using System.Text;
using Lambda.SharedModel.Ingestion;
using Lambda.SharedModel.Log;
using Lambda.SharedModel.Partitioning;

namespace Lambda.Log.Tests;

/// <summary>
/// The event log contract, run against every implementation. A derived class supplies a fresh,
/// isolated log; tests name their topics through <see cref="Topic"/> so that implementations
/// sharing a server (Kafka) never see another test's data. Tests use [SkippableFact] so an
/// implementation whose server is not configured reports a skip with the reason.
/// </summary>
public abstract class EventLogContract : IAsyncLifetime
{
    private static readonly TimeSpan NoWait = TimeSpan.Zero;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];

    protected IEventLog Log { get; private set; } = null!;

    /// <summary>Creates a fresh log; may call Skip.If(...) when its server is not configured.</summary>
    protected abstract Task<IEventLog> CreateLogAsync();

    /// <summary>A topic name unique to this test instance.</summary>
    protected string Topic(string name) => $"{name}-{_suffix}";

    public async Task InitializeAsync() => Log = await CreateLogAsync();

    public async Task DisposeAsync()
    {
        if (Log is not null)
        {
            await Log.DisposeAsync();
        }
    }

    [SkippableFact]
    public async Task created_topics_are_listed_with_their_partition_counts()
    {
        var served = Topic("served");
        var clicks = Topic("clicks");
        await Log.CreateTopicAsync(served, 3);
        await Log.CreateTopicAsync(clicks, 2);

        var topics = await Log.ListTopicsAsync();

        Assert.Contains(new TopicDescription(served, 3), topics);
        Assert.Contains(new TopicDescription(clicks, 2), topics);
    }

    [SkippableFact]
    public async Task creating_a_topic_again_with_the_same_partition_count_changes_nothing()
    {
        var topic = Topic("served");
        await Log.CreateTopicAsync(topic, 3);
        await AppendAsync(topic, 0, 5);

        await Log.CreateTopicAsync(topic, 3);

        Assert.Single(await Log.ListTopicsAsync(), t => t.Name == topic);
        Assert.Equal(5, (await Log.GetOffsetsAsync(new TopicPartition(topic, 0))).End);
    }

    [SkippableFact]
    public async Task creating_a_topic_again_with_another_partition_count_fails()
    {
        var topic = Topic("served");
        await Log.CreateTopicAsync(topic, 3);

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await Log.CreateTopicAsync(topic, 4));
        Assert.Contains(new TopicDescription(topic, 3), await Log.ListTopicsAsync());
    }

    [SkippableFact]
    public async Task keyed_records_land_in_the_partition_kafka_would_choose()
    {
        var topic = Topic("served");
        const int Partitions = 3;
        await Log.CreateTopicAsync(topic, Partitions);
        var keys = Enumerable.Range(0, 60).Select(i => $"ad-{i}").ToArray();
        var expected = new long[Partitions];
        await using (var producer = Log.CreateProducer())
        {
            foreach (var key in keys)
            {
                var partition = producer.Enqueue(topic, Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes("v"), 1);
                Assert.Equal(KafkaPartitioner.PartitionFor(Encoding.UTF8.GetBytes(key), Partitions), partition);
                expected[partition]++;
            }

            await producer.FlushAsync();
        }

        using var reader = Log.CreateReader();
        for (var p = 0; p < Partitions; p++)
        {
            var records = await ReadAllAsync(reader, new TopicPartition(topic, p), 0);
            Assert.Equal(expected[p], records.Count);
            Assert.All(records, r => Assert.Equal(p, KafkaPartitioner.PartitionFor(r.Key, Partitions)));
        }

        Assert.True(expected.Count(n => n > 0) > 1, "60 keys should spread over more than one partition");
    }

    [SkippableFact]
    public async Task appended_records_read_back_with_exact_keys_values_append_timestamps_and_increasing_offsets()
    {
        var topic = Topic("served");
        await Log.CreateTopicAsync(topic, 2);
        var tp = new TopicPartition(topic, 1);
        var sent = Enumerable.Range(0, 50).Select(i => new Stored(
            -1, 1_700_000_000_000 + (i * 7), Encoding.UTF8.GetBytes($"key-{i}"), Value(i, 10 + (i * 13)))).ToList();
        sent.Add(new Stored(-1, 1_700_000_001_000, [], Value(99, 0)));
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using (var producer = Log.CreateProducer())
        {
            foreach (var s in sent)
            {
                producer.Enqueue(tp, s.Key, s.Value, s.TimestampMs);
            }

            await producer.FlushAsync();
        }

        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        using var reader = Log.CreateReader();
        var read = await ReadAllAsync(reader, tp, 0);

        Assert.Equal(sent.Count, read.Count);
        for (var i = 0; i < sent.Count; i++)
        {
            Assert.Equal(i, read[i].Offset);
            // The log stamps its own append time (Kafka: LogAppendTime), never decreasing in a partition.
            Assert.InRange(read[i].TimestampMs, before - ClockSkewMs, after + ClockSkewMs);
            Assert.True(i == 0 || read[i].TimestampMs >= read[i - 1].TimestampMs, $"timestamp of offset {i} decreased");
            Assert.Equal(sent[i].Key, read[i].Key);
            Assert.Equal(sent[i].Value, read[i].Value);
        }
    }

    [SkippableFact]
    public async Task record_headers_read_back_as_they_were_sent_and_records_without_them_have_none()
    {
        var topic = Topic("served");
        await Log.CreateTopicAsync(topic, 2);
        var tp = new TopicPartition(topic, 1);
        var requestId = RequestId.Headers("4bf92f3577b34da6a3ce929d0e0e4736");
        var several = new RecordHeadersWriter()
            .Add("lambda-request-id", "req-7"u8)
            .Add("empty", [])
            .Add("binary", [0, 255, 10, 13])
            .Add("lambda-request-id", "a repeat keeps its place"u8)
            .Add("clé", new byte[300])
            .ToArray();
        byte[]?[] sent = [null, requestId, several, null, requestId, null];
        var keyed = new List<int>();
        await using (var producer = Log.CreateProducer())
        {
            for (var i = 0; i < sent.Length; i++)
            {
                producer.Enqueue(tp, Encoding.UTF8.GetBytes($"key-{i}"), Value(i, 20), 1, new RecordHeaders(sent[i]));
            }

            // The keyed overload carries headers too.
            for (var i = 0; i < 20; i++)
            {
                if (producer.Enqueue(topic, Encoding.UTF8.GetBytes($"ad-{i}"), Value(i, 5), 1, new RecordHeaders(requestId)) == 0)
                {
                    keyed.Add(i);
                }
            }

            await producer.FlushAsync();
        }

        using var reader = Log.CreateReader();
        var read = await ReadAllAsync(reader, tp, 0);
        Assert.Equal(sent.Select(h => h ?? []), read.Take(sent.Length).Select(r => r.Headers!));
        Assert.Equal("req-7", RequestId.Of(new RecordHeaders(read[2].Headers)));
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", RequestId.Of(new RecordHeaders(read[1].Headers)));
        Assert.Null(RequestId.Of(new RecordHeaders(read[0].Headers)));
        Assert.All(read.Skip(sent.Length), r => Assert.Equal(requestId, r.Headers!));
        Assert.Equal(keyed.Count, (await ReadAllAsync(reader, new TopicPartition(topic, 0), 0)).Count(r => r.Headers!.SequenceEqual(requestId)));
    }

    [SkippableFact]
    public async Task headers_that_do_not_parse_are_refused_at_enqueue()
    {
        var topic = Topic("served");
        await Log.CreateTopicAsync(topic, 1);
        await using var producer = Log.CreateProducer();

        // A key length of 9 with 2 bytes after it.
        Assert.Throws<ArgumentException>(() => producer.Enqueue(new TopicPartition(topic, 0), "k"u8, "v"u8, 1, new RecordHeaders([9, 1, 2])));
        Assert.Throws<ArgumentException>(() => producer.Enqueue(topic, "k"u8, "v"u8, 1, new RecordHeaders([0x80])));
        await producer.FlushAsync();

        Assert.Equal(0, (await Log.GetOffsetsAsync(new TopicPartition(topic, 0))).End);
    }

    [SkippableFact]
    public async Task reads_return_at_most_max_records_and_continue_at_the_next_offset()
    {
        var topic = Topic("served");
        await Log.CreateTopicAsync(topic, 1);
        var tp = new TopicPartition(topic, 0);
        await AppendAsync(topic, 0, 25);
        using var reader = Log.CreateReader();
        var batch = new RecordBatch();
        var sizes = new List<int>();
        var offset = 0L;

        while (offset < 25)
        {
            await reader.ReadAsync(tp, offset, batch, 10, Patience);
            Assert.InRange(batch.Count, 1, 10);
            Assert.Equal(offset, batch[0].Offset);
            sizes.Add(batch.Count);
            offset = batch.NextOffset;
        }

        Assert.Equal(25, sizes.Sum());
    }

    [SkippableFact]
    public async Task reading_from_a_middle_offset_replays_from_there()
    {
        var topic = Topic("served");
        await Log.CreateTopicAsync(topic, 1);
        var tp = new TopicPartition(topic, 0);
        await AppendAsync(topic, 0, 40);
        using var reader = Log.CreateReader();

        var replay = await ReadAllAsync(reader, tp, 17);

        Assert.Equal(Enumerable.Range(17, 23).Select(i => (long)i), replay.Select(r => r.Offset));
        Assert.Equal(Value(17, 17 % 50), replay[0].Value);
    }

    [SkippableFact]
    public async Task reading_at_the_end_returns_an_empty_batch_after_waiting()
    {
        var topic = Topic("served");
        await Log.CreateTopicAsync(topic, 1);
        var tp = new TopicPartition(topic, 0);
        await AppendAsync(topic, 0, 3);
        using var reader = Log.CreateReader();
        var batch = new RecordBatch();
        var clock = Stopwatch.StartNew();

        await reader.ReadAsync(tp, 3, batch, 100, TimeSpan.FromMilliseconds(300));

        Assert.Equal(0, batch.Count);
        Assert.Equal(3, batch.NextOffset);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(100), $"returned after {clock.Elapsed}, without waiting");
    }

    [SkippableFact]
    public async Task a_waiting_read_wakes_up_when_a_record_is_appended()
    {
        var topic = Topic("served");
        await Log.CreateTopicAsync(topic, 1);
        var tp = new TopicPartition(topic, 0);
        await AppendAsync(topic, 0, 2);
        using var reader = Log.CreateReader();
        var batch = new RecordBatch();

        var read = reader.ReadAsync(tp, 2, batch, 100, TimeSpan.FromSeconds(30)).AsTask();
        await Task.Delay(200);
        Assert.False(read.IsCompleted, "the read should wait for data");
        await AppendAsync(topic, 0, 1, firstValue: 2);
        await read.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(1, batch.Count);
        Assert.Equal(2, batch[0].Offset);
        Assert.Equal(Value(2, 2), batch[0].Value.ToArray());
    }

    [SkippableFact]
    public async Task end_offsets_and_lag_follow_appends()
    {
        var topic = Topic("served");
        await Log.CreateTopicAsync(topic, 2);
        var tp0 = new TopicPartition(topic, 0);
        var tp1 = new TopicPartition(topic, 1);

        var empty = await Log.GetOffsetsAsync(tp0);
        await AppendAsync(topic, 0, 12);
        var filled = await Log.GetOffsetsAsync(tp0);

        Assert.Equal(new PartitionOffsets(tp0, 0, 0), empty);
        Assert.Equal(new PartitionOffsets(tp0, 0, 12), filled);
        Assert.Equal(12, filled.LagFrom(0));
        Assert.Equal(5, filled.LagFrom(7));
        Assert.Equal(0, filled.LagFrom(12));
        Assert.Equal(0, (await Log.GetOffsetsAsync(tp1)).End);
    }

    [SkippableFact]
    public async Task committed_offsets_are_kept_per_group()
    {
        var topic = Topic("served");
        await Log.CreateTopicAsync(topic, 2);
        await AppendAsync(topic, 0, 10);
        await AppendAsync(topic, 1, 10);
        var tp0 = new TopicPartition(topic, 0);
        var tp1 = new TopicPartition(topic, 1);
        var speed = Topic("speed");
        var archive = Topic("archive");

        Assert.Null(await Log.GetCommittedAsync(speed, tp0));
        await Log.CommitAsync(speed, [new(tp0, 4), new(tp1, 7)]);
        await Log.CommitAsync(archive, [new(tp0, 9)]);
        await Log.CommitAsync(speed, [new(tp0, 6)]);

        Assert.Equal(6, await Log.GetCommittedAsync(speed, tp0));
        Assert.Equal(7, await Log.GetCommittedAsync(speed, tp1));
        Assert.Equal(9, await Log.GetCommittedAsync(archive, tp0));
        Assert.Null(await Log.GetCommittedAsync(archive, tp1));
    }

    [SkippableFact]
    public async Task an_unknown_topic_is_reported_as_such()
    {
        var missing = new TopicPartition(Topic("missing"), 0);
        using var reader = Log.CreateReader();
        await using var producer = Log.CreateProducer();

        await Assert.ThrowsAsync<UnknownTopicException>(async () => await Log.GetOffsetsAsync(missing));
        await Assert.ThrowsAsync<UnknownTopicException>(async () =>
            await reader.ReadAsync(missing, 0, new RecordBatch(), 10, NoWait));
        var error = Assert.Throws<UnknownTopicException>(() => producer.Enqueue(missing.Topic, "k"u8, "v"u8, 1));
        Assert.Equal(missing.Topic, error.Topic);
    }

    [SkippableFact]
    public async Task a_hundred_thousand_records_round_trip_in_order()
    {
        const int Count = 100_000;
        var topic = Topic("served");
        await Log.CreateTopicAsync(topic, 2);
        var tp = new TopicPartition(topic, 1);
        await using (var producer = Log.CreateProducer())
        {
            for (var i = 0; i < Count; i++)
            {
                producer.Enqueue(tp, BitConverter.GetBytes(i), Value(i, 100), 1_000 + i);
                if (i % 5_000 == 4_999)
                {
                    await producer.FlushAsync();
                }
            }

            await producer.FlushAsync();
        }

        using var reader = Log.CreateReader();
        var batch = new RecordBatch();
        var next = 0L;
        var lastTimestamp = long.MinValue;
        while (next < Count)
        {
            await reader.ReadAsync(tp, next, batch, 4_000, Patience);
            Assert.NotEqual(0, batch.Count);
            for (var i = 0; i < batch.Count; i++)
            {
                var record = batch[i];
                var n = (int)(next + i);
                Assert.Equal(n, record.Offset);
                Assert.Equal(n, BitConverter.ToInt32(record.Key));
                Assert.True(record.TimestampMs >= lastTimestamp, $"timestamp of record {n} decreased");
                lastTimestamp = record.TimestampMs;
                Assert.True(record.Value.SequenceEqual(Value(n, 100)), $"value of record {n}");
            }

            next = batch.NextOffset;
        }

        Assert.Equal(Count, (await Log.GetOffsetsAsync(tp)).End);
    }

    /// <summary>Appends <paramref name="count"/> records with values <see cref="Value"/>(firstValue + i, ...) to one partition.</summary>
    protected async Task AppendAsync(string topic, int partition, int count, int firstValue = 0)
    {
        await using var producer = Log.CreateProducer();
        for (var i = 0; i < count; i++)
        {
            var n = firstValue + i;
            producer.Enqueue(new TopicPartition(topic, partition), Encoding.UTF8.GetBytes($"key-{n}"), Value(n, n % 50), n);
        }

        await producer.FlushAsync();
    }

    /// <summary>A deterministic value of <paramref name="length"/> bytes that differs for every <paramref name="seed"/>.</summary>
    protected static byte[] Value(int seed, int length)
    {
        var bytes = Encoding.UTF8.GetBytes($"value-{seed}:");
        var value = new byte[bytes.Length + length];
        bytes.CopyTo(value, 0);
        for (var i = 0; i < length; i++)
        {
            value[bytes.Length + i] = (byte)((seed * 31) + i);
        }

        return value;
    }

    /// <summary>Reads a partition from <paramref name="from"/> to its current end, copying the records.</summary>
    protected static async Task<List<Stored>> ReadAllAsync(ILogReader reader, TopicPartition tp, long from, int batchSize = 7)
    {
        var records = new List<Stored>();
        var batch = new RecordBatch();
        var next = from;
        while (true)
        {
            await reader.ReadAsync(tp, next, batch, batchSize, TimeSpan.FromMilliseconds(records.Count == 0 ? 2_000 : 200));
            if (batch.Count == 0)
            {
                return records;
            }

            for (var i = 0; i < batch.Count; i++)
            {
                var r = batch[i];
                records.Add(new Stored(r.Offset, r.TimestampMs, r.Key.ToArray(), r.Value.ToArray(), r.Headers.Encoded.ToArray()));
            }

            next = batch.NextOffset;
        }
    }

    /// <summary>How far a server's append clock (Kafka's broker) may be from this process's clock.</summary>
    private const long ClockSkewMs = 5_000;

    /// <summary>A record copied out of a <see cref="RecordBatch"/>; <see cref="Headers"/> encoded, empty for none.</summary>
    protected sealed record Stored(long Offset, long TimestampMs, byte[] Key, byte[] Value, byte[]? Headers = null);
}
