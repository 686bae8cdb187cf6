using Lambda.Jobs;

namespace Lambda.Jobs.Tests;

/// <summary>
/// A batch layer that only counts: how many archives and recomputes ran, and the most that ever ran
/// at once. Optionally each recompute waits for the test to let it finish, and the first
/// <see cref="TransientFailures"/> recomputes fail transiently.
/// </summary>
public sealed class RecordingBatch : IBatchOperations
{
    private readonly SemaphoreSlim _release = new(0);
    private readonly SemaphoreSlim _started = new(0);
    private int _running;
    private int _maxRunning;
    private int _archives;
    private int _recomputes;
    private int _failuresLeft;

    public bool Gated { get; init; }

    public int TransientFailures { init => _failuresLeft = value; }

    public Exception? FatalError { get; init; }

    public int Archives => Volatile.Read(ref _archives);

    public int Recomputes => Volatile.Read(ref _recomputes);

    public int MaxConcurrentRecomputes => Volatile.Read(ref _maxRunning);

    public Task<long> ArchiveAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _archives);
        return Task.FromResult(100L);
    }

    public async Task<long> RecomputeAsync(bool full, CancellationToken cancellationToken)
    {
        var running = Interlocked.Increment(ref _running);
        try
        {
            InterlockedMax(ref _maxRunning, running);
            _started.Release();
            if (Interlocked.Decrement(ref _failuresLeft) >= 0)
            {
                throw new TimeoutException("the store did not answer in time");
            }

            if (FatalError is not null)
            {
                throw FatalError;
            }

            if (Gated)
            {
                await _release.WaitAsync(cancellationToken);
            }

            Interlocked.Increment(ref _recomputes);
            return 42;
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }

    /// <summary>Waits (wall clock) until a recompute has started.</summary>
    public Task WaitForStartAsync() => _started.WaitAsync(TimeSpan.FromSeconds(60)).ContinueWith(t =>
        Assert.True(t.Result, "no recompute started within 60 s"), TaskScheduler.Default);

    /// <summary>Lets one gated recompute finish.</summary>
    public void ReleaseOne() => _release.Release();

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
