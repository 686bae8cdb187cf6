using Lambda.SharedModel.Views;
using Microsoft.Extensions.Logging;

namespace Lambda.Speed.Checkpoints;

internal sealed partial class CheckpointStore
{
    /// <summary>
    /// The files of the lineage whose rows are in the view store; the rest are stale.
    /// <para>
    /// A new owner claims the partition (a new epoch, after which the old owner's row writes are
    /// refused), restores the chain up to some sequence r, and writes a checkpoint r + 1 under its
    /// epoch before it writes any row. The old owner may still write one checkpoint after the claim
    /// (the one following its last accepted flush) and a compaction: both under the old epoch at a
    /// sequence the new owner may never have read. The new owner's replay may already have written
    /// older values of those windows over the old owner's last rows, so restoring such a file would
    /// skip windows the store no longer holds at their value. Hence, walking epochs newest first:
    /// an older epoch's files count only below the first sequence of every newer epoch present.
    /// </para>
    /// <para>
    /// A new owner that dies before its first checkpoint wrote no row, so the old owner's late files
    /// are then still consistent with the store, and they do count. Files written before this scheme
    /// carry no epoch (epoch 0) and are the oldest lineage.
    /// </para>
    /// </summary>
    private static (List<CheckpointFile> Lineage, List<CheckpointFile> Stale) SplitLineage(IEnumerable<CheckpointFile> files)
    {
        var lineage = new List<CheckpointFile>();
        var stale = new List<CheckpointFile>();
        var below = long.MaxValue;
        foreach (var epoch in files.GroupBy(f => f.Epoch).OrderByDescending(g => g.Key))
        {
            var first = long.MaxValue;
            foreach (var file in epoch)
            {
                if (file.Sequence < below)
                {
                    lineage.Add(file);
                    first = Math.Min(first, file.Sequence);
                }
                else
                {
                    stale.Add(file);
                }
            }

            below = Math.Min(below, first);
        }

        return (lineage, stale);
    }

    /// <summary>The lineage of the files now present; throws if a newer owner has written any (this one is fenced).</summary>
    private List<CheckpointFile> LineageOrFenced(bool deleteStale)
    {
        var files = ListFiles().ToList();
        var newest = files.Count == 0 ? 0 : files.Max(f => f.Epoch);
        if (newest > _epoch)
        {
            throw new PartitionFencedException(_partition, _epoch, newest);
        }

        var (lineage, stale) = SplitLineage(files);
        if (deleteStale)
        {
            foreach (var file in stale)
            {
                LogStale(_logger, file.Path, file.Epoch);
                File.Delete(file.Path);
            }
        }

        return lineage;
    }

    [LoggerMessage(EventId = SpeedLogEvents.CheckpointOfFormerOwnerDeleted, Level = LogLevel.Warning, Message = "Checkpoint {Path} was written under epoch {Epoch} after a newer owner took the partition over; deleted")]
    private static partial void LogStale(ILogger logger, string path, long epoch);
}
