using System.Collections.Concurrent;
using Lambda.Log.Kafka;
using Lambda.SharedModel.Log;

namespace Lambda.Log.Tests.Kafka;

/// <summary>Consumer group membership of the Kafka log, against librdkafka's mock cluster.</summary>
public sealed class KafkaGroupMemberTests : IAsyncLifetime
{
    private readonly LibrdkafkaMockCluster _cluster;
    private readonly KafkaEventLog _log;

    public KafkaGroupMemberTests()
    {
        KafkaNative.EnsureLoaded();
        _cluster = new LibrdkafkaMockCluster();
        _cluster.CreateTopic("left", 4);
        _cluster.CreateTopic("right", 4);
        _cluster.CreateTopic("odd", 3);
        var options = _cluster.LogOptions(TimeSpan.FromSeconds(20));
        options.ExtraConfig["consumer.session.timeout.ms"] = "6000";
        options.ExtraConfig["consumer.heartbeat.interval.ms"] = "500";
        _log = new KafkaEventLog(options);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _log.DisposeAsync();
        _cluster.Dispose();
    }

    [Fact]
    public async Task a_lone_member_owns_every_partition_of_all_topics_commits_through_its_membership_and_revokes_on_leaving()
    {
        var listener = new RecordingListener();
        var member = _log.JoinGroup("g", ["left", "right"], listener);
        var assigned = await listener.Assigned.Task.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(new[] { 0, 1, 2, 3 }, assigned);

        Assert.True(await member.CommitAsync([new TopicPartitionOffset(new TopicPartition("left", 2), 17)]));
        Assert.Equal(17, await _log.GetCommittedAsync("g", new TopicPartition("left", 2)));

        await member.DisposeAsync();
        await member.Completion;
        var revoked = Assert.Single(listener.Revoked);
        Assert.Equal(new[] { 0, 1, 2, 3 }, revoked.Partitions);
        Assert.False(revoked.Lost);
    }

    [Fact]
    public void topics_with_different_partition_counts_cannot_be_joined_as_one_group()
    {
        var e = Assert.Throws<InvalidOperationException>(() => _log.JoinGroup("g", ["left", "odd"], new RecordingListener()));
        Assert.Contains("odd has 3", e.Message, StringComparison.Ordinal);
    }

    private sealed class RecordingListener : IPartitionAssignmentListener
    {
        public TaskCompletionSource<int[]> Assigned { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<(IReadOnlyList<int> Partitions, bool Lost)> Revoked { get; } = new();

        public void OnAssigned(IReadOnlyList<int> partitions) => Assigned.TrySetResult([.. partitions]);

        public void OnRevoked(IReadOnlyList<int> partitions, bool lost) => Revoked.Enqueue(([.. partitions], lost));
    }
}
