using Lambda.Batch.Archive;
using Lambda.Batch.Master;

namespace Lambda.Batch.Backfill;

/// <summary>Settings of <see cref="BackfillJob"/>.</summary>
public sealed class BackfillOptions
{
    /// <summary>The master root and how to archive (chunk size, parallelism); the rebuild uses the same.</summary>
    public required ArchiveOptions Archive { get; init; }

    /// <summary>
    /// Null: rebuild the whole master dataset from offset 0 up to the log's end now. A range: rebuild only
    /// those dates' folders, from the log up to the offsets the master dataset is archived to.
    /// </summary>
    public EventDateRange? Dates { get; init; }
}
