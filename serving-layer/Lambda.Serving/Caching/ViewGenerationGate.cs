using Lambda.SharedModel.Views;

namespace Lambda.Serving.Caching;

/// <summary>
/// Reads the store's view generation for many concurrent requests with few round trips. A request
/// gets a generation from a read that started at most <c>maxAge</c> before it arrived, so a write
/// committed more than <c>maxAge</c> before a request is always seen by it. At most one read is in
/// flight. With a non-zero max age, a request is answered at once from the last read while it is young
/// enough, and a read past half the max age starts one refresh in the background: under steady load
/// no request waits for a round trip. A request finding no young enough read (the first after an idle
/// spell) joins a read in flight if that started recently enough, else waits for the next read, which
/// starts when the one in flight ends and serves every request that arrived meanwhile. With a zero max
/// age (strict) a request never uses a read that started before it arrived.
/// </summary>
internal sealed class ViewGenerationGate
{
    private readonly IViewStore _store;
    private readonly TimeProvider _time;
    private readonly long _maxAgeTicks;
    private readonly Lock _lock = new();

    // Guarded by _lock. The last completed read: its value and when it started.
    private bool _hasLatest;
    private long _latest;
    private long _latestStartedAt;

    // Guarded by _lock. The read in flight, if any, and the requests waiting for the one after it.
    private TaskCompletionSource<long>? _reading;
    private long _readingStartedAt;
    private TaskCompletionSource<long>? _waiting;

    public ViewGenerationGate(IViewStore store, TimeProvider time, TimeSpan maxAge)
    {
        _store = store;
        _time = time;
        _maxAgeTicks = (long)(maxAge.TotalSeconds * time.TimestampFrequency);
    }

    public ValueTask<long> ReadAsync(CancellationToken cancellationToken)
    {
        var arrived = _time.GetTimestamp();
        TaskCompletionSource<long>? wait = null;
        TaskCompletionSource<long>? start = null;
        TaskCompletionSource<long>? refresh = null;
        long young;
        lock (_lock)
        {
            young = _latest;
            if (_maxAgeTicks > 0 && _hasLatest && arrived - _latestStartedAt <= _maxAgeTicks)
            {
                if (_reading is null && arrived - _latestStartedAt >= _maxAgeTicks / 2)
                {
                    _reading = refresh = NewRead();
                    _readingStartedAt = arrived;
                }
            }
            else if (_reading is null)
            {
                _reading = start = wait = NewRead();
                _readingStartedAt = arrived;
            }
            else if (_maxAgeTicks > 0 && arrived - _readingStartedAt <= _maxAgeTicks)
            {
                wait = _reading;
            }
            else
            {
                wait = _waiting ??= NewRead();
            }
        }
        if (wait is null)
        {
            if (refresh is not null)
            {
                QueueRead(refresh);
            }
            return ValueTask.FromResult(young);
        }
        if (start is not null)
        {
            // This request waits anyway: read on its own thread.
            _ = ReadIntoAsync(start);
        }
        return new ValueTask<long>(wait.Task.WaitAsync(cancellationToken));
    }

    private static TaskCompletionSource<long> NewRead() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Off the caller's thread: with a synchronous store the read would otherwise delay it.</summary>
    private void QueueRead(TaskCompletionSource<long> read) =>
        ThreadPool.UnsafeQueueUserWorkItem(static state => _ = state.Gate.ReadIntoAsync(state.Read), (Gate: this, Read: read), preferLocal: false);

    private async Task ReadIntoAsync(TaskCompletionSource<long> read)
    {
        try
        {
            // Shared by every waiter, so no single caller's cancellation may stop it.
            var generation = await _store.GetViewGenerationAsync(CancellationToken.None).ConfigureAwait(false);
            lock (_lock)
            {
                // Reads run one at a time, so a later read never finishes before an earlier one.
                _hasLatest = true;
                _latest = generation;
                _latestStartedAt = _readingStartedAt;
            }
            read.TrySetResult(generation);
        }
        catch (Exception ex)
        {
            read.TrySetException(ex);
            // A background refresh may have no waiter; its failure reaches the next request instead.
            _ = read.Task.Exception;
        }
        finally
        {
            ReleaseOrHandOver();
        }
    }

    /// <summary>Ends a read: the requests that arrived during it get a read of their own, started now.</summary>
    private void ReleaseOrHandOver()
    {
        TaskCompletionSource<long>? next;
        lock (_lock)
        {
            next = _waiting;
            _waiting = null;
            _reading = next;
            if (next is not null)
            {
                _readingStartedAt = _time.GetTimestamp();
            }
        }
        if (next is not null)
        {
            QueueRead(next);
        }
    }
}
