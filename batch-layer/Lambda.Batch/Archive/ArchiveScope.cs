using Lambda.Batch.Master;
using Lambda.SharedModel.Log;

namespace Lambda.Batch.Archive;

/// <summary>
/// What a run archives when a backfill drives it: fixed end offsets instead of the log's ends at the
/// start, and optionally only the events of a date range. A plain archive uses <see cref="Everything"/>.
/// </summary>
internal sealed record ArchiveScope
{
    public static readonly ArchiveScope Everything = new();

    /// <summary>End offset (exclusive) per partition; null: snapshot the log's end offsets at the start.</summary>
    public IReadOnlyDictionary<TopicPartition, long>? Targets { get; init; }

    /// <summary>Only events whose date lies in this range are written; null for all.</summary>
    public EventDateRange? Dates { get; init; }

    /// <summary>Whether the run takes the master dataset's lock (<see cref="Master.MasterDataset.Lock"/>) itself (a backfill holds the main one).</summary>
    public bool TakeLock { get; init; } = true;

    /// <summary>The manifest's run kind recorded for this run.</summary>
    public string RunKind { get; init; } = "archive";
}
