using Lambda.SharedModel.Bots;
using Lambda.SharedModel.Views;
using Lambda.Speed.Checkpoints;
using Lambda.Speed.Processing;
using Microsoft.Extensions.Logging.Abstractions;
using static Lambda.Speed.Tests.CheckpointTests;

namespace Lambda.Speed.Tests;

/// <summary>
/// Checkpoint files under owner epochs: two owners of one partition (the old one not yet aware that
/// it lost it) share the directory, and a restore follows only the lineage whose rows are in the store.
/// </summary>
public sealed class CheckpointFencingTests : IDisposable
{
    private readonly TempDirectory _dir = new("lambda-fence");
    private readonly ProcessorHarness _live;

    public CheckpointFencingTests() => _live = new ProcessorHarness(ChainWorkload.Options(_dir.Path));

    public void Dispose() => _dir.Dispose();

    private string PartitionDir => Path.Combine(_dir.Path, "partition-0");

    private PartitionCheckpointer Owner(long epoch) =>
        new(0, _live.Options, BotRules.Default, NullLogger.Instance, epoch) { AutoCompact = false };

    private string FileOf(string kind, long sequence, long epoch) =>
        Path.Combine(PartitionDir, $"{kind}-{sequence:D12}{(epoch > 0 ? $"-e{epoch}" : "")}.ckpt");

    /// <summary>The old owner checkpoints rounds <paramref name="from"/>..<paramref name="to"/>; returns the state after each sequence.</summary>
    private Dictionary<long, byte[]> RunRounds(PartitionCheckpointer owner, int from, int to)
    {
        var states = new Dictionary<long, byte[]>();
        for (var round = from; round <= to; round++)
        {
            ChainWorkload.Round(_live, round);
            owner.Checkpoint(_live.Processor);
            states[owner.Sequence] = StateBytes(_live.Processor);
        }

        return states;
    }

    /// <summary>What a worker does on taking the partition: restore, then checkpoint under its epoch before any row.</summary>
    private PartitionProcessor TakeOver(PartitionCheckpointer owner)
    {
        var restored = owner.Restore(_live.DeadLetters);
        owner.Checkpoint(restored);
        return restored;
    }

    [Fact]
    public void a_checkpoint_the_old_owner_writes_after_the_new_owner_restored_is_never_restored()
    {
        var old = Owner(1);
        var states = RunRounds(old, 0, 4); // e1: base 1, deltas 2..5
        var taken = TakeOver(Owner(2)); // e2: delta 6, the state at 5

        // The old owner's last flush was accepted before the claim; its checkpoint comes after the restore.
        RunRounds(old, 5, 5); // e1: delta 6, stale
        Assert.True(File.Exists(FileOf("delta", 6, 1)) && File.Exists(FileOf("delta", 6, 2)));

        var next = Owner(3);
        var restored = next.Restore(_live.DeadLetters);

        Assert.Equal(states[5], StateBytes(taken));
        Assert.Equal(states[5], StateBytes(restored));
        Assert.Equal(6, next.Sequence);
        Assert.False(File.Exists(FileOf("delta", 6, 1)), "the stale checkpoint is deleted");
        Assert.True(File.Exists(FileOf("delta", 6, 2)));
    }

    [Fact]
    public void the_new_owners_chain_goes_on_past_the_old_owners_late_checkpoint()
    {
        var old = Owner(1);
        RunRounds(old, 0, 2); // e1: base 1, deltas 2..3
        var owner = Owner(2);
        var harness = new ProcessorHarness(_live.Options) { Processor = TakeOver(owner) }; // e2: delta 4
        RunRounds(old, 3, 3); // e1: delta 4, stale
        ChainWorkload.Round(harness, 3);
        ChainWorkload.Round(harness, 4);
        owner.Checkpoint(harness.Processor); // e2: delta 5

        Assert.Equal(StateBytes(harness.Processor), StateBytes(Owner(3).Restore(_live.DeadLetters)));
    }

