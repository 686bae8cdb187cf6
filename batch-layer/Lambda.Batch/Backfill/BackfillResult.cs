using Lambda.Batch.Archive;
using Lambda.Batch.Master;

namespace Lambda.Batch.Backfill;

/// <summary>The outcome of a <see cref="BackfillJob"/> run.</summary>
public sealed record BackfillResult
{
    /// <summary>The range rebuilt, or null for the whole dataset.</summary>
    public EventDateRange? Dates { get; init; }

    /// <summary>What this run archived into the rebuild (after a crash: only what was left to do).</summary>
    public ArchiveResult? Rebuild { get; init; }

    /// <summary>The manifest run number recorded for the backfill.</summary>
    public long Run { get; init; }

    /// <summary>The event dates the swap replaced (added, rewritten or removed).</summary>
    public IReadOnlyList<DateOnly> DatesReplaced { get; init; } = [];

    /// <summary>Whether the recompute hook ran.</summary>
    public bool Recomputed { get; init; }

    public TimeSpan Duration { get; init; }
}
