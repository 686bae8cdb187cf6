using Lambda.Serving.Caching;
using Lambda.Serving.Tests.Http;
using Lambda.SharedModel.Views;
using Microsoft.Extensions.Time.Testing;
using static Lambda.Serving.Tests.Http.ServingWorld;

namespace Lambda.Serving.Tests.Caching;

/// <summary>The gate over a real SQLite store, on a clock that only moves when the test moves it.</summary>
public sealed class ViewGenerationGateTests : IAsyncLifetime
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromMilliseconds(100);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch.AddMilliseconds(D));
    private ServingWorld _world = null!;

    public async Task InitializeAsync() => _world = await ServingWorld.CreateAsync(seed: false);

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private Task WriteAsync(long impressions) =>
        _world.Store.UpsertSpeedRowsAsync([new SpeedViewRow("camp-a", D, 0, Impressions(impressions), [], false)]);

    [Fact]
    public async Task strict_gate_sees_every_write_committed_before_the_read()
    {
        var gate = new ViewGenerationGate(_world.Store, _time, TimeSpan.Zero);
        var before = await gate.ReadAsync(CancellationToken.None);
        await WriteAsync(1);

        var after = await gate.ReadAsync(CancellationToken.None);

        Assert.True(after > before);
        Assert.Equal(await _world.Store.GetViewGenerationAsync(), after);
    }

    [Fact]
    public async Task within_the_max_age_a_read_is_reused_and_once_past_it_the_write_is_seen()
    {
        var gate = new ViewGenerationGate(_world.Store, _time, MaxAge);
        var before = await gate.ReadAsync(CancellationToken.None);
        await WriteAsync(1);
        _time.Advance(MaxAge / 4);

        var reused = await gate.ReadAsync(CancellationToken.None);
        _time.Advance(MaxAge);
        var past = await gate.ReadAsync(CancellationToken.None);

        Assert.Equal(before, reused);
        Assert.True(past > before);
        Assert.Equal(await _world.Store.GetViewGenerationAsync(), past);
    }

    [Fact]
    public async Task a_read_past_half_the_max_age_refreshes_in_the_background_and_the_write_becomes_visible()
    {
        var gate = new ViewGenerationGate(_world.Store, _time, MaxAge);
        var before = await gate.ReadAsync(CancellationToken.None);
        await WriteAsync(1);
        _time.Advance(MaxAge * 3 / 4);

        // Still young enough: answered from the last read, which starts a refresh.
        var first = await gate.ReadAsync(CancellationToken.None);
        var seen = first;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (seen == before)
        {
            await Task.Delay(5, timeout.Token);
            seen = await gate.ReadAsync(CancellationToken.None);
        }

        Assert.Equal(before, first);
        Assert.Equal(await _world.Store.GetViewGenerationAsync(), seen);
    }

    [Fact]
    public async Task concurrent_reads_past_the_max_age_all_see_a_write_committed_before_them()
    {
        var gate = new ViewGenerationGate(_world.Store, _time, MaxAge);
        var before = await gate.ReadAsync(CancellationToken.None);
        await WriteAsync(1);
        _time.Advance(MaxAge * 2);

        var reads = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(() => gate.ReadAsync(CancellationToken.None).AsTask())));

        var expected = await _world.Store.GetViewGenerationAsync();
        Assert.True(expected > before);
        Assert.All(reads, r => Assert.Equal(expected, r));
    }
}
