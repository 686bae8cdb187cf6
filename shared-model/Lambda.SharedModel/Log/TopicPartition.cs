namespace Lambda.SharedModel.Log;

/// <summary>One partition of one topic.</summary>
public readonly record struct TopicPartition(string Topic, int Partition)
{
    public override string ToString() => $"{Topic}[{Partition}]";
}

/// <summary>A position in a partition. As in Kafka, a committed offset is the next offset to read.</summary>
public readonly record struct TopicPartitionOffset(TopicPartition TopicPartition, long Offset);

/// <summary>A topic and its partition count.</summary>
public readonly record struct TopicDescription(string Name, int Partitions);

/// <summary>
/// The offsets of a partition: <see cref="Start"/> is the first readable offset (0 unless retention
/// removed older records), <see cref="End"/> the offset the next appended record will get.
/// </summary>
public readonly record struct PartitionOffsets(TopicPartition TopicPartition, long Start, long End)
{
    /// <summary>Records between a committed offset and the end: the consumer's lag.</summary>
    public long LagFrom(long committed) => Math.Max(0, End - Math.Max(committed, Start));
}
