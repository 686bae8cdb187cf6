using System.Collections.Concurrent;
using Lambda.Serving.Api;
using Lambda.Serving.Caching;
using Lambda.SharedModel.Time;
using Lambda.SharedModel.Views;

namespace Lambda.Serving.Merge;

/// <summary>
/// Answers "metrics of campaign C over [from, to) at granularity g" by reading the views and merging
/// at the batch watermark (<see cref="BucketMerger"/>). Buckets that end by W come from batch rows of
/// the current version (cached per version: they never change); the rest come from one
/// <see cref="IViewStore.ReadSnapshotAsync"/>, whose version is checked against the one the batch part
/// used, so an answer never mixes versions. Whole answers (with their encoded bytes) are cached per
/// (campaign, range, granularity) and reused only while the store's view generation
/// (<see cref="IViewStore.GetViewGenerationAsync"/>), from a read at most <c>generationMaxAge</c> old
/// when the query arrives, is the one they were computed at: a speed flush or a batch flip is seen by
/// every query arriving that long after it (zero: by the next query). Thread-safe; one instance serves
/// every request.
/// </summary>
public sealed class MetricsQuery : IDisposable
{
    private readonly IViewStore _store;
    private readonly TimeProvider _time;
    private readonly ViewCache _cache;
    // Answers computed at once: one core fewer than the machine has, so a flood of distinct, uncached
    // queries (each reads, merges, encodes and compresses up to megabytes) queues here instead of taking
    // every core from cheap requests such as /v1/health and cached answers.
    private readonly SemaphoreSlim _computeSlots = new(Math.Max(1, Environment.ProcessorCount - 1));
    private readonly ViewGenerationGate _generations;
    private readonly ConcurrentDictionary<(AnswerKey Key, long Generation), Lazy<Task<CachedAnswer>>> _inFlight = new();

    /// <param name="speedCacheDuration">The longest an answer is reused, even while the store has not
    /// changed: it bounds the age of <c>freshness.speed_read_at</c>. Zero turns the answer cache off
    /// (every query reads the store).</param>
    /// <param name="cacheSizeBytes">Estimated bytes (batch rows, answers with their JSON and gzip) the cache may hold.</param>
    /// <param name="generationMaxAge">How old a read of the view generation a query may use (refreshed in
    /// the background); zero reads it for every query. Default 50 ms.</param>
    public MetricsQuery(IViewStore store, TimeProvider? time = null, TimeSpan? speedCacheDuration = null, long cacheSizeBytes = 384L << 20,
        TimeSpan? generationMaxAge = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _time = time ?? TimeProvider.System;
        _cache = new ViewCache(speedCacheDuration ?? TimeSpan.FromMinutes(1), cacheSizeBytes);
        _generations = new ViewGenerationGate(store, _time, generationMaxAge ?? TimeSpan.FromMilliseconds(50));
    }

    /// <summary>The cache, for tests.</summary>
    internal ViewCache Cache => _cache;

    /// <summary>The longest an answer is reused while the store has not changed.</summary>
    public TimeSpan SpeedCacheDuration => _cache.SpeedTtl;

    /// <summary>
    /// The merged metrics. The range is widened to whole buckets; the caller checks it against
    /// <see cref="QueryLimits"/> first.
    /// </summary>
    public async Task<MetricsAnswer> RunAsync(string campaignId, long fromMs, long toMs, Granularity granularity,
        CancellationToken cancellationToken = default) =>
        (await RunCachedAsync(campaignId, fromMs, toMs, granularity, cancellationToken).ConfigureAwait(false)).Answer;

    /// <summary>The merged metrics with their encoded bytes, from the cache when the store has not changed since.</summary>
    internal async ValueTask<CachedAnswer> RunCachedAsync(string campaignId, long fromMs, long toMs, Granularity granularity,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(campaignId);
        var shape = new MergeInput(fromMs, toMs, granularity, null, [], [], [], null);
        if (_cache.SpeedTtl <= TimeSpan.Zero)
        {
            await _computeSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var readAt = _time.GetTimestamp();
                var answer = await ComputeAsync(campaignId, shape, cancellationToken).ConfigureAwait(false);
                return new CachedAnswer(answer, EncodedAnswer.Of(answer), 0, readAt);
            }
            finally
            {
                _computeSlots.Release();
            }
        }

