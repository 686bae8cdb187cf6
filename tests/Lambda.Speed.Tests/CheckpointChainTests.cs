using Lambda.SharedModel.Bots;
using Lambda.Speed.Processing;
using Microsoft.Extensions.Logging.Abstractions;
using static Lambda.Speed.Tests.CheckpointTests;

namespace Lambda.Speed.Tests;

public sealed class CheckpointChainTests : IDisposable
{
    private readonly TempDirectory _dir = new("lambda-chain");
    private readonly ProcessorHarness _live;

    public CheckpointChainTests() => _live = new ProcessorHarness(ChainWorkload.Options(_dir.Path));

    public void Dispose() => _dir.Dispose();

    private string PartitionDir => Path.Combine(_dir.Path, "partition-0");

    private PartitionCheckpointer Checkpointer(bool autoCompact = false) =>
        new(0, _live.Options, BotRules.Default, NullLogger.Instance) { AutoCompact = autoCompact };

    private PartitionProcessor Restore() => Checkpointer().Restore(_live.DeadLetters);

    private string FileOf(string kind, long sequence) => Path.Combine(PartitionDir, $"{kind}-{sequence:D12}.ckpt");

    /// <summary>Runs rounds <paramref name="from"/>..<paramref name="to"/>, checkpointing after each; returns the state bytes after each.</summary>
    private Dictionary<long, byte[]> RunRounds(PartitionCheckpointer checkpointer, int from, int to)
    {
        var states = new Dictionary<long, byte[]>();
        for (var round = from; round <= to; round++)
        {
            ChainWorkload.Round(_live, round);
            checkpointer.Checkpoint(_live.Processor);
            states[checkpointer.Sequence] = StateBytes(_live.Processor);
        }

        return states;
    }

    [Fact]
    public void a_base_and_its_deltas_restore_the_live_state_after_every_checkpoint()
    {
        var checkpointer = Checkpointer();
        for (var round = 0; round < 30; round++)
        {
            ChainWorkload.Round(_live, round);
            checkpointer.Checkpoint(_live.Processor);

            Assert.Equal(StateBytes(_live.Processor), StateBytes(Restore()));
        }

        Assert.Single(Directory.GetFiles(PartitionDir, "base-*.ckpt"));
        Assert.Equal(29, Directory.GetFiles(PartitionDir, "delta-*.ckpt").Length);
        Assert.True(_live.Processor.Counters.WindowsEvicted > 0 && _live.Processor.Counters.Duplicates > 0 && _live.Processor.Counters.Late > 0);
    }

    [Fact]
    public void released_sketches_round_trip_through_the_chain_and_change_no_view()
    {
        // Windows outlive their join horizon (one minute) by two minutes here, so settled windows stay released a while.
        var options = ChainWorkload.Options(_dir.Path);
        options.WindowRetention = TimeSpan.FromMinutes(3);
        var live = new ProcessorHarness(options);
        var plain = new ProcessorHarness(options);
        var checkpointer = new PartitionCheckpointer(0, options, BotRules.Default, NullLogger.Instance) { AutoCompact = false };
        PartitionProcessor Restore() => new PartitionCheckpointer(0, options, BotRules.Default, NullLogger.Instance).Restore(live.DeadLetters);
        var released = 0;
        for (var round = 0; round < 14; round++)
        {
            ChainWorkload.Round(live, round);
            ChainWorkload.Round(plain, round);
            checkpointer.Checkpoint(live.Processor);
            Assert.Equal(StateBytes(live.Processor), StateBytes(Restore()));
            // As the worker does: after the checkpoint's flush, so their rows are in the store.
            released += live.Processor.ReleaseSettledSketches();
        }

        var restored = new ProcessorHarness(options) { Processor = Restore() };
        foreach (var (key, row) in live.Rows)
        {
            restored.Rows[key] = row;
        }

        for (var round = 14; round < 20; round++)
        {
            foreach (var h in new[] { live, restored, plain })
            {
                ChainWorkload.Round(h, round);
                h.Processor.ReleaseSettledSketches();
            }
        }

        Assert.True(released > 0 && live.CountRowsCollected > 0 && restored.CountRowsCollected > 0,
            $"released {released}, counters-only rows {live.CountRowsCollected} and {restored.CountRowsCollected}");
        Assert.True(live.Processor.StateSize.WindowSketches < live.Processor.StateSize.Windows);
        Assert.Equal(plain.Rows.Keys.Order(), live.Rows.Keys.Order());
        foreach (var h in new[] { live, restored })
        {
            foreach (var (key, row) in plain.Rows)
            {
                Assert.Equal(row, h.Rows[key] with { UniquesSketch = row.UniquesSketch });
                Assert.Equal(row.UniquesSketch, h.Rows[key].UniquesSketch);
            }
        }

        Assert.Equal(StateBytes(live.Processor), StateBytes(restored.Processor));
    }

