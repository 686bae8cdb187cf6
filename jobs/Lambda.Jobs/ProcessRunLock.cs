using System.Collections.Concurrent;

namespace Lambda.Jobs;

/// <summary>
/// The run lock of a schedule only one process uses (SQLite, which <see cref="ScheduleStorage.LockSqlite"/>
/// gives to one scheduler, or memory): a semaphore per job.
/// </summary>
internal sealed class ProcessRunLock : IRunLock
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _jobs = new(StringComparer.Ordinal);

    public async Task<IAsyncDisposable> AcquireAsync(string job, CancellationToken cancellationToken)
    {
        var semaphore = _jobs.GetOrAdd(job, _ => new SemaphoreSlim(1, 1));
        await semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Held(semaphore);
    }

    private sealed class Held(SemaphoreSlim semaphore) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            semaphore.Release();
            return ValueTask.CompletedTask;
        }
    }
}
