using Lambda.Log.Kafka;

namespace Lambda.Log.Tests.Kafka;

/// <summary>Replication checks that need a cluster smaller than asked for: librdkafka's one-broker mock cluster.</summary>
public sealed class KafkaTopicSettingsMockTests : IDisposable
{
    private readonly LibrdkafkaMockCluster _cluster = new();

    public void Dispose() => _cluster.Dispose();

    [Fact]
    public async Task asking_for_more_replicas_than_brokers_fails_naming_both_numbers()
    {
        var options = _cluster.LogOptions(TimeSpan.FromSeconds(20));
        options.ReplicationFactor = 3;
        options.MinInSyncReplicas = 2;
        await using var log = new KafkaEventLog(options);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(async () => await log.CreateTopicAsync("ad-served", 4));

        Assert.Contains("needs 3 replicas", e.Message, StringComparison.Ordinal);
        Assert.Contains($"the cluster at {_cluster.BootstrapServers} has 1 broker(s)", e.Message, StringComparison.Ordinal);
        Assert.Empty(await log.ListTopicsAsync());
    }

    [Fact]
    public async Task an_existing_topic_with_fewer_replicas_than_asked_for_is_refused_not_used()
    {
        _cluster.CreateTopic("ad-views", 4);
        var options = _cluster.LogOptions(TimeSpan.FromSeconds(20));
        options.ReplicationFactor = 3;
        await using var log = new KafkaEventLog(options);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(async () => await log.CreateTopicAsync("ad-views", 4));

        Assert.Contains("topic 'ad-views' exists with other settings than asked for: replication factor 1, not 3", e.Message, StringComparison.Ordinal);
    }
}
