namespace Lambda.Batch.Archive;

/// <summary>What archiving one chunk of one partition did; its files are in place but not yet committed.</summary>
internal sealed record ChunkOutcome(long NextOffset, long RecordsRead, long Records, long Invalid, long OutOfRange,
    IReadOnlyList<DateOnly> Dates, int Files, long Bytes);
