using Lambda.SharedModel.IO;
using Lambda.SharedModel.Log;

namespace Lambda.Log.Embedded.Storage;

/// <summary>
/// One partition: its segment files, the next offset, and the signal readers wait on. Appends are
/// serialized by a lock and assign offsets at write time; readers never take it, they read the
/// published segment list, lengths and end offset.
/// </summary>
internal sealed class PartitionLog : IDisposable
{
    private readonly string _directory;
    private readonly EmbeddedLogOptions _options;
    private readonly Lock _appendLock = new();
    private Segment[] _segments;
    private long _endOffset;
    private long _writePosition;
    // The newest append time given out, as a record timestamp or as a read's frontier; never decreases.
    private long _lastTimestamp;
    private int _dirty;
    private TaskCompletionSource _appended = NewSignal();
    // Segments dropped from the list by retention: a read that took the list before may still be in them
    // (the file is unlinked, the handle still reads), so their handles close a while later.
    private readonly List<(Segment Segment, long RetiredAtMs)> _retired = [];

    private PartitionLog(TopicPartition id, string directory, EmbeddedLogOptions options, Segment[] segments)
    {
        Id = id;
        _directory = directory;
        _options = options;
        _segments = segments;
    }

    public TopicPartition Id { get; }

    /// <summary>The offset the next appended record gets: every offset below it is readable.</summary>
    public long EndOffset => Volatile.Read(ref _endOffset);

    public long StartOffset
    {
        get
        {
            var segments = Segments;
            return segments.Length == 0 ? 0 : segments[0].BaseOffset;
        }
    }

    public Segment[] Segments => Volatile.Read(ref _segments);

    /// <summary>Completes at the next append. Take it before checking <see cref="EndOffset"/> so no append is missed.</summary>
    public Task Appended => Volatile.Read(ref _appended).Task;

    /// <summary>
    /// Opens the partition's segments. After an unclean shutdown the last segment is verified batch by
    /// batch and a torn tail is cut; otherwise headers are only hopped. Read-only opens never cut.
    /// </summary>
    public static PartitionLog Open(TopicPartition id, string directory, EmbeddedLogOptions options, bool verifyTail)
    {
        var writable = !options.ReadOnly;
        if (writable)
        {
            Directory.CreateDirectory(directory);
        }

        var bases = Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*.seg")
                .Select(path => Segment.TryParseFileName(Path.GetFileName(path), out var b) ? b : -1)
                .Where(b => b >= 0).Order().ToList()
            : [];
        if (bases.Count == 0 && writable)
        {
            bases.Add(0);
        }

        var segments = writable
            ? bases.Select(b => Segment.Open(directory, b, writable: true)).ToArray()
            : OpenForReading(directory, bases);
        var log = new PartitionLog(id, directory, options, segments);
        for (var i = 0; i < segments.Length; i++)
        {
            log.Recover(segments[i], isLast: i == segments.Length - 1, verifyTail || options.ReadOnly);
        }

        return log;
    }

    /// <summary>
    /// A read-only open races the owner's retention: a segment listed a moment ago may be gone. Only the
    /// oldest ones can go, so a missing segment just moves the start up.
    /// </summary>
    private static Segment[] OpenForReading(string directory, List<long> bases)
    {
        var segments = new List<Segment>();
        foreach (var b in bases)
        {
            try
            {
                segments.Add(Segment.Open(directory, b, writable: false));
            }
            catch (FileNotFoundException) when (segments.Count == 0)
            {
                // Deleted by retention since the listing.
            }
        }

        return [.. segments];
    }

    private void Recover(Segment segment, bool isLast, bool verifyTail)
    {
        var interval = _options.IndexIntervalBytes;
        if (!isLast)
        {
            // A sealed segment: whatever follows a bad header is left for readers to report, never cut.
            SegmentScanner.Scan(segment, 0, segment.BaseOffset, verify: false, skipDamaged: false, interval);
            segment.SetLength(segment.FileLength());
            return;
        }

        var result = SegmentScanner.Scan(segment, 0, segment.BaseOffset, verify: verifyTail, skipDamaged: true, interval);
        if (!result.ReachedEndOfFile && !verifyTail)
        {
            result = SegmentScanner.Scan(segment, 0, segment.BaseOffset, verify: true, skipDamaged: true, interval);
        }

        if (!result.ReachedEndOfFile && !_options.ReadOnly)
        {
            segment.Truncate(result.ValidLength);
        }

        segment.SetLength(result.ValidLength);
        _writePosition = result.ValidLength;
        _endOffset = result.NextOffset;
    }

