namespace Lambda.Batch.Archive;

/// <summary>The outcome of one <see cref="ArchiveJob"/> run.</summary>
public sealed record ArchiveResult
{
    /// <summary>The manifest's run number for this run, or null if there was nothing new to archive.</summary>
    public long? Run { get; init; }

    /// <summary>Per event topic, in <see cref="Master.MasterDataset.TopicsArchived"/> order.</summary>
    public required IReadOnlyList<TopicArchiveSummary> Topics { get; init; }

    /// <summary>The UTC event dates the run added files to.</summary>
    public required IReadOnlyList<DateOnly> Dates { get; init; }

    /// <summary>Leftover files of a crashed run deleted at the start.</summary>
    public int OrphansDeleted { get; init; }

    public TimeSpan Duration { get; init; }

    /// <summary>Wall and thread CPU time per stage, summed over the workers.</summary>
    public ArchiveTimings Timings { get; init; } = new();

    public long RecordsRead => Topics.Sum(t => t.RecordsRead);
    public long Records => Topics.Sum(t => t.Records);
    public long InvalidSkipped => Topics.Sum(t => t.InvalidSkipped);
    public int Files => Topics.Sum(t => t.Files);
    public long Bytes => Topics.Sum(t => t.Bytes);

    /// <summary>Log records read per second of <see cref="Duration"/>.</summary>
    public double EventsPerSecond => RecordsRead / Math.Max(Duration.TotalSeconds, 1e-6);
}
