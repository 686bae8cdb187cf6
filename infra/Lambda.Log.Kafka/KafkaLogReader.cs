using System.Diagnostics;
using Confluent.Kafka;
using Lambda.SharedModel.Log;
using KafkaTopicPartition = Confluent.Kafka.TopicPartition;
using KafkaTopicPartitionOffset = Confluent.Kafka.TopicPartitionOffset;
using TopicPartition = Lambda.SharedModel.Log.TopicPartition;

namespace Lambda.Log.Kafka;

/// <summary>
/// Positional reads with one assigned consumer (no group, no commits). The consumer keeps its
/// position between calls, so a caller reading on from <see cref="RecordBatch.NextOffset"/> streams
/// without a seek; any other offset, or another partition, re-positions it.
/// </summary>
internal sealed class KafkaLogReader : ILogReader
{
    // Blocking waits are cut in slices so that cancellation is noticed promptly.
    private static readonly TimeSpan PollSlice = TimeSpan.FromMilliseconds(100);

    // Topics use LogAppendTime, so a record appended later carries the broker's clock at append.
    // Unlike the embedded log, Kafka cannot promise a frontier; this margin covers the broker's
    // clock skew and the delay between append and visibility. It is an assumption, documented.
    private static readonly TimeSpan FrontierMargin = TimeSpan.FromSeconds(5);

    private readonly IConsumer<byte[], byte[]> _consumer;
    private readonly KafkaTopicCatalog _topics;
    private readonly TimeSpan _fetchTimeout;
    private readonly Action<KafkaLogReader> _onDisposed;
    private TopicPartition? _assigned;
    private long _position;
    private bool _disposed;

    private enum Outcome
    {
        Nothing,
        Added,
        End,
    }

    public KafkaLogReader(KafkaClientConfigs configs, KafkaTopicCatalog topics, TimeSpan fetchTimeout, Action<KafkaLogReader> onDisposed)
    {
        _consumer = new ConsumerBuilder<byte[], byte[]>(configs.Reader()).Build();
        _topics = topics;
        _fetchTimeout = fetchTimeout;
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
        _consumer.Close();
        _consumer.Dispose();
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
                into.LogTimeFrontierMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - (long)FrontierMargin.TotalMilliseconds;
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
            result = _consumer.Consume(timeout);
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
            _position = result.Offset.Value;
            return Outcome.End;
        }

        // Records before the requested offset only appear after an offset reset; they were not asked for.
        if (result.Offset.Value < into.NextOffset)
        {
            return Outcome.Nothing;
        }

        var message = result.Message;
        into.Add(result.Offset.Value, message.Timestamp.UnixTimestampMs, message.Key, message.Value);
        _position = result.Offset.Value + 1;
        return Outcome.Added;
    }

    private Outcome OnConsumeError(ConsumeException e, RecordBatch into)
    {
        var topicPartition = _assigned!.Value;
        _assigned = null;
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
        if (_assigned == topicPartition && _position == offset)
        {
            return;
        }

        var target = new KafkaTopicPartitionOffset(
            new KafkaTopicPartition(topicPartition.Topic, new Partition(topicPartition.Partition)), new Offset(offset));
        if (_assigned == topicPartition)
        {
            try
            {
                _consumer.Seek(target);
                _position = offset;
                return;
            }
            catch (KafkaException)
            {
                // Seek needs an active fetcher; right after an assignment it may not have one yet.
            }
        }

        _consumer.Assign(target);
        _assigned = topicPartition;
        _position = offset;
    }

    private static TimeSpan Clamp(TimeSpan remaining) =>
        remaining <= TimeSpan.Zero ? TimeSpan.Zero : remaining < PollSlice ? remaining : PollSlice;

    private static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
