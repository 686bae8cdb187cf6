namespace Lambda.SharedModel.Log;

/// <summary>One record read from the log. Its spans point into a <see cref="RecordBatch"/>'s buffer.</summary>
public readonly ref struct LogRecord
{
    public LogRecord(long offset, long timestampMs, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, RecordHeaders headers = default)
    {
        Offset = offset;
        TimestampMs = timestampMs;
        Key = key;
        Value = value;
        Headers = headers;
    }

    public long Offset { get; }

    /// <summary>Append time (log time), Unix epoch milliseconds. Not the event time.</summary>
    public long TimestampMs { get; }

    public ReadOnlySpan<byte> Key { get; }
    public ReadOnlySpan<byte> Value { get; }

    /// <summary>The record's headers, still encoded (empty for most records): parsed only when asked.</summary>
    public RecordHeaders Headers { get; }
}
