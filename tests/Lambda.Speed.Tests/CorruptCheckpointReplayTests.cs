using Lambda.SharedModel.Bots;
using Lambda.SharedModel.Views;
using Lambda.Speed.Processing;
using Microsoft.Extensions.Logging.Abstractions;
using static Lambda.Speed.Tests.CheckpointTests;

namespace Lambda.Speed.Tests;

/// <summary>
/// A crash, then a damaged checkpoint file: the restore falls back to an earlier state, the log is
/// replayed from that state's offsets, and the speed view (rows written before the crash, overwritten
/// by the replay's full values) ends identical to that of a run that never crashed.
/// </summary>
public sealed class CorruptCheckpointReplayTests : IDisposable
{
    private const int Rounds = 12;
    private const int RoundsAfter = 3;
    private readonly TempDirectory _dir = new("lambda-ckpt-replay");

    public void Dispose() => _dir.Dispose();

    private string FileOf(string kind, long sequence) => Path.Combine(_dir.Path, "partition-0", $"{kind}-{sequence:D12}.ckpt");

    [Theory]
    [InlineData("delta", Rounds)] // the newest checkpoint
    [InlineData("delta", 10)] // one in the middle of the chain after the newest base: everything after it is replayed
    [InlineData("base", 8)] // the newest base: the older base and the deltas after it stand in
    public void a_corrupt_checkpoint_falls_back_then_replays_to_views_identical_to_an_uninterrupted_run(string kind, long sequence)
    {
        var options = ChainWorkload.Options(_dir.Path);
        var live = new ProcessorHarness(options);
        var checkpointer = new PartitionCheckpointer(0, options, BotRules.Default, NullLogger.Instance) { AutoCompact = false };
        for (var round = 0; round < Rounds; round++)
        {
            ChainWorkload.Round(live, round);
            checkpointer.Checkpoint(live.Processor);
            if (round == 7)
            {
                checkpointer.Compact(upTo: 8);
            }
        }

        // The crash: the store holds every row flushed so far; then a checkpoint file is damaged.
        var store = new Dictionary<(string, long), SpeedViewRow>(live.Rows);
        Corrupt(FileOf(kind, sequence));

        var restorer = new PartitionCheckpointer(0, options, BotRules.Default, NullLogger.Instance) { AutoCompact = false };
        var replay = new ProcessorHarness(options) { Processor = restorer.Restore(live.DeadLetters) };
        // The replay writes over the store's rows (a counters-only row keeps the stored sketch).
        foreach (var (key, row) in store)
        {
            replay.Rows[key] = row;
        }

        Assert.True(File.Exists(FileOf(kind, sequence) + ".corrupt"));
        // Sequence s holds the state after round s - 1: the log is replayed from the round after it.
        var restoredRound = (int)restorer.Sequence;
        Assert.True(kind == "base" ? restoredRound == Rounds : restoredRound == sequence - 1, $"restored at {restoredRound}");
        for (var round = restoredRound; round < Rounds + RoundsAfter; round++)
        {
            ChainWorkload.Round(replay, round);
        }

        for (var round = Rounds; round < Rounds + RoundsAfter; round++)
        {
            ChainWorkload.Round(live, round);
        }

        foreach (var (key, row) in replay.Rows)
        {
            store[key] = row;
        }

        Assert.Equal(live.Rows.Keys.Order(), store.Keys.Order());
        foreach (var (key, row) in live.Rows)
        {
            Assert.Equal(row, store[key] with { UniquesSketch = row.UniquesSketch });
            Assert.Equal(row.UniquesSketch, store[key].UniquesSketch);
        }

        Assert.Equal(StateBytes(live.Processor), StateBytes(replay.Processor));
    }

    private static void Corrupt(string path)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
    }
}
