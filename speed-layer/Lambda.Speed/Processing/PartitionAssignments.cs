using Lambda.SharedModel.Log;
using Microsoft.Extensions.Logging;

namespace Lambda.Speed.Processing;

/// <summary>
/// Places owned partitions on worker loops (the least loaded one) and takes them off again. As a
/// consumer group listener it runs on the group member's thread: an assignment only queues the
/// partitions (restoring a checkpoint may take seconds, and the member must keep polling), while a
/// revocation waits until every revoked partition has flushed its rows and written its checkpoint,
/// because the group hands the partitions to another process as soon as it returns.
/// </summary>
internal sealed partial class PartitionAssignments(IReadOnlyList<WorkerLoop> loops, ILogger logger) : IPartitionAssignmentListener
{
    private readonly Dictionary<int, WorkerLoop> _owners = [];
    private readonly Lock _gate = new();

    public void OnAssigned(IReadOnlyList<int> partitions)
    {
        LogAssigned(logger, string.Join(",", partitions));
        lock (_gate)
        {
            foreach (var partition in partitions)
            {
                if (_owners.ContainsKey(partition))
                {
                    continue;
                }

                var loop = loops.MinBy(l => _owners.Values.Count(owner => owner == l))!;
                _owners[partition] = loop;
                _ = loop.AssignAsync(partition);
            }
        }
    }

    public void OnRevoked(IReadOnlyList<int> partitions, bool lost)
    {
        LogRevoked(logger, string.Join(",", partitions), lost);
        var released = new List<Task>(partitions.Count);
        lock (_gate)
        {
            foreach (var partition in partitions)
            {
                if (_owners.Remove(partition, out var loop))
                {
                    released.Add(loop.RevokeAsync(partition, lost));
                }
            }
        }

        // Blocking the member's thread is the point: the group may not move these partitions yet.
        Task.WhenAll(released).GetAwaiter().GetResult();
        LogReleased(logger, string.Join(",", partitions));
    }

    [LoggerMessage(EventId = SpeedLogEvents.PartitionsAssigned, Level = LogLevel.Information, Message = "Partitions {Partitions} assigned to this process")]
    private static partial void LogAssigned(ILogger logger, string partitions);

    [LoggerMessage(EventId = SpeedLogEvents.PartitionsRevoked, Level = LogLevel.Information, Message = "Partitions {Partitions} revoked (lost: {Lost})")]
    private static partial void LogRevoked(ILogger logger, string partitions, bool lost);

    [LoggerMessage(EventId = SpeedLogEvents.PartitionsReleased, Level = LogLevel.Information, Message = "Partitions {Partitions} released to the group")]
    private static partial void LogReleased(ILogger logger, string partitions);
}
