using Lambda.SharedModel.Log;
using Lambda.SharedModel.Views;
using Lambda.Speed.Output;
using Microsoft.Extensions.Logging;

namespace Lambda.Speed.Processing;

/// <summary>
/// The output side of one partition: collects the processor's changed rows on a wall-clock grid of the
/// flush interval (every partition flushes at the same moments) and hands them, with the partition's
/// status, to the view writer without waiting for the store, so processing goes on while rows are
/// written. One flush is in flight at a time; a cancelled one is re-sent with the next.
/// </summary>
internal sealed partial class PartitionFlusher
{
    private readonly int _partition;
    private readonly long _epoch;
    private readonly SpeedViewWriter _writer;
    private readonly IEventLog _log;
    private readonly TopicPartition[] _inputs;
    private readonly string _owner;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly Action<SpeedFlushReport>? _onFlushed;
    private readonly ILogger _logger;
    private readonly List<SpeedViewRow> _rows = [];
    private readonly List<SpeedCountsRow> _countRows = [];
    // The flush being written, and what it carries (put back for the next flush if it fails).
    private Task _write = Task.CompletedTask;
    private SpeedViewRow[] _writingRows = [];
    private SpeedCountsRow[] _writingCountRows = [];
    private long _processedAtLastFlush;
    private DateTimeOffset _lastFlush;

    public PartitionFlusher(int partition, long epoch, SpeedViewWriter writer, IEventLog log, TopicPartition[] inputs, string owner,
        TimeSpan interval, TimeProvider time, Action<SpeedFlushReport>? onFlushed, long processed, ILogger logger)
    {
        (_partition, _epoch, _writer, _log, _inputs, _owner, _interval, _time, _onFlushed, _logger) =
            (partition, epoch, writer, log, inputs, owner, interval, time, onFlushed, logger);
        _processedAtLastFlush = processed;
        _lastFlush = time.GetUtcNow();
        NextFlushDue = NextGridPoint(_lastFlush);
    }

    /// <summary>When the next flush is due (wall clock).</summary>
    public DateTimeOffset NextFlushDue { get; private set; }

    /// <summary>The latest status, set once its flush is in the store.</summary>
    public SpeedPartitionStatus? Status { get; private set; }

    /// <summary>Rows handed to the writer since <see cref="CountRowsFromNowOn"/>.</summary>
    public long RowsSinceMark { get; private set; }

    public void CountRowsFromNowOn() => RowsSinceMark = 0;

    /// <summary>
    /// Collects the changed rows and hands them to the writer without waiting for the store. If the
    /// previous flush is still being written, does nothing: the next step tries again.
    /// </summary>
    public async Task StartAsync(PartitionProcessor processor, LogDeadLetterSink deadLetters, CancellationToken cancellationToken)
    {
        if (!_write.IsCompleted)
        {
            return;
        }

        await CompleteWriteAsync().ConfigureAwait(false);
        processor.CollectChanges(_rows, _countRows);
        var rows = LastOfEachWindow(_rows, r => (r.CampaignId, r.BucketStartMs));
        var countRows = LastOfEachWindow(_countRows, r => (r.CampaignId, r.BucketStartMs));
        LogFlushing(_logger, _partition, rows.Length + countRows.Length);
        await deadLetters.FlushAsync(cancellationToken).ConfigureAwait(false);
        var status = await BuildStatusAsync(processor, cancellationToken).ConfigureAwait(false);
        _rows.Clear();
        _countRows.Clear();
        RowsSinceMark += rows.Length + countRows.Length;
        var report = new SpeedFlushReport(_partition, processor.LogTimeMs, default, rows.Length + countRows.Length, processor.Counters.Processed);
        (_writingRows, _writingCountRows) = (rows, countRows);
        _write = WriteAsync(rows, countRows, status, report, cancellationToken);
        _lastFlush = _time.GetUtcNow();
        NextFlushDue = NextGridPoint(_lastFlush);
    }

