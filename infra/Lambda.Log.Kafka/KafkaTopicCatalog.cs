using System.Collections.Concurrent;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Lambda.SharedModel.Log;
using KafkaTopicPartition = Confluent.Kafka.TopicPartition;
using TopicDescription = Lambda.SharedModel.Log.TopicDescription;
using TopicPartition = Lambda.SharedModel.Log.TopicPartition;

namespace Lambda.Log.Kafka;

/// <summary>
/// Topics of the cluster: creation through the admin API, partition counts from metadata (cached,
/// since a topic's count never changes here: repartitioning would break co-partitioning), and
/// watermark offsets. Shared by every producer and reader of one <see cref="KafkaEventLog"/>.
/// </summary>
internal sealed class KafkaTopicCatalog : IDisposable
{
    private static readonly TimeSpan MetadataPollInterval = TimeSpan.FromMilliseconds(100);

    private readonly IAdminClient _admin;
    private readonly Lazy<IConsumer<Ignore, Ignore>> _watermarks;
    private readonly ConcurrentDictionary<string, int> _partitions = new(StringComparer.Ordinal);
    private readonly TimeSpan _timeout;

    public KafkaTopicCatalog(KafkaClientConfigs configs, TimeSpan timeout)
    {
        _timeout = timeout;
        _admin = new AdminClientBuilder(configs.Admin()).Build();
        _watermarks = new Lazy<IConsumer<Ignore, Ignore>>(
            () => new ConsumerBuilder<Ignore, Ignore>(configs.Reader()).Build(), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The topic's partition count; asks the cluster on first use. Blocks on that first call.</summary>
    public int PartitionCount(string topic)
    {
        if (_partitions.TryGetValue(topic, out var count))
        {
            return count;
        }

        ArgumentException.ThrowIfNullOrEmpty(topic);
        Refresh();
        return _partitions.TryGetValue(topic, out count) ? count : throw new UnknownTopicException(topic);
    }

    /// <summary>The partition count if already known, without asking the cluster.</summary>
    public bool TryGetCachedPartitionCount(string topic, out int count) => _partitions.TryGetValue(topic, out count);

    /// <summary>Throws <see cref="UnknownTopicException"/> or <see cref="ArgumentOutOfRangeException"/>.</summary>
    public void CheckExists(TopicPartition topicPartition)
    {
        var count = PartitionCount(topicPartition.Topic);
        if ((uint)topicPartition.Partition >= (uint)count)
        {
            throw new ArgumentOutOfRangeException(nameof(topicPartition), topicPartition.Partition,
                $"{topicPartition}: topic '{topicPartition.Topic}' has {count} partitions");
        }
    }

    public IReadOnlyList<TopicDescription> List()
    {
        var topics = Refresh();
        return topics
            .Where(t => t.Error.Code == ErrorCode.NoError && !IsInternal(t.Topic))
            .Select(t => new TopicDescription(t.Topic, t.Partitions.Count))
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .ToList();
    }

    public async Task CreateAsync(string topic, int partitions, short replicationFactor, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        if (_partitions.TryGetValue(topic, out var known))
        {
            ThrowIfCountDiffers(topic, known, partitions);
            return;
        }

        // Ask the cluster first: a topic created by someone else needs no CreateTopics, which some
        // clusters refuse (no controller in librdkafka's mock cluster, ACLs on managed clusters).
        await Task.Run(Refresh, cancellationToken).ConfigureAwait(false);
        if (_partitions.TryGetValue(topic, out known))
        {
            ThrowIfCountDiffers(topic, known, partitions);
            return;
        }

        var spec = new TopicSpecification
        {
            Name = topic,
            NumPartitions = partitions,
            ReplicationFactor = replicationFactor,
            // The broker stamps append time: record timestamps then never decrease within a
            // partition, which the speed layer's deterministic merge relies on.
            Configs = new Dictionary<string, string> { ["message.timestamp.type"] = "LogAppendTime" },
        };
        try
        {
            await _admin.CreateTopicsAsync([spec], new CreateTopicsOptions { RequestTimeout = _timeout, OperationTimeout = _timeout })
                .WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (CreateTopicsException e) when (e.Results.All(r => r.Error.Code is ErrorCode.TopicAlreadyExists))
        {
            // Idempotent create: fine as long as the existing topic has the requested count.
        }

        await WaitUntilReadyAsync(topic, partitions, cancellationToken).ConfigureAwait(false);
    }

    public PartitionOffsets Offsets(TopicPartition topicPartition)
    {
        CheckExists(topicPartition);
        var watermarks = _watermarks.Value.QueryWatermarkOffsets(
            new KafkaTopicPartition(topicPartition.Topic, new Partition(topicPartition.Partition)), _timeout);
        return new PartitionOffsets(topicPartition, watermarks.Low.Value, watermarks.High.Value);
    }

    public void Dispose()
    {
        if (_watermarks.IsValueCreated)
        {
            _watermarks.Value.Close();
            _watermarks.Value.Dispose();
        }

        _admin.Dispose();
    }

    // A new topic shows in metadata, and its partitions get leaders, shortly after the controller
    // creates it; producing or assigning before that would only wait inside librdkafka instead.
    private async Task WaitUntilReadyAsync(string topic, int partitions, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + _timeout;
        while (true)
        {
            var metadata = Refresh().FirstOrDefault(t => t.Topic == topic);
            if (metadata is not null && metadata.Error.Code == ErrorCode.NoError)
            {
                ThrowIfCountDiffers(topic, metadata.Partitions.Count, partitions);
                if (metadata.Partitions.All(p => p.Leader >= 0 && p.Error.Code == ErrorCode.NoError))
                {
                    return;
                }
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"topic '{topic}' was created but has no leader for every partition after {_timeout}");
            }

            await Task.Delay(MetadataPollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    // All-topics metadata: asking for one named topic could auto-create it on brokers that allow that.
    private List<TopicMetadata> Refresh()
    {
        var topics = _admin.GetMetadata(_timeout).Topics;
        foreach (var t in topics)
        {
            if (t.Error.Code == ErrorCode.NoError && t.Partitions.Count > 0)
            {
                _partitions[t.Topic] = t.Partitions.Count;
            }
        }

        return topics;
    }

    private static void ThrowIfCountDiffers(string topic, int existing, int requested)
    {
        if (existing != requested)
        {
            throw new InvalidOperationException(
                $"topic '{topic}' exists with {existing} partitions, not {requested}; repartitioning would move keys and break co-partitioning");
        }
    }

    private static bool IsInternal(string topic) => topic.StartsWith("__", StringComparison.Ordinal);
}
