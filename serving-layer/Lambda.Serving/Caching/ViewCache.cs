using Lambda.SharedModel.Views;
using Microsoft.Extensions.Caching.Memory;

namespace Lambda.Serving.Caching;

/// <summary>
/// What the serving layer keeps between queries. Batch rows of a version never change, so they are
/// kept (by version, campaign, granularity and chunk of 1,440 buckets) until memory pressure evicts
/// them. Whole answers are kept with the view generation they were computed at (the caller compares
/// it) and reused for at most <see cref="SpeedTtl"/>, the age bound every answer reports.
/// </summary>
internal sealed class ViewCache : IDisposable
{
    private readonly MemoryCache _memory;

    public ViewCache(TimeSpan speedTtl, long sizeLimitRows)
    {
        SpeedTtl = speedTtl;
        _memory = new MemoryCache(new MemoryCacheOptions { SizeLimit = sizeLimitRows, CompactionPercentage = 0.25 });
    }

    /// <summary>How long an answer may be reused after it was read while the store has not changed; zero turns that caching off.</summary>
    public TimeSpan SpeedTtl { get; }

    public bool TryGetBatchChunk(object key, out IReadOnlyList<BatchViewRow> rows) =>
        _memory.TryGetValue(key, out rows!);

    public void SetBatchChunk(object key, IReadOnlyList<BatchViewRow> rows) =>
        _memory.Set(key, rows, new MemoryCacheEntryOptions { Size = rows.Count + 1 });

    public bool TryGetAnswer<T>(object key, out T value) where T : class
    {
        value = null!;
        return _memory.TryGetValue(key, out var cached) && (value = (cached as T)!) is not null;
    }

    /// <summary>Keeps an answer; the caller checks its age, the cache only forgets entries nobody asked for in a while.</summary>
    public void SetAnswer(object key, object answer, long size) =>
        _memory.Set(key, answer, new MemoryCacheEntryOptions { Size = size, SlidingExpiration = SpeedTtl * 10 });

    public void Dispose() => _memory.Dispose();
}
