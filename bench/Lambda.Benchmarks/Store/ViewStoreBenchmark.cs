using BenchmarkDotNet.Attributes;
using Lambda.SharedModel.Views;

namespace Lambda.Benchmarks.Store;

/// <summary>
/// What the speed and serving layers ask of a view store: upserting a speed batch of 5,000 rows
/// (reported per row, so rows/s = 1 / mean) and a one-day per-minute snapshot of one campaign
/// (1,440 batch rows plus 2 hours of speed rows over 4 partitions). Derived classes add the physical
/// reference: one trivial round trip on the same kind of connection.
/// </summary>
[MemoryDiagnoser]
public abstract class ViewStoreBenchmark
{
    protected const int BatchSize = 5_000;
    private const long Minute = 60_000;
    private const long Day0 = 20_000 * 24 * 60 * Minute;
    private const string ReadCampaign = "campaign-0000";

    private SpeedViewRow[][] _speedBatches = [];
    private int _nextBatch;
    private readonly Dictionary<int, long> _ownerEpochs = [];

    protected IViewStore Store { get; private set; } = null!;

    /// <summary>Opens and initializes an empty store.</summary>
    protected abstract Task<IViewStore> OpenStoreAsync();

    /// <summary>Removes the store's data after the store is disposed.</summary>
    protected abstract Task CleanUpAsync();

    // Synchronous setup and cleanup: the in-process toolchain does not await async ones.
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        Store = await OpenStoreAsync();
        // Two alternating batches with different values for the same keys: every upsert after the
        // first updates 5,000 existing rows, as the speed layer does each second.
        _speedBatches = [SpeedBatch(1), SpeedBatch(2)];
        await Store.UpsertSpeedRowsAsync(_speedBatches[0]);
        for (var p = 0; p < 5; p++)
        {
            _ownerEpochs[p] = await Store.ClaimSpeedPartitionAsync(p, "bench");
        }

        await Store.CreateBatchVersionAsync(new BatchVersionInfo(1, Day0 + (22 * 60 * Minute), DateTimeOffset.UtcNow, "{}", 0, BatchVersionStates.Loading));
        for (var c = 0; c < 20; c++)
        {
            var rows = Enumerable.Range(0, 1_440)
                .Select(m => new BatchViewRow($"campaign-{c:D4}", "minute", Day0 + (m * Minute), new MetricCounts(m, m, 1, m * 100, 0, 0, 0, 0), m, Sketch(m)))
                .ToArray();
            await Store.AppendBatchRowsAsync(1, rows);
        }
        await Store.MarkBatchVersionReadyAsync(1, 20 * 1_440);
        await Store.SetCurrentBatchVersionAsync(1);
        var tail = Enumerable.Range(22 * 60, 120)
            .SelectMany(m => Enumerable.Range(0, 4).Select(p =>
                new SpeedViewRow(ReadCampaign, Day0 + (m * Minute), p, new MetricCounts(m, m, 1, m * 100, 0, 0, 0, 0), Sketch(m + p), false)))
            .ToArray();
        await Store.UpsertSpeedRowsAsync(tail);
    }

    private async Task CleanupAsync()
    {
        await Store.DisposeAsync();
        await CleanUpAsync();
    }

    [Benchmark(OperationsPerInvoke = BatchSize, Description = "upsert speed rows (per row, batches of 5,000)")]
    public Task UpsertSpeedRows() => Store.UpsertSpeedRowsAsync(_speedBatches[_nextBatch++ & 1]);

    /// <summary>The same upsert fenced by owner epoch (5 partitions): the cost of fencing is the ratio to the one above.</summary>
    [Benchmark(OperationsPerInvoke = BatchSize, Description = "fenced upsert speed rows (per row, batches of 5,000, 5 partitions)")]
    public Task UpsertSpeedRowsFenced() => Store.UpsertSpeedRowsAsync(_speedBatches[_nextBatch++ & 1], _ownerEpochs);

    [Benchmark(Description = "snapshot: one campaign, one day per minute")]
    public async Task<int> ReadSnapshotOneDayPerMinute()
    {
        var snapshot = await Store.ReadSnapshotAsync(ReadCampaign, "minute", Day0, Day0 + (1_440 * Minute));
        return snapshot.BatchRows.Count + snapshot.SpeedRows.Count;
    }

    private static SpeedViewRow[] SpeedBatch(long value) =>
        Enumerable.Range(0, BatchSize)
            .Select(i => new SpeedViewRow($"speed-{i / 5:D4}", Day0 + (30 * 24 * 60 * Minute), i % 5,
                new MetricCounts(value, value, value, value * 1000, 0, 0, 0, 0), Sketch(i + (int)value), false))
            .ToArray();

    private static byte[] Sketch(int seed)
    {
        var bytes = new byte[128];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