    /// <summary>
    /// Appends sealed-to-be batches laid out back to back in <paramref name="batches"/>, starting at the
    /// given positions: stamps their offsets and checksums, writes them (one write per segment touched),
    /// applies the fsync policy, then publishes them to readers.
    /// </summary>
    public void Append(Span<byte> batches, ReadOnlySpan<int> starts)
    {
        lock (_appendLock)
        {
            var segmentsBefore = _segments;
            var positionBefore = _writePosition;
            try
            {
                AppendLocked(batches, starts);
            }
            catch (IOException e)
            {
                RollBack(segmentsBefore, positionBefore);
                throw new IOException(
                    $"append to {Id.Topic}/{Id.Partition} failed and was rolled back (nothing of this flush is in the log): {e.Message}", e);
            }
        }
    }

    /// <summary>
    /// Undoes a failed append (a full disk, an I/O error): cuts the bytes it may have written off the
    /// last segment and removes segments it opened, so no stale whole batch stays behind the end for a
    /// later scan to mistake for data. Truncating needs no free space, so this works on a full disk.
    /// </summary>
    private void RollBack(Segment[] segmentsBefore, long positionBefore)
    {
        foreach (var added in _segments.Except(segmentsBefore))
        {
            added.Dispose();
            File.Delete(added.Path);
        }

        var last = segmentsBefore[^1];
        last.Truncate(positionBefore);
        last.TrimIndex(positionBefore);
        last.SetLength(positionBefore);
        Volatile.Write(ref _segments, segmentsBefore);
        _writePosition = positionBefore;
    }

    private void AppendLocked(Span<byte> batches, ReadOnlySpan<int> starts)
    {
        var next = _endOffset;
        var timestamp = NextTimestamp();
        var i = 0;
        while (i < starts.Length)
        {
            var segment = _segments[^1];
            if (_writePosition > 0 && _writePosition + BatchLength(batches, starts, i) > _options.SegmentBytes)
            {
                segment = Roll(next);
            }

            var first = i;
            var position = _writePosition;
            do
            {
                var batch = batches.Slice(starts[i], BatchLength(batches, starts, i));
                BatchFormat.StampTimestamps(batch, timestamp);
                BatchFormat.Seal(batch, next);
                next += BatchFormat.ReadCount(batch);
                position += batch.Length;
                i++;
            }
            while (i < starts.Length && position + BatchLength(batches, starts, i) <= _options.SegmentBytes);

            var end = i < starts.Length ? starts[i] : batches.Length;
            RandomAccess.Write(segment.Handle, batches[starts[first]..end], _writePosition);
            if (_options.Fsync == FsyncPolicy.EveryFlush)
            {
                segment.FlushToDisk();
            }

            for (var j = first; j < i; j++)
            {
                var header = batches[starts[j]..];
                segment.AddIndexEntry(BatchFormat.ReadBaseOffset(header), _writePosition + starts[j] - starts[first],
                    _options.IndexIntervalBytes);
            }

            segment.NoteAppended(_writePosition + starts[i - 1] - starts[first], timestamp);

            _writePosition = position;
            segment.SetLength(position);
        }

        Volatile.Write(ref _endOffset, next);
        Volatile.Write(ref _dirty, 1);
        Interlocked.Exchange(ref _appended, NewSignal()).TrySetResult();
    }

    /// <summary>
    /// Retention: deletes sealed segments (never the last, active one), oldest first, while a segment's
    /// newest record is older than <paramref name="cutoffMs"/> and its end is at or below
    /// <paramref name="guardOffset"/>. The start moves up before each file goes, and files go oldest
    /// first, so a crash at any point leaves the remaining segments contiguous. Returns how many went.
    /// </summary>
    public int DeleteExpiredSegments(long cutoffMs, long guardOffset)
    {
        var expired = new List<Segment>();
        lock (_appendLock)
        {
            CloseRetired(Environment.TickCount64);
            var segments = _segments;
            while (expired.Count < segments.Length - 1)
            {
                var oldest = segments[expired.Count];
                var end = segments[expired.Count + 1].BaseOffset;
                if (end > guardOffset || oldest.NewestTimestampMs() is not { } newest || newest >= cutoffMs)
                {
                    break;
                }

                expired.Add(oldest);
            }

            if (expired.Count == 0)
            {
                return 0;
            }

            Volatile.Write(ref _segments, segments[expired.Count..]);
            foreach (var segment in expired)
            {
                _retired.Add((segment, Environment.TickCount64));
            }
        }

        // Unlinking a large file can take a while: appends go on meanwhile. Oldest first, so a crash here
        // leaves the remaining files contiguous. No directory fsync: an unlink lost to a power failure only
        // brings back an intact segment before the start, which the next pass deletes again, while the fsync
        // would force a journal commit that waits for the writeback of everything being appended.
        foreach (var segment in expired)
        {
            File.Delete(segment.Path);
        }

        return expired.Count;
    }

