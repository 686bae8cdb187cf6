using Lambda.SharedModel.Views;
using Microsoft.Extensions.Caching.Memory;

namespace Lambda.Serving.Caching;

/// <summary>
/// What the serving layer keeps between queries. Batch rows of a version never change, so they are
/// kept (by version, campaign, granularity and chunk of 1,440 buckets) until memory pressure evicts
/// them. Whole answers are kept with the view generation they were computed at (the caller compares
/// it) and reused for at most <see cref="SpeedTtl"/>, the age bound every answer reports. Entries are
/// sized in estimated bytes (<see cref="CacheSizes"/>) against one limit: a new entry that does not
/// fit is not kept, and a quarter of the cache (least recently used first) is compacted away.
/// </summary>
internal sealed class ViewCache : IDisposable
{
    private readonly MemoryCache _memory;

    public ViewCache(TimeSpan speedTtl, long sizeLimitBytes)
    {
        SpeedTtl = speedTtl;
        _memory = new MemoryCache(new MemoryCacheOptions { SizeLimit = sizeLimitBytes, CompactionPercentage = 0.25, TrackStatistics = true });
    }

    /// <summary>The estimated bytes held now.</summary>
    public long SizeBytes => _memory.GetCurrentStatistics()?.CurrentEstimatedSize ?? 0;

    /// <summary>Entries held now.</summary>
    public long Count => _memory.Count;

    /// <summary>How long an answer may be reused after it was read while the store has not changed; zero turns that caching off.</summary>
    public TimeSpan SpeedTtl { get; }

    public bool TryGetBatchChunk(object key, out IReadOnlyList<BatchViewRow> rows) =>
        _memory.TryGetValue(key, out rows!);

    public void SetBatchChunk(object key, IReadOnlyList<BatchViewRow> rows) =>
        _memory.Set(key, rows, new MemoryCacheEntryOptions { Size = CacheSizes.Of(rows) });

    public bool TryGetAnswer<T>(object key, out T value) where T : class
    {
        value = null!;
        return _memory.TryGetValue(key, out var cached) && (value = (cached as T)!) is not null;
    }

    /// <summary>Keeps an answer; the caller checks its age, the cache only forgets entries nobody asked for in a while.</summary>
    public void SetAnswer(object key, CachedAnswer answer) =>
        _memory.Set(key, answer, new MemoryCacheEntryOptions { Size = CacheSizes.Of(answer), SlidingExpiration = SpeedTtl * 10 });

    public void Dispose() => _memory.Dispose();
}
