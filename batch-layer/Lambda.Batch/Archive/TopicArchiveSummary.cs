namespace Lambda.Batch.Archive;

/// <summary>What one run archived from one topic.</summary>
public sealed record TopicArchiveSummary
{
    public required string Topic { get; init; }

    /// <summary>Log records read (valid, invalid and out of the date range).</summary>
    public long RecordsRead { get; init; }

    /// <summary>Valid records written to the master dataset.</summary>
    public long Records { get; init; }

    /// <summary>Records that do not decode: not master data (ingestion dead-lettered them), skipped.</summary>
    public long InvalidSkipped { get; init; }

    /// <summary>Valid records outside a backfill's date range, skipped.</summary>
    public long OutOfRange { get; init; }

    /// <summary>Parquet files written.</summary>
    public int Files { get; init; }

    /// <summary>Bytes of the Parquet files written.</summary>
    public long Bytes { get; init; }
}
