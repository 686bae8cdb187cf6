using Lambda.SharedModel.Bots;
using Lambda.SharedModel.Log;
using Lambda.Speed.Tests.Kafka;
using Lambda.Store.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lambda.Speed.Tests;

/// <summary>
/// One speed layer as a separate process would run it: its own view store connection (and, over Kafka,
/// its own client), sharing the checkpoint directory and the store's file with the other members.
/// </summary>
internal sealed class SpeedMember : IAsyncDisposable
{
    private readonly IEventLog? _ownedLog;
    private readonly SqliteViewStore _store;
    private readonly ILoggerFactory _loggers;
    private readonly CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;

    private SpeedMember(IEventLog? ownedLog, SqliteViewStore store, ILoggerFactory loggers, SpeedLayer layer)
    {
        _ownedLog = ownedLog;
        _store = store;
        _loggers = loggers;
        Layer = layer;
    }

    public SpeedLayer Layer { get; }

    public IReadOnlyList<int> Owned => Layer.OwnedPartitions;

    /// <summary>A member with a Kafka client of its own, closed with the member.</summary>
    /// <param name="partitions">Fixed partitions (no group), or null to join the options' group.</param>
    public static Task<SpeedMember> StartAsync(KafkaTraffic traffic, string dataDir, SpeedOptions options,
        IReadOnlyList<int>? partitions = null) =>
        StartAsync(traffic.OpenLog(), ownsLog: true, dataDir, options, NullLoggerFactory.Instance, partitions);

    /// <summary>A member over <paramref name="log"/>, logging to <paramref name="loggers"/> (disposed with the member).</summary>
    /// <param name="ownsLog">Whether the member closes the log when it is disposed.</param>
    /// <param name="partitions">Fixed partitions (no group), or null for the options' group or, on the embedded log, every partition.</param>
    public static async Task<SpeedMember> StartAsync(IEventLog log, bool ownsLog, string dataDir, SpeedOptions options,
        ILoggerFactory loggers, IReadOnlyList<int>? partitions)
    {
        var store = new SqliteViewStore(Path.Combine(dataDir, "views.db"));
        await store.InitializeAsync();
        var layer = new SpeedLayer(log, store, BotRules.Default, options, loggers, TimeProvider.System, partitions);
        var member = new SpeedMember(ownsLog ? log : null, store, loggers, layer);
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
        _loggers.Dispose();
        await _store.DisposeAsync();
        if (_ownedLog is not null)
        {
            await _ownedLog.DisposeAsync();
        }
    }
}
