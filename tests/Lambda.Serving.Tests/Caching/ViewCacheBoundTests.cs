using Lambda.Serving.Merge;
using Lambda.Serving.Tests.Http;
using Lambda.SharedModel.Time;
using static Lambda.Serving.Tests.Http.ServingWorld;

namespace Lambda.Serving.Tests.Caching;

/// <summary>
/// The query cache is bounded by bytes: week-long minute answers (~10,000 rows, megabytes of JSON
/// each) fill it by their size, not their row count (3,000 of them once grew the server by 3.5 GB
/// under a 4M-row cap).
/// </summary>
public sealed class ViewCacheBoundTests : IAsyncLifetime
{
    private const long Limit = 8L << 20;
    private ServingWorld _world = null!;

    public async Task InitializeAsync() => _world = await ServingWorld.CreateAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task distinct_week_long_minute_answers_are_kept_within_the_byte_limit()
    {
        using var query = new MetricsQuery(_world.Store, speedCacheDuration: TimeSpan.FromMinutes(1), cacheSizeBytes: Limit);
        const int Queries = 24;

        for (var i = 0; i < Queries; i++)
        {
            var from = D - (6 * 24 * H) + (i * M);
            await query.RunAsync("camp-a", from, from + (7 * 24 * H), Granularity.Minute);
        }

        var cache = query.Cache;
        Assert.InRange(cache.SizeBytes, 1, Limit);
        // Each answer weighs megabytes, so only a few of the 24 fit; by rows (10,081 each) all would have.
        Assert.InRange(cache.Count, 1, Queries - 1);
    }
}
