using Lambda.Log.Embedded.Storage;
using Lambda.SharedModel.Log;

namespace Lambda.Log.Embedded;

/// <summary>
/// Positional reads: seeks with the segment index, reads large chunks with pread and copies records
/// into the caller's batch. Remembers where its last read stopped, so a sequential replay neither
/// seeks nor rereads.
/// </summary>
internal sealed class EmbeddedReader(EmbeddedEventLog log) : ILogReader
{
    private readonly FileWindow _window = new(1024 * 1024);

    // Where the last read stopped: the batch at _hintPosition of _hintSegment starts at _hintBase.
    private Segment? _hintSegment;
    private long _hintBase = -1;
    private long _hintPosition;

    public async ValueTask ReadAsync(TopicPartition topicPartition, long fromOffset, RecordBatch into, int maxRecords,
        TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(into);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRecords, 1);
        var partition = log.GetPartition(topicPartition);
        if (fromOffset < partition.StartOffset)
        {
            throw new ArgumentOutOfRangeException(nameof(fromOffset), fromOffset,
                $"{topicPartition} starts at offset {partition.StartOffset}");
        }

        into.Reset(fromOffset);
        var readOnly = log.Options.ReadOnly;
        var time = log.Options.Time;
        var started = time.GetTimestamp();
        while (true)
        {
            var appended = partition.Appended;
            var end = partition.EndOffset;
            if (fromOffset < end)
            {
                Fill(partition, fromOffset, end, into, maxRecords);
                SetFrontier(partition, into, readOnly);
                return;
            }

            if (readOnly)
            {
                partition.Refresh();
                if (partition.EndOffset > fromOffset)
                {
                    continue;
                }
            }

            var remaining = maxWait - time.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                SetFrontier(partition, into, readOnly);
                return;
            }

            if (readOnly)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(log.Options.ReadOnlyPollMs, remaining.TotalMilliseconds)),
                    cancellationToken).ConfigureAwait(false);
                continue;
            }

            try
            {
                await appended.WaitAsync(remaining, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                SetFrontier(partition, into, readOnly);
                return;
            }
        }
    }

    /// <summary>
    /// When the read reached the end of the partition, tells the reader the log time every later
    /// record will have at least. A read-only log (another process appends) cannot promise that.
    /// </summary>
    private static void SetFrontier(PartitionLog partition, RecordBatch into, bool readOnly)
    {
        if (readOnly)
        {
            return;
        }

        var (end, frontier) = partition.EndWithFrontier();
        if (into.NextOffset >= end)
        {
            into.LogTimeFrontierMs = frontier;
        }
    }

    private void Fill(PartitionLog partition, long from, long end, RecordBatch into, int maxRecords)
    {
        var segments = partition.Segments;
        if (from < segments[0].BaseOffset)
        {
            // Retention deleted the segment between the start check and this read.
            throw new ArgumentOutOfRangeException(nameof(from), from, $"{partition.Id} starts at offset {segments[0].BaseOffset}");
        }

        var index = SegmentIndexOf(segments, from);
        var cursor = from;
        while (into.Count < maxRecords && cursor < end && index < segments.Length)
        {
            var segment = segments[index];
            var length = segment.Length;
            var (batchBase, position) = ReferenceEquals(segment, _hintSegment) && _hintBase <= cursor && _hintBase >= 0
                && SeekIsNotFarther(segment, cursor, _hintBase)
                ? (_hintBase, _hintPosition)
                : segment.Seek(cursor);
            while (position < length && into.Count < maxRecords && cursor < end)
            {
                if (!_window.TryGet(segment, position, BatchFormat.HeaderSize, length, out var header)
                    || !BatchFormat.IsPlausibleHeader(header, length - position))
                {
                    StopAtCorruption(into, segment, position, batchBase, "bad batch header");
                    return;
                }

                var batchLength = BatchFormat.ReadLength(header);
                var count = BatchFormat.ReadCount(header);
                var format = BatchFormat.ReadFormat(header);
                if (!_window.TryGet(segment, position, batchLength, length, out var batch)
                    || BatchFormat.ReadBaseOffset(batch) != batchBase || !BatchFormat.ChecksumMatches(batch))
                {
                    StopAtCorruption(into, segment, position, batchBase, "checksum or offset mismatch");
                    return;
                }

                if (batchBase + count > cursor)
                {
                    var at = BatchFormat.HeaderSize;
                    for (var i = 0; i < count && into.Count < maxRecords; i++)
                    {
                        at = BatchFormat.ReadRecord(batch, format, at, out var timestamp, out var key, out var value, out var headers);
                        if (batchBase + i >= cursor)
                        {
                            into.Add(batchBase + i, timestamp, key, value, new RecordHeaders(headers));
                        }
                    }

                    cursor = into.NextOffset;
                    if (cursor < batchBase + count)
                    {
                        Remember(segment, batchBase, position);
                        return;
                    }
                }

                position += batchLength;
                batchBase += count;
                cursor = Math.Max(cursor, batchBase);
            }

            Remember(segment, batchBase, position);
            if (position >= length)
            {
                index++;
            }
        }
    }

    /// <summary>
    /// Serves what was read before the bad bytes; the read that starts at them throws, so a consumer
    /// stops exactly at the damage and the exception names it.
    /// </summary>
    private void StopAtCorruption(RecordBatch into, Segment segment, long position, long offset, string detail)
    {
        _hintSegment = null;
        if (into.Count == 0)
        {
            throw new LogCorruptionException(segment.Path, position, offset, detail);
        }
    }

    /// <summary>The hint is only a shortcut when the index cannot land closer to the wanted offset.</summary>
    private static bool SeekIsNotFarther(Segment segment, long cursor, long hintBase) => segment.Seek(cursor).Offset <= hintBase;

    private void Remember(Segment segment, long batchBase, long position)
    {
        _hintSegment = segment;
        _hintBase = batchBase;
        _hintPosition = position;
    }

    private static int SegmentIndexOf(Segment[] segments, long offset)
    {
        var low = 0;
        var high = segments.Length - 1;
        while (low < high)
        {
            var mid = (low + high + 1) / 2;
            if (segments[mid].BaseOffset <= offset)
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }

        return low;
    }

    public void Dispose()
    {
    }
}
