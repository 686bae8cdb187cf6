namespace Lambda.Log.Embedded.Storage;

/// <summary>
/// Walks the batches of a segment on open (or when a read-only log looks for new records),
/// rebuilding the sparse index and finding where the intact data ends.
/// </summary>
internal static class SegmentScanner
{
    /// <summary>Where a scan stopped: the end of intact data and the offset the next record gets.</summary>
    public readonly record struct Result(long ValidLength, long NextOffset, bool ReachedEndOfFile);

    /// <param name="verify">Check every checksum (the tail after a crash); otherwise hop from header to header.</param>
    /// <param name="skipDamaged">
    /// Step over a damaged batch when an intact batch provably follows it: that is bit rot in the middle,
    /// which must not cost the records after it; a torn tail is never followed by an intact batch.
    /// </param>
    public static Result Scan(Segment segment, long fromPosition, long expectedOffset, bool verify, bool skipDamaged,
        int indexIntervalBytes)
    {
        var fileLength = segment.FileLength();
        // Verifying reads whole batches in big chunks; hopping reads headers, so small chunks waste less.
        var window = new FileWindow((int)Math.Clamp(fileLength - fromPosition, BatchFormat.HeaderSize, verify ? 4 * 1024 * 1024 : 16 * 1024));
        var position = fromPosition;
        var next = expectedOffset;
        var forceIndex = false;
        while (position < fileLength)
        {
            if (TryReadBatch(window, segment, position, fileLength, next, next, verify, out var length, out var count, out var baseOffset))
            {
                segment.AddIndexEntry(baseOffset, position, indexIntervalBytes, forceIndex);
                segment.NoteLastBatch(position);
                forceIndex = false;
                position += length;
                next = baseOffset + count;
                continue;
            }

            if (skipDamaged && TryStepOver(window, segment, position, fileLength, next, out var nextPosition, out var nextBase))
            {
                position = nextPosition;
                next = nextBase;
                forceIndex = true;
                continue;
            }

            return new Result(position, next, ReachedEndOfFile: false);
        }

        return new Result(position, next, ReachedEndOfFile: true);
    }

    private static bool TryReadBatch(FileWindow window, Segment segment, long position, long fileLength, long minOffset,
        long maxOffset, bool verify, out int length, out int count, out long baseOffset)
    {
        length = 0;
        count = 0;
        baseOffset = 0;
        if (!window.TryGet(segment, position, BatchFormat.HeaderSize, fileLength, out var header)
            || !BatchFormat.IsPlausibleHeader(header, fileLength - position))
        {
            return false;
        }

        length = BatchFormat.ReadLength(header);
        count = BatchFormat.ReadCount(header);
        baseOffset = BatchFormat.ReadBaseOffset(header);
        if (verify && (!window.TryGet(segment, position, length, fileLength, out var batch) || !BatchFormat.IsIntact(batch)))
        {
            return false;
        }

        // In hop mode the base offset is not checksummed, so the unbroken chain of offsets is the check.
        return baseOffset >= minOffset && baseOffset <= maxOffset;
    }

    private static bool TryStepOver(FileWindow window, Segment segment, long position, long fileLength, long expectedOffset,
        out long nextPosition, out long nextBase)
    {
        nextPosition = 0;
        nextBase = 0;
        if (!window.TryGet(segment, position, BatchFormat.HeaderSize, fileLength, out var header)
            || !BatchFormat.IsPlausibleHeader(header, fileLength - position))
        {
            return false;
        }

        var after = position + BatchFormat.ReadLength(header);
        if (after >= fileLength
            || !TryReadBatch(window, segment, after, fileLength, expectedOffset + 1, long.MaxValue, verify: true, out _, out _, out var baseOffset))
        {
            return false;
        }

        nextPosition = after;
        nextBase = baseOffset;
        return true;
    }
}
