namespace Lambda.Jobs;

/// <summary>
/// Keeps two runs of one job from overlapping: a run holds its job's lock from before it is recorded
/// until after it ends, and a second run waits for it. Hangfire's own <c>DisableConcurrentExecution</c>
/// is not used: on PostgreSQL its lock is a row that another node deletes once it is older than a fixed
/// timeout, so a recompute running longer than that would be overlapped.
/// </summary>
internal interface IRunLock
{
    /// <summary>Waits until no other run of <paramref name="job"/> holds the lock, then holds it until disposed.</summary>
    Task<IAsyncDisposable> AcquireAsync(string job, CancellationToken cancellationToken);
}
