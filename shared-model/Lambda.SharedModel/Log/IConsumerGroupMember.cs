namespace Lambda.SharedModel.Log;

/// <summary>A process's membership of a consumer group (see <see cref="IConsumerGroupLog.JoinGroup"/>).</summary>
public interface IConsumerGroupMember : IAsyncDisposable
{
    /// <summary>
    /// Completes when the membership ends: normally after disposal, faulted if the member failed
    /// (for instance an assignment that is not co-partitioned).
    /// </summary>
    Task Completion { get; }

    /// <summary>
    /// Commits offsets (the next to read) through this membership. Returns false if the group
    /// refused them (a rebalance is under way, or the member lost the partitions): committed
    /// offsets are progress reports, and a later commit carries newer ones.
    /// </summary>
    ValueTask<bool> CommitAsync(IReadOnlyList<TopicPartitionOffset> offsets, CancellationToken cancellationToken = default);
}