        // Read (or a young enough read reused) before the cache lookup: an entry of this generation
        // holds every write that read saw.
        var generation = await _generations.ReadAsync(cancellationToken).ConfigureAwait(false);
        var key = new AnswerKey(campaignId, shape.AlignedFromMs, shape.AlignedToMs, granularity);
        if (_cache.TryGetAnswer<CachedAnswer>(key, out var cached) && cached.Generation == generation)
        {
            var age = _time.GetElapsedTime(cached.ReadAtTimestamp);
            if (age < _cache.SpeedTtl)
            {
                // Same generation, so the answer is current; refresh it ahead of the age bound so
                // under steady load no request waits for that.
                if (age >= _cache.SpeedTtl / 2)
                {
                    _ = Task.Run(() => ComputeOnceAsync(key, generation, shape));
                }
                return cached;
            }
        }
        return await ComputeOnceAsync(key, generation, shape).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One computation per key and generation at a time: concurrent misses share it (no thundering herd).</summary>
    private Task<CachedAnswer> ComputeOnceAsync(AnswerKey key, long generation, MergeInput shape)
    {
        var flight = _inFlight.GetOrAdd((key, generation),
            k => new Lazy<Task<CachedAnswer>>(() => ComputeAndCacheAsync(k.Key, k.Generation, shape)));
        return flight.Value;
    }

    private async Task<CachedAnswer> ComputeAndCacheAsync(AnswerKey key, long generation, MergeInput shape)
    {
        await _computeSlots.WaitAsync().ConfigureAwait(false);
        try
        {
            // Started after `generation` was read, so the rows read include every write it counts.
            var readAt = _time.GetTimestamp();
            // Shared by every waiter, so no single caller's cancellation may stop it.
            var answer = await ComputeAsync(key.CampaignId, shape, CancellationToken.None).ConfigureAwait(false);
            var encoded = EncodedAnswer.Of(answer);
            // Compressed here, once, so no request waits for it.
            _ = encoded.Gzip;
            var cached = new CachedAnswer(answer, encoded, generation, readAt);
            if (!_cache.TryGetAnswer<CachedAnswer>(key, out var present) || present.Generation <= generation)
            {
                _cache.SetAnswer(key, cached);
            }
            return cached;
        }
        finally
        {
            _computeSlots.Release();
            _inFlight.TryRemove((key, generation), out _);
        }
    }

    private async Task<MetricsAnswer> ComputeAsync(string campaignId, MergeInput shape, CancellationToken cancellationToken)
    {
        var granularity = shape.Granularity;
        var readAt = _time.GetUtcNow();
        var version = await _store.GetCurrentBatchVersionAsync(cancellationToken).ConfigureAwait(false);
        var input = await ReadAsync(campaignId, shape with { Version = version }, cancellationToken).ConfigureAwait(false);
        if (input is null)
        {
            // The version flipped between the two reads: take everything from one snapshot instead.
            var snapshot = await _store.ReadSnapshotAsync(campaignId, granularity.Name(), shape.AlignedFromMs, shape.AlignedToMs, cancellationToken)
                .ConfigureAwait(false);
            input = shape with { Version = snapshot.CurrentVersion, BatchRows = snapshot.BatchRows, SpeedRows = snapshot.SpeedRows };
            input = input with { StraddleMinuteRows = await StraddleAsync(campaignId, input, cancellationToken).ConfigureAwait(false) };
        }

        // The floor is read after the speed rows: retention that ran in between can only raise it,
        // which turns buckets missing rather than letting deleted minutes count as zeros.
        var floor = await _store.GetOldestSpeedBucketAsync(cancellationToken).ConfigureAwait(false);
        var partitions = await _store.ListPartitionStatusAsync(cancellationToken).ConfigureAwait(false);
        var merged = BucketMerger.Merge(input with { SpeedFloorMs = floor });
        var answer = new MetricsAnswer(
            campaignId,
            ApiTime.FromMs(shape.AlignedFromMs),
            ApiTime.FromMs(shape.AlignedToMs),
            granularity.Name(),
            input.Version is { } v ? ApiTime.FromMs(v.WatermarkMs) : null,
            input.Version?.VersionId,
            Freshness(partitions, readAt),
            merged.Rows,
            merged.Totals,
            merged.Gaps);
        return answer;
    }

