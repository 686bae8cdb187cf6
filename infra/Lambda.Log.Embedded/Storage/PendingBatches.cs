namespace Lambda.Log.Embedded.Storage;

/// <summary>
/// A producer's unflushed records for one partition, already framed as batches back to back in one
/// reusable buffer, so a flush is one write. Offsets and checksums are stamped at append time. A batch
/// takes the format its first record needs (see <see cref="BatchFormat"/>); a record with headers closes
/// a format 1 batch, while a format 2 batch takes records without headers too, so mixed traffic does not
/// cut batches short.
/// </summary>
internal sealed class PendingBatches(PartitionLog partition, int maxBatchBytes)
{
    private byte[] _buffer = new byte[64 * 1024];
    private int[] _starts = new int[8];
    private int _batchCount;
    private int _length;
    private int _openCount;
    private int _openFormat;

    public PartitionLog Partition { get; } = partition;

    public bool IsEmpty => _length == 0;

    public void Add(long timestampMs, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ReadOnlySpan<byte> headers)
    {
        var dataBytes = key.Length + value.Length + headers.Length;
        // A format 1 batch has no room for headers: a record with them closes it.
        var fits = _openCount > 0 && (headers.IsEmpty || _openFormat == BatchFormat.WithHeaders)
            && _length - _starts[_batchCount - 1] + BatchFormat.RecordOverhead(_openFormat) + dataBytes <= maxBatchBytes;
        if (!fits)
        {
            CloseOpenBatch();
            if (_batchCount == _starts.Length)
            {
                Array.Resize(ref _starts, _batchCount * 2);
            }

            _starts[_batchCount++] = _length;
            _length += BatchFormat.HeaderSize;
            _openFormat = headers.IsEmpty ? BatchFormat.Plain : BatchFormat.WithHeaders;
            EnsureCapacity(0);
        }

        EnsureCapacity(BatchFormat.RecordOverhead(_openFormat) + dataBytes);
        _length += BatchFormat.WriteRecord(_buffer.AsSpan(_length), _openFormat, timestampMs, key, value, headers);
        _openCount++;
    }

    /// <summary>Appends everything pending to the partition and empties the buffer for reuse.</summary>
    public void Flush()
    {
        if (_length == 0)
        {
            return;
        }

        CloseOpenBatch();
        try
        {
            Partition.Append(_buffer.AsSpan(0, _length), _starts.AsSpan(0, _batchCount));
        }
        finally
        {
            _length = 0;
            _batchCount = 0;
        }
    }

    /// <summary>Drops everything pending (after a failed flush of the producer).</summary>
    public void Discard()
    {
        _length = 0;
        _batchCount = 0;
        _openCount = 0;
        _openFormat = 0;
    }

    private void CloseOpenBatch()
    {
        if (_openCount > 0)
        {
            var start = _starts[_batchCount - 1];
            BatchFormat.WriteOpenHeader(_buffer.AsSpan(start), _length - start, _openCount, _openFormat);
            _openCount = 0;
            _openFormat = 0;
        }
    }

    private void EnsureCapacity(int extra)
    {
        if (_length + extra > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_length + extra, _buffer.Length * 2));
        }
    }
}