    [Fact]
    public void a_restored_chain_continues_exactly_like_the_original()
    {
        RunRounds(Checkpointer(), 0, 9);
        var restored = new ProcessorHarness(_live.Options) { Processor = Restore() };

        foreach (var h in new[] { _live, restored })
        {
            h.Rows.Clear();
            ChainWorkload.Round(h, 10);
            ChainWorkload.Round(h, 11);
        }

        Assert.Equal(_live.Rows.Keys.Order(), restored.Rows.Keys.Order());
        foreach (var (key, row) in _live.Rows)
        {
            Assert.Equal(row, restored.Rows[key] with { UniquesSketch = row.UniquesSketch });
            Assert.Equal(row.UniquesSketch, restored.Rows[key].UniquesSketch);
        }

        Assert.Equal(StateBytes(_live.Processor), StateBytes(restored.Processor));
    }

    [Fact]
    public void a_corrupt_delta_ends_the_chain_at_the_delta_before_it()
    {
        var states = RunRounds(Checkpointer(), 0, 5); // base 1, deltas 2..6
        Corrupt(FileOf("delta", 4));

        var checkpointer = Checkpointer();
        var restored = checkpointer.Restore(_live.DeadLetters);

        Assert.Equal(states[3], StateBytes(restored));
        Assert.Equal(3, checkpointer.Sequence);
        Assert.True(File.Exists(FileOf("delta", 4) + ".corrupt"));
        Assert.False(File.Exists(FileOf("delta", 5)), "a delta after a broken link cannot be applied");

        // The chain goes on from the restored state, and restores again.
        var resumed = new ProcessorHarness(_live.Options) { Processor = restored };
        ChainWorkload.Round(resumed, 6);
        checkpointer.Checkpoint(resumed.Processor);
        Assert.Equal(4, checkpointer.Sequence);
        Assert.Equal(StateBytes(resumed.Processor), StateBytes(Restore()));
    }

    [Fact]
    public void a_corrupt_base_falls_back_to_the_previous_base_and_its_deltas()
    {
        var checkpointer = Checkpointer();
        RunRounds(checkpointer, 0, 4); // base 1, deltas 2..5
        checkpointer.Compact(upTo: 5); // base 5
        var states = RunRounds(checkpointer, 5, 7); // deltas 6..8
        Assert.True(File.Exists(FileOf("base", 1)) && File.Exists(FileOf("base", 5)));

        Corrupt(FileOf("base", 5));

        Assert.Equal(states[8], StateBytes(Restore()));
        Assert.True(File.Exists(FileOf("base", 5) + ".corrupt"));
    }

    [Fact]
    public void a_compacted_base_holds_exactly_the_state_of_its_chain()
    {
        var checkpointer = Checkpointer();
        var states = RunRounds(checkpointer, 0, 7); // base 1, deltas 2..8
        checkpointer.Compact(upTo: 6);

        var compacted = File.ReadAllBytes(FileOf("base", 6));
        var body = compacted.AsSpan(Checkpoints.CheckpointFrame.HeaderLength, compacted.Length - Checkpoints.CheckpointFrame.HeaderLength - Checkpoints.CheckpointFrame.TrailerLength);
        Assert.Equal(states[6], body.ToArray());
        // Deltas after the compacted sequence follow the new base as they followed the old chain.
        File.Delete(FileOf("base", 1));
        Assert.Equal(states[8], StateBytes(Restore()));
    }

    [Fact]
    public void compaction_keeps_two_bases_and_the_deltas_after_the_older_one()
    {
        var checkpointer = Checkpointer();
        RunRounds(checkpointer, 0, 3); // base 1, deltas 2..4
        checkpointer.Compact(upTo: 4);
        RunRounds(checkpointer, 4, 6); // deltas 5..7
        checkpointer.Compact(upTo: 7);
        RunRounds(checkpointer, 7, 7); // delta 8

        var names = Directory.GetFiles(PartitionDir).Select(p => Path.GetFileName(p)).Order().ToList();
        Assert.Equal<string>(
            ["base-000000000004.ckpt", "base-000000000007.ckpt", "delta-000000000005.ckpt", "delta-000000000006.ckpt", "delta-000000000007.ckpt", "delta-000000000008.ckpt"],
            names);
        Assert.Equal(StateBytes(_live.Processor), StateBytes(Restore()));
    }

    [Fact]
    public async Task a_long_chain_is_compacted_in_the_background()
    {
        var checkpointer = Checkpointer(autoCompact: true);
        for (var round = 0; round < 12; round++)
        {
            ChainWorkload.Round(_live, round);
            checkpointer.Checkpoint(_live.Processor);
            await checkpointer.Compaction; // so that which checkpoints start one does not depend on timing
        }

        var bases = Directory.GetFiles(PartitionDir, "base-*.ckpt");
        Assert.True(bases.Length == 2, $"bases: {string.Join(", ", bases.Select(Path.GetFileName))}");
        Assert.DoesNotContain(FileOf("base", 1), bases);
        Assert.Equal(StateBytes(_live.Processor), StateBytes(Restore()));
    }

    private static void Corrupt(string path)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
    }
}
