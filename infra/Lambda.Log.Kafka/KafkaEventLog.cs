using System.Collections.Concurrent;
using Lambda.SharedModel.Log;

namespace Lambda.Log.Kafka;

/// <summary>
/// The event log on a Kafka cluster (Confluent.Kafka 2.16 over the librdkafka.redist build). Keys are
/// placed with Lambda's murmur2 partitioner, so records land where the embedded log puts them.
/// Committed offsets are for manual-assignment consumers (see <see cref="CommitAsync"/>); members of
/// a consumer group (<see cref="JoinGroup"/>) commit through their membership.
/// </summary>
public sealed class KafkaEventLog : IEventLog, IConsumerGroupLog
{
    private readonly KafkaLogOptions _options;
    private readonly KafkaClientConfigs _configs;
    private readonly KafkaTopicCatalog _topics;
    private readonly KafkaGroupOffsets _groups;
    private readonly ConcurrentDictionary<KafkaLogProducer, byte> _producers = new();
    private readonly ConcurrentDictionary<KafkaLogReader, byte> _readers = new();
    private readonly ConcurrentDictionary<KafkaGroupMember, byte> _members = new();
    private int _disposed;

    /// <summary>Validates <paramref name="options"/> and loads librdkafka; connects lazily.</summary>
    public KafkaEventLog(KafkaLogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        KafkaNative.EnsureLoaded();
        _options = options;
        _configs = new KafkaClientConfigs(options);
        _topics = new KafkaTopicCatalog(_configs, options);
        _groups = new KafkaGroupOffsets(_configs, options.RequestTimeout);
    }

    public string Kind => "kafka";

    /// <summary>The options the log was created with.</summary>
    public KafkaLogOptions Options => _options;

    /// <summary>Creates the topic with <see cref="KafkaLogOptions.DefaultPartitions"/> partitions.</summary>
    public ValueTask CreateTopicAsync(string topic, CancellationToken cancellationToken = default) =>
        CreateTopicAsync(topic, _options.DefaultPartitions, cancellationToken);

    /// <summary>
    /// Creates the topic with the options' replication factor, min.insync.replicas and retention, and
    /// returns once every partition has a leader. An existing topic is checked against them instead:
    /// other settings throw <see cref="InvalidOperationException"/> naming each difference.
    /// </summary>
    public ValueTask CreateTopicAsync(string topic, int partitions, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return new ValueTask(_topics.CreateAsync(topic, partitions, cancellationToken));
    }

    /// <summary>Every topic's partitions, replication and settings as the cluster has them; reads only.</summary>
    public ValueTask<IReadOnlyList<KafkaTopicState>> DescribeTopicsAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return new ValueTask<IReadOnlyList<KafkaTopicState>>(_topics.DescribeAsync(cancellationToken));
    }

    /// <summary>Topics of the cluster by name, without internal ones such as __consumer_offsets.</summary>
    public ValueTask<IReadOnlyList<TopicDescription>> ListTopicsAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return new ValueTask<IReadOnlyList<TopicDescription>>(Task.Run(_topics.List, cancellationToken));
    }

    public ValueTask<PartitionOffsets> GetOffsetsAsync(TopicPartition topicPartition, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return new ValueTask<PartitionOffsets>(Task.Run(() => _topics.Offsets(topicPartition), cancellationToken));
    }

    public ILogProducer CreateProducer()
    {
        ThrowIfDisposed();
        var producer = new KafkaLogProducer(_configs, _topics, p => _producers.TryRemove(p, out _));
        _producers[producer] = 0;
        return producer;
    }

    public ILogReader CreateReader()
    {
        ThrowIfDisposed();
        var reader = new KafkaLogReader(_configs, _topics, _options.RequestTimeout, _options.Time, r => _readers.TryRemove(r, out _));
        _readers[reader] = 0;
        return reader;
    }

    /// <summary>
    /// Commits for <paramref name="group"/> with a consumer that has the group.id but never
    /// subscribes. This serves manual-assignment consumers (each worker owns fixed partitions);
    /// the broker rejects it for a group with subscribed members, which commit through their
    /// membership (<see cref="JoinGroup"/>).
    /// </summary>
    public ValueTask CommitAsync(string group, IReadOnlyList<TopicPartitionOffset> offsets, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        ArgumentException.ThrowIfNullOrWhiteSpace(group);
        ArgumentNullException.ThrowIfNull(offsets);
        return new ValueTask(Task.Run(() =>
        {
            foreach (var o in offsets)
            {
                _topics.CheckExists(o.TopicPartition);
            }

            _groups.Commit(group, offsets);
        }, cancellationToken));
    }

    /// <summary>The group's committed offset (see <see cref="CommitAsync"/> for the kind of group).</summary>
    public ValueTask<long?> GetCommittedAsync(string group, TopicPartition topicPartition, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        ArgumentException.ThrowIfNullOrWhiteSpace(group);
        return new ValueTask<long?>(Task.Run(() =>
        {
            _topics.CheckExists(topicPartition);
            return _groups.GetCommitted(group, topicPartition);
        }, cancellationToken));
    }

    /// <summary>
    /// Joins <paramref name="group"/> as a subscribing member (range assignor, eager rebalances; see
    /// the README). Checks first that the topics exist and share one partition count.
    /// </summary>
    public IConsumerGroupMember JoinGroup(string group, IReadOnlyList<string> topics, IPartitionAssignmentListener listener)
    {
        ThrowIfDisposed();
        ArgumentException.ThrowIfNullOrWhiteSpace(group);
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(listener);
        if (topics.Count == 0 || topics.Distinct(StringComparer.Ordinal).Count() != topics.Count)
        {
            throw new ArgumentException("a group subscribes to one or more distinct topics", nameof(topics));
        }

        var counts = topics.Select(t => (Topic: t, Partitions: _topics.PartitionCount(t))).ToList();
        if (counts.Select(c => c.Partitions).Distinct().Count() != 1)
        {
            throw new InvalidOperationException("co-partitioned topics must share one partition count: "
                + string.Join(", ", counts.Select(c => $"{c.Topic} has {c.Partitions}")));
        }

        var member = new KafkaGroupMember(_configs, group, topics, listener);
        _members[member] = 0;
        _ = member.Completion.ContinueWith(_ => _members.TryRemove(member, out var _), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return member;
    }

    /// <summary>Flushes and disposes producers still open, closes readers, group members and group consumers.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var producer in _producers.Keys)
        {
            await producer.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var reader in _readers.Keys)
        {
            reader.Dispose();
        }

        foreach (var member in _members.Keys)
        {
            await member.DisposeAsync().ConfigureAwait(false);
        }

        _groups.Dispose();
        _topics.Dispose();
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
