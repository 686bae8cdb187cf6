using Microsoft.Win32.SafeHandles;

namespace Lambda.Log.Embedded.Storage;

/// <summary>
/// One segment file of a partition: records from <see cref="BaseOffset"/> on, appended at its end,
/// with a sparse in-memory index from record offset to the file position of the batch holding it.
/// </summary>
internal sealed class Segment : IDisposable
{
    private readonly FileStream _stream;
    private readonly Lock _indexLock = new();
    private long[] _indexOffsets = new long[64];
    private long[] _indexPositions = new long[64];
    private int _indexCount;
    private long _length;
    private long _lastIndexedPosition = int.MinValue;
    private long _lastBatchPosition = -1;
    private long _newestTimestampMs = -1;

    private Segment(string path, long baseOffset, FileStream stream)
    {
        Path = path;
        BaseOffset = baseOffset;
        _stream = stream;
    }

    public string Path { get; }

    public long BaseOffset { get; }

    public SafeFileHandle Handle => _stream.SafeFileHandle;

    /// <summary>Bytes of whole, acknowledged batches: readers never look past it.</summary>
    public long Length => Volatile.Read(ref _length);

    public static string FileName(long baseOffset) => $"{baseOffset:D20}.seg";

    public static bool TryParseFileName(string fileName, out long baseOffset)
    {
        baseOffset = 0;
        return fileName.EndsWith(".seg", StringComparison.Ordinal) && fileName.Length == 24
            && long.TryParse(fileName.AsSpan(0, 20), System.Globalization.NumberStyles.None, null, out baseOffset);
    }

    public static Segment Open(string directory, long baseOffset, bool writable)
    {
        var path = System.IO.Path.Combine(directory, FileName(baseOffset));

        // Shared with other readers and processes; the directory lock, not the file, keeps a second writer out.
        var stream = new FileStream(path, writable ? FileMode.OpenOrCreate : FileMode.Open,
            writable ? FileAccess.ReadWrite : FileAccess.Read, FileShare.ReadWrite | FileShare.Delete,
            bufferSize: 0, FileOptions.None);
        return new Segment(path, baseOffset, stream);
    }

    public long FileLength() => RandomAccess.GetLength(Handle);

    /// <summary>Cuts a torn tail off the file.</summary>
    public void Truncate(long length)
    {
        _stream.SetLength(length);
        _stream.Flush(flushToDisk: true);
    }

    public void FlushToDisk() => _stream.Flush(flushToDisk: true);

    /// <summary>Publishes appended bytes to readers (after they are written and, by policy, synced).</summary>
    public void SetLength(long length) => Volatile.Write(ref _length, length);

    /// <summary>Records where the newest batch starts (found by a scan), so its log time can be read when needed.</summary>
    public void NoteLastBatch(long position) => _lastBatchPosition = position;

    /// <summary>Records the log time of a batch just appended: every record in it has that time.</summary>
    public void NoteAppended(long position, long timestampMs)
    {
        _lastBatchPosition = position;
        Volatile.Write(ref _newestTimestampMs, timestampMs);
    }

    /// <summary>
    /// The log time of the segment's newest record (all records of a batch share the append time, so it is
    /// the last batch's first record's), or null if it cannot be read (an empty or damaged tail).
    /// </summary>
    public long? NewestTimestampMs()
    {
        var known = Volatile.Read(ref _newestTimestampMs);
        if (known >= 0)
        {
            return known;
        }

        if (_lastBatchPosition < 0 || _lastBatchPosition + BatchFormat.HeaderSize + 8 > Length)
        {
            return null;
        }

        Span<byte> timestamp = stackalloc byte[8];
        if (RandomAccess.Read(Handle, timestamp, _lastBatchPosition + BatchFormat.HeaderSize) != 8)
        {
            return null;
        }

        var value = System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(timestamp);
        if (value < 0)
        {
            return null;
        }

        Volatile.Write(ref _newestTimestampMs, value);
        return value;
    }

    /// <summary>Records that the batch with <paramref name="baseOffset"/> starts at <paramref name="position"/>.</summary>
    public void AddIndexEntry(long baseOffset, long position, int intervalBytes, bool force = false)
    {
        if (!force && position - _lastIndexedPosition < intervalBytes)
        {
            return;
        }

        lock (_indexLock)
        {
            if (_indexCount == _indexOffsets.Length)
            {
                Array.Resize(ref _indexOffsets, _indexCount * 2);
                Array.Resize(ref _indexPositions, _indexCount * 2);
            }

            _indexOffsets[_indexCount] = baseOffset;
            _indexPositions[_indexCount] = position;
            _indexCount++;
        }

        _lastIndexedPosition = position;
    }

    /// <summary>Forgets index entries at or after <paramref name="position"/> (bytes cut by a rolled-back append).</summary>
    public void TrimIndex(long position)
    {
        lock (_indexLock)
        {
            while (_indexCount > 0 && _indexPositions[_indexCount - 1] >= position)
            {
                _indexCount--;
            }

            _lastIndexedPosition = _indexCount == 0 ? int.MinValue : _indexPositions[_indexCount - 1];
        }
    }

    /// <summary>The last indexed batch start at or before <paramref name="offset"/>: (its base offset, its position).</summary>
    public (long Offset, long Position) Seek(long offset)
    {
        lock (_indexLock)
        {
            var found = Array.BinarySearch(_indexOffsets, 0, _indexCount, offset);
            var at = found >= 0 ? found : ~found - 1;
            return at < 0 ? (BaseOffset, 0) : (_indexOffsets[at], _indexPositions[at]);
        }
    }

    public void Dispose() => _stream.Dispose();
}
