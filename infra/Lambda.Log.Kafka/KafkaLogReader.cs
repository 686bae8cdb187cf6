using System.Diagnostics;
using Confluent.Kafka;
using Lambda.SharedModel.Log;
using KafkaTopicPartition = Confluent.Kafka.TopicPartition;
using KafkaTopicPartitionOffset = Confluent.Kafka.TopicPartitionOffset;
using TopicPartition = Lambda.SharedModel.Log.TopicPartition;

namespace Lambda.Log.Kafka;

/// <summary>
/// Positional reads (no group, no commits) with one assigned consumer per topic-partition read, kept
/// for the next call: a caller reading on from <see cref="RecordBatch.NextOffset"/> streams what
/// librdkafka prefetched, without a seek; any other offset re-positions that consumer. A caller that
/// alternates between partitions (a speed worker reads partition p of three topics) therefore never
/// re-assigns: with one consumer, each switch cost a fresh fetch (about 500 ms on the mock cluster).
/// At most <see cref="MaxCursors"/> consumers are kept; the least recently used one is closed.
/// </summary>
internal sealed class KafkaLogReader : ILogReader
{
    // Blocking waits are cut in slices so that cancellation is noticed promptly.
    private static readonly TimeSpan PollSlice = TimeSpan.FromMilliseconds(100);

    // Topics use LogAppendTime (or, when created elsewhere with CreateTime, the producer stamps its clock,
    // never a caller's time), so a record appended later carries the clock at append.
    // Unlike the embedded log, Kafka cannot promise a frontier; this margin covers the broker's
    // clock skew and the delay between append and visibility. It is an assumption, documented.
    private static readonly TimeSpan FrontierMargin = TimeSpan.FromSeconds(5);

    /// <summary>Consumers kept per reader: a speed worker reads three topic-partitions.</summary>
    public const int MaxCursors = 4;

    private readonly KafkaClientConfigs _configs;
    private readonly KafkaTopicCatalog _topics;
    private readonly TimeSpan _fetchTimeout;
    private readonly TimeProvider _time;
    private readonly Action<KafkaLogReader> _onDisposed;
    private readonly List<Cursor> _cursors = [];
    // Each record's Kafka headers re-encoded as RecordHeaders; reused, so only Confluent's own objects are allocated.
    private readonly RecordHeadersWriter _headers = new();
    private Cursor _cursor = null!;
    private bool _disposed;

    private enum Outcome
    {
        Nothing,
        Added,
        End,
    }

    public KafkaLogReader(KafkaClientConfigs configs, KafkaTopicCatalog topics, TimeSpan fetchTimeout, TimeProvider time,
        Action<KafkaLogReader> onDisposed)
    {
        _configs = configs;
        _topics = topics;
        _fetchTimeout = fetchTimeout;
        _time = time;
        _onDisposed = onDisposed;
    }

    public ValueTask ReadAsync(TopicPartition topicPartition, long fromOffset, RecordBatch into, int maxRecords,
        TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(into);
        ArgumentOutOfRangeException.ThrowIfNegative(fromOffset);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRecords, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWait, TimeSpan.Zero);
        cancellationToken.ThrowIfCancellationRequested();
        into.Reset(fromOffset);
        _topics.CheckExists(topicPartition);
        MoveTo(topicPartition, fromOffset);

        // Fast path: records already fetched by librdkafka are taken without blocking.
        while (into.Count < maxRecords && ConsumeNext(into, TimeSpan.Zero) == Outcome.Added)
        {
        }

