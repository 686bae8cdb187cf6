using System.Collections.Concurrent;
using Confluent.Kafka;
using KafkaTopicPartition = Confluent.Kafka.TopicPartition;
using KafkaTopicPartitionOffset = Confluent.Kafka.TopicPartitionOffset;
using TopicPartition = Lambda.SharedModel.Log.TopicPartition;
using TopicPartitionOffset = Lambda.SharedModel.Log.TopicPartitionOffset;

namespace Lambda.Log.Kafka;

/// <summary>
/// Committed offsets of consumer groups, through one consumer per group that carries the group.id
/// but never subscribes. Kafka accepts such commits for groups without active members (what the
/// Java client calls manual assignment); a group whose members subscribe and rebalance is run by
/// the speed layer's own consumers, which commit through their membership.
/// </summary>
internal sealed class KafkaGroupOffsets(KafkaClientConfigs configs, TimeSpan timeout) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<IConsumer<Ignore, Ignore>>> _consumers = new(StringComparer.Ordinal);

    public void Commit(string group, IReadOnlyList<TopicPartitionOffset> offsets)
    {
        if (offsets.Count == 0)
        {
            return;
        }

        var kafkaOffsets = new List<KafkaTopicPartitionOffset>(offsets.Count);
        foreach (var o in offsets)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(o.Offset, nameof(offsets));
            kafkaOffsets.Add(new KafkaTopicPartitionOffset(ToKafka(o.TopicPartition), new Offset(o.Offset)));
        }

        // One OffsetCommit request: the broker applies the whole set or reports per-partition errors.
        ConsumerFor(group).Commit(kafkaOffsets);
    }

    public long? GetCommitted(string group, TopicPartition topicPartition)
    {
        var committed = ConsumerFor(group).Committed([ToKafka(topicPartition)], timeout);
        var offset = committed.Single();
        // Offset.Unset (-1001) means the group never committed for this partition.
        return offset.Offset.IsSpecial ? null : offset.Offset.Value;
    }

    public void Dispose()
    {
        foreach (var consumer in _consumers.Values)
        {
            if (consumer.IsValueCreated)
            {
                consumer.Value.Close();
                consumer.Value.Dispose();
            }
        }

        _consumers.Clear();
    }

    private IConsumer<Ignore, Ignore> ConsumerFor(string group)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(group);
        return _consumers.GetOrAdd(group, g => new Lazy<IConsumer<Ignore, Ignore>>(
            () => new ConsumerBuilder<Ignore, Ignore>(configs.Group(g)).SetLogHandler(configs.OnClientLog).Build(),
            LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }

    private static KafkaTopicPartition ToKafka(TopicPartition tp) => new(tp.Topic, new Partition(tp.Partition));
}
