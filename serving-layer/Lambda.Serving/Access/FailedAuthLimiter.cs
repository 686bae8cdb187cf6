using System.Threading.RateLimiting;

namespace Lambda.Serving.Access;

/// <summary>
/// One token bucket for the whole host, drained by failed authentications of well-formed keys (each
/// cost a store read). While it is empty, a key that is not remembered is refused (429) before its
/// lookup, so guessing keys cannot turn into a flood of store reads; remembered keys go on working.
/// A malformed key never reaches it: it is refused by its shape alone.
/// </summary>
public sealed class FailedAuthLimiter : IDisposable
{
    private readonly TokenBucketRateLimiter _bucket;

    public FailedAuthLimiter(int perSecond, int burst)
    {
        _bucket = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = perSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    /// <summary>Whether failures have used up the bucket: then unremembered keys are not looked up.</summary>
    public bool IsExhausted => _bucket.GetStatistics()?.CurrentAvailablePermits <= 0;

    /// <summary>Counts one failed authentication.</summary>
    public void CountFailure() => _bucket.AttemptAcquire(1).Dispose();

    /// <inheritdoc />
    public void Dispose() => _bucket.Dispose();
}
