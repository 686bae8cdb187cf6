using System.Threading.Channels;
using Lambda.SharedModel.Views;
using Lambda.Speed.State;
using Microsoft.Extensions.Logging;

namespace Lambda.Speed.Output;

/// <summary>
/// The single writer of speed rows to the view store. Partition workers hand it their changed rows
/// through a bounded channel (a full channel makes workers wait: the store sets the pace rather
/// than memory filling up) and await the write, because a checkpoint may only be taken once the
/// rows it covers are in the store. Requests waiting together are written in one store call.
/// A failing store is retried with backoff until it answers again: rows are never dropped, except
/// those of a partition whose owner epoch is no longer current (another owner claimed it): its
/// requests fail with <see cref="PartitionFencedException"/> and the others are written.
/// </summary>
internal sealed partial class SpeedViewWriter : IAsyncDisposable
{
    private sealed record Request(
        int Partition,
        long Epoch,
        IReadOnlyCollection<SpeedViewRow> Rows,
        IReadOnlyCollection<SpeedCountsRow> CountRows,
        SpeedPartitionStatus? Status,
        TaskCompletionSource Done);

    private readonly IViewStore _store;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Channel<Request> _requests = Channel.CreateBounded<Request>(
        new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly CampaignOwners? _owners;
    private long _ownerGeneration;

    /// <param name="owners">Refreshed from the store after each write when an admin transfer changed them; null for none.</param>
    public SpeedViewWriter(IViewStore store, ILogger logger, TimeProvider time, CampaignOwners? owners = null)
    {
        _owners = owners;
        _store = store;
        _logger = logger;
        _time = time;
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>Rows written so far (for status and benchmarks).</summary>
    public long RowsWritten => Interlocked.Read(ref _rowsWritten);

    private long _rowsWritten;

    /// <summary>
    /// Completes once the rows and status of <paramref name="partition"/> are durable in the
    /// store, written under owner epoch <paramref name="epoch"/>. <paramref name="countRows"/> are
    /// windows whose sketch is stored: written counters-only, after <paramref name="rows"/>.
    /// </summary>
    /// <exception cref="PartitionFencedException">The partition was claimed by another owner: nothing was written.</exception>
    public async Task WriteAsync(int partition, long epoch, IReadOnlyCollection<SpeedViewRow> rows, IReadOnlyCollection<SpeedCountsRow> countRows,
        SpeedPartitionStatus? status, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _requests.Writer.WriteAsync(new Request(partition, epoch, rows, countRows, status, done), cancellationToken).ConfigureAwait(false);
        await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Claims the partition in the store (a new owner epoch), retrying until the store answers.</summary>
    public async Task<long> ClaimAsync(int partition, string owner, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await _store.ClaimSpeedPartitionAsync(partition, owner, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogClaimFailed(_logger, ex, partition, attempt, delay.TotalMilliseconds);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5_000));
            }
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var batch = new List<Request>();
        try
        {
            while (await _requests.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                batch.Clear();
                while (batch.Count < 64 && _requests.Reader.TryRead(out var request))
                {
                    batch.Add(request);
                }

                var started = _time.GetTimestamp();
                await WriteWithRetryAsync(batch, cancellationToken).ConfigureAwait(false);
                SpeedMeter.FlushDuration.Record(_time.GetElapsedTime(started).TotalSeconds);
                await RefreshOwnersAsync(cancellationToken).ConfigureAwait(false);
                // What is left was written; fenced requests were failed and taken out.
                foreach (var request in batch)
                {
                    request.Done.TrySetResult();
                }
            }
        }
        catch (OperationCanceledException)
        {
            foreach (var request in batch)
            {
                request.Done.TrySetCanceled(cancellationToken);
            }
        }
    }

    /// <summary>
    /// Takes in the owner pairs an admin transfer added, so a transferred campaign's new owner counts
    /// within about one flush interval. One cheap read per write batch; a failure waits for the next.
    /// </summary>
    private async Task RefreshOwnersAsync(CancellationToken cancellationToken)
    {
        if (_owners is null)
        {
            return;
        }

        try
        {
            var generation = await _store.GetCampaignOwnerGenerationAsync(cancellationToken).ConfigureAwait(false);
            if (generation != _ownerGeneration)
            {
                _owners.Apply(await _store.ReadCampaignOwnersAsync(cancellationToken).ConfigureAwait(false));
                _ownerGeneration = generation;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogOwnerRefreshFailed(_logger, ex);
        }
    }

    private async Task WriteWithRetryAsync(List<Request> batch, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        for (var attempt = 1; batch.Count > 0; attempt++)
        {
            var rows = batch.SelectMany(r => r.Rows).ToList();
            var countRows = batch.SelectMany(r => r.CountRows).ToList();
            var statuses = batch.Where(r => r.Status is not null).Select(r => r.Status!).ToList();
            // Each partition's epoch is checked once per transaction, in the store, not per row.
            var epochs = new Dictionary<int, long>();
            foreach (var request in batch)
            {
                epochs[request.Partition] = request.Epoch;
            }

            try
            {
                // A row's campaign owner is already in the store: the processor claimed it (CampaignOwners)
                // before it applied the campaign's first record.
                if (rows.Count > 0)
                {
                    await _store.UpsertSpeedRowsAsync(rows, epochs, cancellationToken).ConfigureAwait(false);
                }

                // After the full rows: a window re-sent in full from a cancelled flush gets its newest counters.
                if (countRows.Count > 0)
                {
                    await _store.UpsertSpeedCountsAsync(countRows, epochs, cancellationToken).ConfigureAwait(false);
                }

                if (statuses.Count > 0)
                {
                    await _store.UpsertPartitionStatusAsync(statuses, epochs, cancellationToken).ConfigureAwait(false);
                }

                Interlocked.Add(ref _rowsWritten, rows.Count + countRows.Count);
                SpeedMeter.RowsWritten.Add(rows.Count + countRows.Count);
                if (attempt > 1)
                {
                    LogRecovered(_logger, attempt);
                }

                return;
            }
            catch (PartitionFencedException fenced)
            {
                // The partition has a newer owner: its worker drops it; the others are written again
                // at once (rows already written are full values, so writing them twice changes nothing).
                LogFenced(_logger, fenced.Partition, fenced.Epoch, fenced.CurrentEpoch);
                foreach (var request in batch.Where(r => r.Partition == fenced.Partition))
                {
                    request.Done.TrySetException(fenced);
                }

                batch.RemoveAll(r => r.Partition == fenced.Partition);
                attempt--;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogWriteFailed(_logger, ex, batch.Sum(r => r.Rows.Count + r.CountRows.Count), attempt, delay.TotalMilliseconds);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5_000));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _requests.Writer.TryComplete();
        try
        {
            await _loop.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    [LoggerMessage(EventId = SpeedLogEvents.OwnerChangesReadFailed, Level = LogLevel.Warning, Message = "Reading campaign owner changes failed; retried after the next write")]
    private static partial void LogOwnerRefreshFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = SpeedLogEvents.ViewWriteFailed, Level = LogLevel.Warning, Message = "Speed view write of {Rows} rows failed (attempt {Attempt}); retrying in {DelayMs} ms")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int rows, int attempt, double delayMs);

    [LoggerMessage(EventId = SpeedLogEvents.ViewWriteFenced, Level = LogLevel.Warning, Message = "Speed view write of partition {Partition} refused: written under owner epoch {Epoch}, the partition is now owned under epoch {CurrentEpoch}")]
    private static partial void LogFenced(ILogger logger, int partition, long epoch, long currentEpoch);

    [LoggerMessage(EventId = SpeedLogEvents.PartitionClaimFailed, Level = LogLevel.Warning, Message = "Claim of speed partition {Partition} failed (attempt {Attempt}); retrying in {DelayMs} ms")]
    private static partial void LogClaimFailed(ILogger logger, Exception exception, int partition, int attempt, double delayMs);

    [LoggerMessage(EventId = SpeedLogEvents.ViewStoreRecovered, Level = LogLevel.Information, Message = "Speed view store answers again after {Attempt} attempts")]
    private static partial void LogRecovered(ILogger logger, int attempt);
}
