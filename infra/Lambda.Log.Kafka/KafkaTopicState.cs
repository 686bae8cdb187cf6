namespace Lambda.Log.Kafka;

/// <summary>
/// A topic as the cluster has it now, for `lambda topics`: partitions, replicas per partition, the
/// fewest in-sync replicas of any partition and how many partitions are under-replicated, and its
/// min.insync.replicas and retention settings (null when not read: <see cref="KafkaLogOptions.CheckTopicConfigs"/> off).
/// </summary>
public sealed record KafkaTopicState(string Name, int Partitions, int Replicas, int FewestInSync, int UnderReplicated,
    string? MinInSyncReplicas, string? RetentionMs, string? RetentionBytes);