    /// <summary>For a read-only log: drops leading segments the owner's retention deleted, moving the start up.</summary>
    private void DropDeletedSegments(long nowMs)
    {
        CloseRetired(nowMs);
        var segments = _segments;
        var gone = 0;
        while (gone < segments.Length - 1 && !File.Exists(segments[gone].Path))
        {
            _retired.Add((segments[gone], nowMs));
            gone++;
        }

        if (gone > 0)
        {
            Volatile.Write(ref _segments, segments[gone..]);
        }
    }

    /// <summary>A read holds a segment for one synchronous fill, far shorter than this.</summary>
    private const long RetiredGraceMs = 10_000;

    private void CloseRetired(long nowMs)
    {
        _retired.RemoveAll(r =>
        {
            if (nowMs - r.RetiredAtMs < RetiredGraceMs)
            {
                return false;
            }

            r.Segment.Dispose();
            return true;
        });
    }

    /// <summary>
    /// The end offset together with a log time that every record appended from now on will have at
    /// least (its frontier). Both are read under the append lock, so no append falls between them.
    /// </summary>
    public (long EndOffset, long FrontierMs) EndWithFrontier()
    {
        lock (_appendLock)
        {
            return (_endOffset, NextTimestamp());
        }
    }

    /// <summary>
    /// The log's append time: the wall clock, but never below a time already given out, so record
    /// timestamps never decrease within a partition and a frontier is never broken.
    /// </summary>
    private long NextTimestamp()
    {
        _lastTimestamp = Math.Max(_lastTimestamp, _options.Time.GetUtcNow().ToUnixTimeMilliseconds());
        return _lastTimestamp;
    }

    /// <summary>Under <see cref="FsyncPolicy.Interval"/>: forces appended bytes to disk if any came since the last call.</summary>
    public void SyncIfDirty()
    {
        if (Interlocked.Exchange(ref _dirty, 0) == 1)
        {
            Segments[^1].FlushToDisk();
        }
    }

    /// <summary>
    /// For a read-only log: picks up batches the owning process appended since the last look,
    /// verifying each (a batch being written is not yet intact, so it waits for the next look).
    /// </summary>
    public void Refresh()
    {
        lock (_appendLock)
        {
            DropDeletedSegments(Environment.TickCount64);
            var published = false;
            while (true)
            {
                var segments = _segments;
                if (segments.Length > 0)
                {
                    var last = segments[^1];
                    var result = SegmentScanner.Scan(last, _writePosition, _endOffset, verify: true, skipDamaged: false,
                        _options.IndexIntervalBytes);
                    if (result.ValidLength > _writePosition)
                    {
                        _writePosition = result.ValidLength;
                        last.SetLength(result.ValidLength);
                        Volatile.Write(ref _endOffset, result.NextOffset);
                        published = true;
                    }
                }

                var nextPath = Path.Combine(_directory, Segment.FileName(_endOffset));
                if ((segments.Length > 0 && segments[^1].BaseOffset == _endOffset) || !File.Exists(nextPath))
                {
                    break;
                }

                Volatile.Write(ref _segments, [.. segments, Segment.Open(_directory, _endOffset, writable: false)]);
                _writePosition = 0;
            }

            if (published)
            {
                Interlocked.Exchange(ref _appended, NewSignal()).TrySetResult();
            }
        }
    }

    private Segment Roll(long baseOffset)
    {
        var old = _segments[^1];
        if (_options.Fsync != FsyncPolicy.Never)
        {
            old.FlushToDisk();
        }

        var segment = Segment.Open(_directory, baseOffset, writable: true);
        if (_options.Fsync != FsyncPolicy.Never)
        {
            DurableFiles.FsyncDirectory(_directory);
        }

        Volatile.Write(ref _segments, [.. _segments, segment]);
        _writePosition = 0;
        return segment;
    }

    private static int BatchLength(ReadOnlySpan<byte> batches, ReadOnlySpan<int> starts, int index) =>
        (index + 1 < starts.Length ? starts[index + 1] : batches.Length) - starts[index];

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Forces everything to disk (on a clean close) and closes the files.</summary>
    public void Close()
    {
        lock (_appendLock)
        {
            foreach (var segment in _segments)
            {
                if (!_options.ReadOnly)
                {
                    segment.FlushToDisk();
                }

                segment.Dispose();
            }

            foreach (var (segment, _) in _retired)
            {
                segment.Dispose();
            }

            _retired.Clear();
        }
    }

    public void Dispose() => Close();
}