        return into.Count > 0
            ? default
            : new ValueTask(Task.Run(() => WaitAndFill(topicPartition, into, maxRecords, maxWait, cancellationToken), cancellationToken));
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var cursor in _cursors)
        {
            cursor.Dispose();
        }

        _cursors.Clear();
        _onDisposed(this);
    }

    private void WaitAndFill(TopicPartition topicPartition, RecordBatch into, int maxRecords, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var waitUntil = Stopwatch.GetTimestamp() + ToTicks(maxWait);
        var confirmedEnd = false;
        while (into.Count < maxRecords)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), waitUntil);
            var timeout = into.Count > 0 ? TimeSpan.Zero : Clamp(remaining);
            var outcome = ConsumeNext(into, timeout);
            if (outcome == Outcome.Added)
            {
                continue;
            }

            if (into.Count > 0)
            {
                break;
            }

            if (Stopwatch.GetTimestamp() < waitUntil)
            {
                continue;
            }

            // The wait is over with nothing read. An end-of-partition event or an empty queue may be
            // older than a flush that returned before this call, so ask the broker once where the end
            // is: an empty batch is returned only when nothing is there to read.
            if (confirmedEnd)
            {
                break;
            }

            confirmedEnd = true;
            var end = _topics.Offsets(topicPartition).End;
            if (end <= into.NextOffset)
            {
                into.LogTimeFrontierMs = _time.GetUtcNow().ToUnixTimeMilliseconds() - (long)FrontierMargin.TotalMilliseconds;
                break;
            }

            waitUntil = Stopwatch.GetTimestamp() + ToTicks(_fetchTimeout);
        }
    }

    private Outcome ConsumeNext(RecordBatch into, TimeSpan timeout)
    {
        ConsumeResult<byte[], byte[]>? result;
        try
        {
            result = _cursor.Consumer.Consume(timeout);
        }
        catch (ConsumeException e)
        {
            return OnConsumeError(e, into);
        }

        if (result is null)
        {
            return Outcome.Nothing;
        }

        if (result.IsPartitionEOF)
        {
            _cursor.Position = result.Offset.Value;
            return Outcome.End;
        }

        // Records before the requested offset only appear after an offset reset; they were not asked for.
        if (result.Offset.Value < into.NextOffset)
        {
            return Outcome.Nothing;
        }

        var message = result.Message;
        into.Add(result.Offset.Value, message.Timestamp.UnixTimestampMs, message.Key, message.Value, HeadersOf(message));
        _cursor.Position = result.Offset.Value + 1;
        return Outcome.Added;
    }

    /// <summary>
    /// The message's headers as <see cref="RecordHeaders"/>: the keys encoded, the values taken from
    /// Confluent's arrays as they are (GetValueBytes returns its array, no copy). A null value reads as empty.
    /// </summary>
    private RecordHeaders HeadersOf(Message<byte[], byte[]> message)
    {
        if (message.Headers is not { Count: > 0 } headers)
        {
            return default;
        }

        _headers.Clear();
        // Indexed: the enumerator of Confluent's Headers is an allocated interface.
        for (var i = 0; i < headers.Count; i++)
        {
            var header = headers[i];
            _headers.Add(header.Key, header.GetValueBytes());
        }

        return _headers.Headers;
    }

    private Outcome OnConsumeError(ConsumeException e, RecordBatch into)
    {
        var topicPartition = _cursor.TopicPartition;
        _cursor.Assigned = false;
        switch (e.Error.Code)
        {
            case ErrorCode.UnknownTopicOrPart or ErrorCode.Local_UnknownTopic:
                throw new UnknownTopicException(topicPartition.Topic);
            case ErrorCode.Local_AutoOffsetReset or ErrorCode.OffsetOutOfRange:
                var offsets = _topics.Offsets(topicPartition);
                if (into.NextOffset >= offsets.End)
                {
                    // Past the end: nothing to read yet. The next call positions the consumer again.
                    return Outcome.End;
                }

                // Before the start (records removed by retention): read from the first one kept, as
                // Kafka's "earliest" reset does.
                MoveTo(topicPartition, offsets.Start);
                return Outcome.Nothing;
            default:
                throw new KafkaException(e.Error, e);
        }
    }

    private void MoveTo(TopicPartition topicPartition, long offset)
    {
        _cursor = CursorFor(topicPartition);
        if (_cursor.Assigned && _cursor.Position == offset)
        {
            return;
        }

        var target = new KafkaTopicPartitionOffset(
            new KafkaTopicPartition(topicPartition.Topic, new Partition(topicPartition.Partition)), new Offset(offset));
        if (_cursor.Assigned)
        {
            try
            {
                _cursor.Consumer.Seek(target);
                _cursor.Position = offset;
                return;
            }
            catch (KafkaException)
            {
                // Seek needs an active fetcher; right after an assignment it may not have one yet.
            }
        }

        _cursor.Consumer.Assign(target);
        _cursor.Assigned = true;
        _cursor.Position = offset;
    }

    private Cursor CursorFor(TopicPartition topicPartition)
    {
        var index = _cursors.FindIndex(c => c.TopicPartition == topicPartition);
        Cursor cursor;
        if (index >= 0)
        {
            cursor = _cursors[index];
            _cursors.RemoveAt(index);
        }
        else
        {
            if (_cursors.Count >= MaxCursors)
            {
                _cursors[0].Dispose();
                _cursors.RemoveAt(0);
            }

            cursor = new Cursor(topicPartition, new ConsumerBuilder<byte[], byte[]>(_configs.Reader()).SetLogHandler(_configs.OnClientLog).Build());
        }

        // Most recently used last.
        _cursors.Add(cursor);
        return cursor;
    }

    private static TimeSpan Clamp(TimeSpan remaining) =>
        remaining <= TimeSpan.Zero ? TimeSpan.Zero : remaining < PollSlice ? remaining : PollSlice;

    private static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    /// <summary>One topic-partition's consumer and where it stands.</summary>
    private sealed class Cursor(TopicPartition topicPartition, IConsumer<byte[], byte[]> consumer) : IDisposable
    {
        public TopicPartition TopicPartition { get; } = topicPartition;

        public IConsumer<byte[], byte[]> Consumer { get; } = consumer;

        public bool Assigned { get; set; }

        public long Position { get; set; }

        public void Dispose()
        {
            Consumer.Close();
            Consumer.Dispose();
        }
    }
}