    /// <summary>Flushes and waits until the store holds every row so far (before a checkpoint or a stop).</summary>
    public async Task FlushAndWaitAsync(PartitionProcessor processor, LogDeadLetterSink deadLetters, CancellationToken cancellationToken)
    {
        await CompleteWriteAsync().ConfigureAwait(false);
        await StartAsync(processor, deadLetters, cancellationToken).ConfigureAwait(false);
        if (!await CompleteWriteAsync().ConfigureAwait(false))
        {
            throw new OperationCanceledException("the speed view write was cancelled", cancellationToken);
        }
    }

    /// <summary>
    /// Waits for the flush in flight. If it was cancelled (the writer retries every other failure),
    /// its rows go out with the next flush, and this returns false.
    /// </summary>
    public async Task<bool> CompleteWriteAsync()
    {
        try
        {
            await _write.ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            // Re-sent first, so a window changed again since is still written last, with its newest value.
            _rows.InsertRange(0, _writingRows);
            _countRows.InsertRange(0, _writingCountRows);
            return false;
        }
        finally
        {
            _write = Task.CompletedTask;
            (_writingRows, _writingCountRows) = ([], []);
        }
    }

    private async Task WriteAsync(SpeedViewRow[] rows, SpeedCountsRow[] countRows, SpeedPartitionStatus status,
        SpeedFlushReport report, CancellationToken cancellationToken)
    {
        await _writer.WriteAsync(_partition, _epoch, rows, countRows, status, cancellationToken).ConfigureAwait(false);
        Status = status;
        _onFlushed?.Invoke(report with { VisibleAt = _time.GetUtcNow() });
    }

    private async Task<SpeedPartitionStatus> BuildStatusAsync(PartitionProcessor processor, CancellationToken cancellationToken)
    {
        long lag = 0;
        try
        {
            for (var t = 0; t < _inputs.Length; t++)
            {
                var offsets = await _log.GetOffsetsAsync(_inputs[t], cancellationToken).ConfigureAwait(false);
                lag += offsets.LagFrom(processor.NextOffsets[t]);
            }
        }
        catch (LogUnavailableException)
        {
            // The lag is only reported: a log that cannot answer now (a Kafka outage) must not hold up the
            // flush of rows already processed, nor the hand-over of a revoked partition. The last known lag stands.
            lag = Status?.Lag ?? 0;
        }

        var now = _time.GetUtcNow();
        var seconds = Math.Max(0.001, (now - _lastFlush).TotalSeconds);
        var c = processor.Counters;
        var rate = (c.Processed - _processedAtLastFlush) / seconds;
        _processedAtLastFlush = c.Processed;
        return new SpeedPartitionStatus(_partition, _owner, processor.WatermarkMs, lag, rate, c.Processed,
            c.BotFiltered, c.Late, c.Unattributed, c.Duplicates, c.DeadLettered, now, c.OwnerMismatched, c.FutureDated);
    }

    /// <summary>The newest row of each window (a re-sent flush may hold an older one).</summary>
    private static T[] LastOfEachWindow<T>(List<T> rows, Func<T, (string, long)> window) =>
        rows.Count == 0 ? [] : [.. rows.GroupBy(window).Select(g => g.Last())];

    /// <summary>The first multiple of the flush interval (since the epoch) after <paramref name="now"/>.</summary>
    private DateTimeOffset NextGridPoint(DateTimeOffset now)
    {
        var interval = _interval.Ticks;
        var ticks = now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return DateTimeOffset.UnixEpoch.AddTicks((ticks / interval + 1) * interval);
    }

    [LoggerMessage(EventId = SpeedLogEvents.FlushStarting, Level = LogLevel.Debug, Message = "Partition {Partition} flush of {Rows} rows starts")]
    private static partial void LogFlushing(ILogger logger, int partition, int rows);
}
