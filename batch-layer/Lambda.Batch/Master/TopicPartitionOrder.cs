using Lambda.SharedModel.Log;

namespace Lambda.Batch.Master;

/// <summary>Orders partitions by topic name (ordinal), then partition number: a stable order for files and output.</summary>
internal sealed class TopicPartitionOrder : IComparer<TopicPartition>
{
    public static readonly TopicPartitionOrder Instance = new();

    public int Compare(TopicPartition x, TopicPartition y)
    {
        var byTopic = string.CompareOrdinal(x.Topic, y.Topic);
        return byTopic != 0 ? byTopic : x.Partition.CompareTo(y.Partition);
    }
}
