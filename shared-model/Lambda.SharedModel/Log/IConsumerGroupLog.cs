namespace Lambda.SharedModel.Log;

/// <summary>
/// A log whose consumers can share co-partitioned topics as one consumer group (Kafka). The
/// embedded log is not one: a single process owns every partition there.
/// </summary>
public interface IConsumerGroupLog
{
    /// <summary>
    /// Joins <paramref name="group"/> subscribed to <paramref name="topics"/>, which must share one
    /// partition count. Ownership is by partition number: a member owning partition p owns it in
    /// every topic. <paramref name="listener"/> hears of each change; the first assignment may arrive
    /// before this returns. Disposing the member leaves the group (revoking what it owns first).
    /// </summary>
    IConsumerGroupMember JoinGroup(string group, IReadOnlyList<string> topics, IPartitionAssignmentListener listener);
}
