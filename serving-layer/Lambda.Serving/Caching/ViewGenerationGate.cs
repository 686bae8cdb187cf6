using Lambda.SharedModel.Views;

namespace Lambda.Serving.Caching;

/// <summary>
/// Reads the store's view generation for many concurrent requests with few round trips, without
/// ever answering from a read that started before the request. At most one read is in flight; a
/// request that arrives during it waits for the next read, which starts when that one ends and
/// serves every request that arrived meanwhile. So a write committed before a request arrived is
/// always seen, and under load the store answers one generation read per round trip, not one per request.
/// </summary>
internal sealed class ViewGenerationGate(IViewStore store)
{
    private readonly Lock _lock = new();
    private bool _reading;
    private TaskCompletionSource<long>? _waiting;

    public async ValueTask<long> ReadAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource<long>? next;
        lock (_lock)
        {
            if (_reading)
            {
                next = _waiting ??= new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            else
            {
                _reading = true;
                next = null;
            }
        }
        if (next is not null)
        {
            return await next.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        try
        {
            return await store.GetViewGenerationAsync(cancellationToken).ConfigureAwait(false);
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
            _reading = next is not null;
        }
        if (next is not null)
        {
            // Off this request's thread: with a synchronous store the read would otherwise delay it.
            ThreadPool.UnsafeQueueUserWorkItem(static state => _ = state.Gate.ReadForAsync(state.Waiting), (Gate: this, Waiting: next), preferLocal: false);
        }
    }

    private async Task ReadForAsync(TaskCompletionSource<long> waiting)
    {
        try
        {
            // Shared by every waiter, so no single caller's cancellation may stop it.
            waiting.TrySetResult(await store.GetViewGenerationAsync(CancellationToken.None).ConfigureAwait(false));
        }
        catch (Exception ex)
        {
            waiting.TrySetException(ex);
        }
        finally
        {
            ReleaseOrHandOver();
        }
    }
}
