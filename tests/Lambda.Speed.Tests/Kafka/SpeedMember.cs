using Lambda.Log.Kafka;
using Lambda.SharedModel.Bots;
using Lambda.Store.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lambda.Speed.Tests.Kafka;

/// <summary>
/// One speed layer as a separate process would run it: its own Kafka client and view store
/// connection, sharing the checkpoint directory and the store's file with the other members.
/// </summary>
internal sealed class SpeedMember : IAsyncDisposable
{
    private readonly KafkaEventLog _log;
    private readonly SqliteViewStore _store;
    private readonly CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;

    private SpeedMember(KafkaEventLog log, SqliteViewStore store, SpeedLayer layer)
    {
        _log = log;
        _store = store;
        Layer = layer;
    }

    public SpeedLayer Layer { get; }

    public IReadOnlyList<int> Owned => Layer.OwnedPartitions;

    /// <param name="partitions">Fixed partitions (no group), or null to join the options' group.</param>
    public static async Task<SpeedMember> StartAsync(KafkaTraffic traffic, string dataDir, SpeedOptions options,
        IReadOnlyList<int>? partitions = null)
    {
        var log = traffic.OpenLog();
        var store = new SqliteViewStore(Path.Combine(dataDir, "views.db"));
        await store.InitializeAsync();
        var layer = new SpeedLayer(log, store, BotRules.Default, options, NullLoggerFactory.Instance, TimeProvider.System, partitions);
        var member = new SpeedMember(log, store, layer);
        member._running = Task.Run(() => layer.RunAsync(member._stop.Token));
        return member;
    }

    /// <summary>A clean stop: in a group, the member leaves it and hands its partitions over.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _running;
    }

    /// <summary>Throws what the layer failed with, if it stopped by itself.</summary>
    public void ThrowIfFailed()
    {
        if (_running.IsFaulted)
        {
            _running.GetAwaiter().GetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        _stop.Dispose();
        await _store.DisposeAsync();
        await _log.DisposeAsync();
    }
}