    [Fact]
    public void the_old_owners_late_checkpoint_counts_when_the_new_owner_wrote_nothing()
    {
        var old = Owner(1);
        RunRounds(old, 0, 3);
        // Epoch 2 was claimed by an owner that died before its first checkpoint, so before any row.
        var states = RunRounds(old, 4, 4); // e1: delta 5

        Assert.Equal(states[5], StateBytes(Owner(3).Restore(_live.DeadLetters)));
    }

    [Fact]
    public void an_owner_that_finds_a_newer_owners_checkpoints_is_fenced_at_restore_and_deletes_nothing()
    {
        RunRounds(Owner(1), 0, 2);
        TakeOver(Owner(3));
        var before = Directory.GetFiles(PartitionDir).Order().ToArray();

        var fenced = Assert.Throws<PartitionFencedException>(() => Owner(2).Restore(_live.DeadLetters));

        Assert.Equal((0, 2L, 3L), (fenced.Partition, fenced.Epoch, fenced.CurrentEpoch));
        Assert.Equal(before, Directory.GetFiles(PartitionDir).Order().ToArray());
    }

    [Fact]
    public void a_checkpoint_whose_temporary_file_a_new_owner_removed_is_fenced()
    {
        var old = new CheckpointStore(_dir.Path, 0, NullLogger.Instance, epoch: 1);

        // The new owner starts while the old one is in the middle of writing (a pause between write and rename).
        var fenced = Assert.Throws<PartitionFencedException>(() => old.SaveBase(PartitionProcessor.CheckpointFormatVersion,
            w => { _ = new CheckpointStore(_dir.Path, 0, NullLogger.Instance, epoch: 2); w.Write(42L); }));

        Assert.Equal((0, 1L), (fenced.Partition, fenced.Epoch));
        Assert.Empty(Directory.GetFiles(PartitionDir));
    }

    [Fact]
    public void checkpoints_written_before_fencing_are_restored_by_the_first_fenced_owner()
    {
        var states = RunRounds(Owner(0), 0, 3); // plain names: base 1, deltas 2..4
        var owner = Owner(1);

        Assert.Equal(states[4], StateBytes(TakeOver(owner)));
        Assert.True(File.Exists(FileOf("base", 1, 0)) && File.Exists(FileOf("delta", 5, 1)));
        Assert.Equal(states[4], StateBytes(Owner(2).Restore(_live.DeadLetters)));
    }

    [Fact]
    public void retention_keeps_two_bases_of_the_lineage_and_never_counts_a_stale_one()
    {
        var old = Owner(1);
        RunRounds(old, 0, 2); // e1: base 1, deltas 2..3
        var owner = Owner(2);
        var harness = new ProcessorHarness(_live.Options) { Processor = TakeOver(owner) }; // e2: delta 4
        old.Compact(upTo: 3); // refused: a newer owner has checkpointed
        ChainWorkload.Round(_live, 3);
        Owner(1).Checkpoint(_live.Processor); // e1: a base at 5 (a store with no chain writes a base), stale
        for (var round = 3; round <= 5; round++)
        {
            ChainWorkload.Round(harness, round);
            owner.Checkpoint(harness.Processor); // e2: deltas 5..7
        }

        owner.Compact(upTo: 7); // e2: base 7; with base 1 the two newest bases of the lineage

        var names = Directory.GetFiles(PartitionDir).Select(p => Path.GetFileName(p)).Order().ToList();
        Assert.Equal<string>(
            ["base-000000000001-e1.ckpt", "base-000000000007-e2.ckpt", "delta-000000000002-e1.ckpt", "delta-000000000003-e1.ckpt",
                "delta-000000000004-e2.ckpt", "delta-000000000005-e2.ckpt", "delta-000000000006-e2.ckpt", "delta-000000000007-e2.ckpt"],
            names);
        // The older base still restores the same state if the newer one is lost.
        File.Delete(FileOf("base", 7, 2));
        Assert.Equal(StateBytes(harness.Processor), StateBytes(Owner(3).Restore(_live.DeadLetters)));
    }
}
