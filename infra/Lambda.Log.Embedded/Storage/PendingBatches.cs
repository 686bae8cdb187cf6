namespace Lambda.Log.Embedded.Storage;

/// <summary>
/// A producer's unflushed records for one partition, already framed as batches back to back in one
/// reusable buffer, so a flush is one write. Offsets and checksums are stamped at append time.
/// </summary>
internal sealed class PendingBatches(PartitionLog partition, int maxBatchBytes)
{
    private byte[] _buffer = new byte[64 * 1024];
    private int[] _starts = new int[8];
    private int _batchCount;
    private int _length;
    private int _openCount;

    public PartitionLog Partition { get; } = partition;

    public bool IsEmpty => _length == 0;

    public void Add(long timestampMs, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        var recordBytes = BatchFormat.RecordOverhead + key.Length + value.Length;
        if (_openCount == 0 || _length - _starts[_batchCount - 1] + recordBytes > maxBatchBytes)
        {
            CloseOpenBatch();
            if (_batchCount == _starts.Length)
            {
                Array.Resize(ref _starts, _batchCount * 2);
            }

            _starts[_batchCount++] = _length;
            _length += BatchFormat.HeaderSize;
            EnsureCapacity(0);
        }

        EnsureCapacity(recordBytes);
        _length += BatchFormat.WriteRecord(_buffer.AsSpan(_length), timestampMs, key, value);
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
    }

    private void CloseOpenBatch()
    {
        if (_openCount > 0)
        {
            var start = _starts[_batchCount - 1];
            BatchFormat.WriteOpenHeader(_buffer.AsSpan(start), _length - start, _openCount);
            _openCount = 0;
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
