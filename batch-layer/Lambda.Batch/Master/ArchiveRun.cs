namespace Lambda.Batch.Master;

/// <summary>
/// One archive (or backfill) run as the manifest records it: its number, which only grows across the
/// life of the master dataset (a backfill continues the numbering), the event dates whose folders it
/// added files to or replaced, and how many records it archived.
/// </summary>
public sealed record ArchiveRun
{
    /// <summary>The run number: 1, 2, 3, ... never reused, never decreasing.</summary>
    public required long Run { get; init; }

    /// <summary>When the run started (UTC).</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>The UTC event dates this run touched, over all topics, ascending.</summary>
    public required IReadOnlyList<DateOnly> Dates { get; init; }

    /// <summary>Valid records the run added to the master dataset.</summary>
    public long Records { get; init; }

    /// <summary>"archive", "backfill" (everything rebuilt) or "backfill-range".</summary>
    public string Kind { get; init; } = "archive";
}
