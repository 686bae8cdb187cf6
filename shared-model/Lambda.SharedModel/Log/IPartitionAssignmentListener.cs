namespace Lambda.SharedModel.Log;

/// <summary>
/// Hears which partitions a consumer group member owns. Calls come one at a time, on the member's
/// own thread; a partition is assigned at most once between revocations.
/// </summary>
public interface IPartitionAssignmentListener
{
    /// <summary>The member now owns <paramref name="partitions"/> (of every subscribed topic).</summary>
    void OnAssigned(IReadOnlyList<int> partitions);

    /// <summary>
    /// The member gives up <paramref name="partitions"/>. The group waits for this call to return, so
    /// it is where the owner saves what the next owner needs. <paramref name="lost"/> means the
    /// member was already out of the group: another member may own them, so save nothing.
    /// </summary>
    void OnRevoked(IReadOnlyList<int> partitions, bool lost);
}
