namespace Lambda.SharedModel.Log;

/// <summary>
/// The event log: topics of partitions of records at increasing offsets, with Kafka's semantics.
/// The log is the master record and is never rewritten. Two implementations share this contract:
/// the embedded log (files on local disk) and Kafka; one contract test suite runs against both.
/// </summary>
public interface IEventLog : IAsyncDisposable
{
    /// <summary>"embedded" or "kafka": for status output and logs.</summary>
    string Kind { get; }

    /// <summary>
    /// Creates a topic with the given partition count, or does nothing if it exists with that count.
    /// Throws <see cref="InvalidOperationException"/> if it exists with another count, because
    /// repartitioning would move keys and break co-partitioning.
    /// </summary>
    ValueTask CreateTopicAsync(string topic, int partitions, CancellationToken cancellationToken = default);

    ValueTask<IReadOnlyList<TopicDescription>> ListTopicsAsync(CancellationToken cancellationToken = default);

    /// <summary>Start and end offsets of a partition. Throws <see cref="UnknownTopicException"/> for a missing topic.</summary>
    ValueTask<PartitionOffsets> GetOffsetsAsync(TopicPartition topicPartition, CancellationToken cancellationToken = default);

    /// <summary>A producer; each caller (thread or task) should use its own.</summary>
    ILogProducer CreateProducer();

    /// <summary>A reader for positional reads by offset range; each worker should use its own.</summary>
    ILogReader CreateReader();

    /// <summary>Commits offsets (the next offset to read) for a consumer group, atomically for the set.</summary>
    ValueTask CommitAsync(string group, IReadOnlyList<TopicPartitionOffset> offsets, CancellationToken cancellationToken = default);

    /// <summary>The group's committed offset for a partition, or null if it never committed one.</summary>
    ValueTask<long?> GetCommittedAsync(string group, TopicPartition topicPartition, CancellationToken cancellationToken = default);
}

/// <summary>
/// Appends records. <see cref="Enqueue"/> buffers (the synchronous fast path); a record is
/// acknowledged (durable by the log's policy, and readable) once a later <see cref="FlushAsync"/> returns.
/// </summary>
public interface ILogProducer : IAsyncDisposable
{
    /// <summary>
    /// Buffers one record. Its timestamp is the log's append time, assigned when the record is
    /// written and never decreasing within a partition (Kafka: a topic with LogAppendTime);
    /// <paramref name="timestampMs"/> is the producer's create time, which the log may replace.
    /// Its partition is Kafka's murmur2 of <paramref name="key"/> modulo the
    /// topic's partition count (<see cref="Partitioning.KafkaPartitioner"/>), which is returned.
    /// <paramref name="headers"/> are stored with it and read back as they were (Kafka: record headers);
    /// bytes that are not well-formed headers throw <see cref="ArgumentException"/>.
    /// </summary>
    int Enqueue(string topic, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, long timestampMs, RecordHeaders headers = default);

    /// <summary>Buffers one record for an explicit partition.</summary>
    void Enqueue(TopicPartition topicPartition, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, long timestampMs, RecordHeaders headers = default);

    /// <summary>Returns once every record enqueued before the call is acknowledged.</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken = default);
}

/// <summary>Positional reads: the caller owns its position, the reader keeps none that matters.</summary>
public interface ILogReader : IDisposable
{
    /// <summary>
    /// Clears <paramref name="into"/> and fills it with up to <paramref name="maxRecords"/> records of
    /// <paramref name="topicPartition"/> starting at <paramref name="fromOffset"/>. If none is available,
    /// waits up to <paramref name="maxWait"/> for one, then returns an empty batch.
    /// Records are never served past a torn or corrupt range.
    /// </summary>
    ValueTask ReadAsync(TopicPartition topicPartition, long fromOffset, RecordBatch into, int maxRecords,
        TimeSpan maxWait, CancellationToken cancellationToken = default);
}

/// <summary>The topic does not exist.</summary>
public sealed class UnknownTopicException(string topic)
    : Exception($"topic '{topic}' does not exist")
{
    public string Topic { get; } = topic;
}