    /// <summary>The rows of <paramref name="shape"/>, or null if the store's current version is no longer the head's.</summary>
    private async Task<MergeInput?> ReadAsync(string campaignId, MergeInput shape, CancellationToken cancellationToken)
    {
        var from = shape.AlignedFromMs;
        var to = shape.AlignedToMs;
        // Buckets before `settled` end by the cut: batch only, from the immutable version.
        var settled = shape.Version is null
            ? from
            : Math.Clamp(TimeBucket.Floor(shape.CutMs, shape.Granularity).StartMs, from, to);
        var batchRows = new List<BatchViewRow>();
        if (shape.Version is { } version && settled > from)
        {
            await AddBatchChunksAsync(version.VersionId, campaignId, shape.Granularity, from, settled, batchRows, cancellationToken)
                .ConfigureAwait(false);
        }

        IReadOnlyList<SpeedViewRow> speedRows = [];
        if (settled < to)
        {
            var snapshot = await _store.ReadSnapshotAsync(campaignId, shape.Granularity.Name(), settled, to, cancellationToken)
                .ConfigureAwait(false);
            if (snapshot.CurrentVersion?.VersionId != shape.Version?.VersionId)
            {
                return null;
            }
            batchRows.AddRange(snapshot.BatchRows);
            speedRows = snapshot.SpeedRows;
        }

        var input = shape with { BatchRows = batchRows, SpeedRows = speedRows };
        return input with { StraddleMinuteRows = await StraddleAsync(campaignId, input, cancellationToken).ConfigureAwait(false) };
    }

    private async Task AddBatchChunksAsync(long versionId, string campaignId, Granularity granularity, long from, long to,
        List<BatchViewRow> into, CancellationToken cancellationToken)
    {
        var chunkLength = BatchChunkKey.ChunkLengthMs(granularity);
        var first = from - (((from % chunkLength) + chunkLength) % chunkLength);
        for (var chunk = first; chunk < to; chunk += chunkLength)
        {
            var key = new BatchChunkKey(versionId, campaignId, granularity, chunk);
            if (!_cache.TryGetBatchChunk(key, out var rows))
            {
                rows = await _store.ReadBatchRowsAsync(versionId, campaignId, granularity.Name(), chunk, chunk + chunkLength, cancellationToken)
                    .ConfigureAwait(false);
                _cache.SetBatchChunk(key, rows);
            }
            foreach (var row in rows)
            {
                if (row.BucketStartMs >= from && row.BucketStartMs < to)
                {
                    into.Add(row);
                }
            }
        }
    }

    /// <summary>Batch minute rows before the cut of the bucket straddling it (a version's rows never change: cached).</summary>
    private async Task<IReadOnlyList<BatchViewRow>> StraddleAsync(string campaignId, MergeInput input, CancellationToken cancellationToken)
    {
        if (input.Version is not { } version || input.StraddleStartMs is not { } start
            || start < input.AlignedFromMs || start >= input.AlignedToMs)
        {
            return [];
        }
        var key = new StraddleKey(version.VersionId, campaignId, start);
        if (!_cache.TryGetBatchChunk(key, out var rows))
        {
            rows = await _store.ReadBatchRowsAsync(version.VersionId, campaignId, Granularity.Minute.Name(), start, input.CutMs, cancellationToken)
                .ConfigureAwait(false);
            _cache.SetBatchChunk(key, rows);
        }
        return rows;
    }

    private SpeedFreshness Freshness(IReadOnlyList<SpeedPartitionStatus> partitions, DateTimeOffset readAt)
    {
        var speed = SpeedStatus.Of(partitions, listPartitions: false);
        return new SpeedFreshness(speed.Watermark, speed.UpdatedAt, speed.Lag, readAt.UtcDateTime, (long)_cache.SpeedTtl.TotalMilliseconds);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _cache.Dispose();
        _computeSlots.Dispose();
    }

    private readonly record struct AnswerKey(string CampaignId, long FromMs, long ToMs, Granularity Granularity);

    private readonly record struct StraddleKey(long VersionId, string CampaignId, long StartMs);
}
