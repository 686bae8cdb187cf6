using Lambda.SharedModel.Bots;
using Lambda.Speed.Checkpoints;
using Lambda.Speed.Processing;
using Microsoft.Extensions.Logging.Abstractions;
using static Lambda.Speed.Tests.ProcessorHarness;

namespace Lambda.Speed.Tests;

public sealed class CheckpointTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "lambda-ckpt-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    /// <summary>A small state with every kind of entry: campaigns, ads, pending joins, dedupe ids, open and final windows.</summary>
    private static void BuildState(ProcessorHarness h)
    {
        h.Served("ad-1", "camp-A", Minute(0) + 1_000, user: "u1", cost: 1500, eventId: "s1");
        h.Served("ad-2", "camp-B", Minute(0) + 2_000, user: "u2", cost: 700, eventId: "s2", advertiser: "adv-2");
        h.View("ad-1", Minute(0) + 3_000, eventId: "v1");
        h.View("ad-7", Minute(1) + 4_000, user: "u9", eventId: "v2"); // waits for ad-7
        h.Click("ad-1", Minute(2) + 5_000, eventId: "c1");
        h.Served("ad-1", "camp-A", Minute(2) + 6_000, user: "u3", eventId: "s3");
        h.Served("ad-1", "camp-A", Minute(2) + 6_000, user: "u3", eventId: "s3"); // duplicate
        h.Flush();
    }

    private static byte[] StateBytes(PartitionProcessor processor)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            processor.WriteState(writer);
        }

        return stream.ToArray();
    }

    [Fact]
    public void a_restored_processor_continues_exactly_like_the_original()
    {
        var original = new ProcessorHarness();
        BuildState(original);
        var bytes = StateBytes(original.Processor);

        var restored = new ProcessorHarness();
        using (var reader = new BinaryReader(new MemoryStream(bytes)))
        {
            restored.Processor = PartitionProcessor.ReadState(reader, restored.Options, BotRules.Default, restored.DeadLetters);
        }

        Assert.Equal(bytes, StateBytes(restored.Processor));
        foreach (var h in new[] { original, restored })
        {
            h.Rows.Clear();
            h.Served("ad-7", "camp-C", Minute(3), eventId: "s4");
            h.View("ad-1", Minute(3), eventId: "v1"); // a duplicate only the dedupe window knows
            h.Served("ad-1", "camp-A", Minute(3) + 1, eventId: "s5", user: "u1");
            h.Flush();
        }

        Assert.Equal(original.Rows.Count, restored.Rows.Count);
        foreach (var (key, row) in original.Rows)
        {
            var other = restored.Rows[key];
            Assert.Equal(row.Counts, other.Counts);
            Assert.Equal(row.UniquesSketch, other.UniquesSketch);
            Assert.Equal(row.Final, other.Final);
        }

        Assert.Equal(StateBytes(original.Processor), StateBytes(restored.Processor));
    }

    [Fact]
    public void the_checkpoint_format_matches_the_golden_file()
    {
        var h = new ProcessorHarness();
        BuildState(h);
        var store = new CheckpointStore(_dir, 0, NullLogger.Instance);
        store.Save(PartitionProcessor.CheckpointFormatVersion, h.Processor.WriteState);
        var file = Directory.GetFiles(Path.Combine(_dir, "partition-0"), "ckpt-*.bin").Single();
        var actual = Convert.ToHexString(File.ReadAllBytes(file));

        var golden = Path.Combine(AppContext.BaseDirectory, "Golden", "checkpoint-v1.hex");
        if (Environment.GetEnvironmentVariable("LAMBDA_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(Path.Combine(FindSourceDir(), "Golden", "checkpoint-v1.hex"), actual);
        }

        Assert.Equal(File.ReadAllText(golden).Trim(), actual);
    }

    [Fact]
    public void a_corrupt_newest_checkpoint_falls_back_to_the_previous_one()
    {
        var h = new ProcessorHarness();
        BuildState(h);
        var store = new CheckpointStore(_dir, 0, NullLogger.Instance);
        store.Save(PartitionProcessor.CheckpointFormatVersion, h.Processor.WriteState);
        var firstOffsets = h.Processor.NextOffsets.ToArray();
        h.Served("ad-1", "camp-A", Minute(4));
        h.Flush();
        store.Save(PartitionProcessor.CheckpointFormatVersion, h.Processor.WriteState);

        var newest = Directory.GetFiles(Path.Combine(_dir, "partition-0"), "ckpt-*.bin").Max()!;
        var bytes = File.ReadAllBytes(newest);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(newest, bytes);

        var reopened = new CheckpointStore(_dir, 0, NullLogger.Instance);
        var restored = reopened.Load((_, r) => PartitionProcessor.ReadState(r, h.Options, BotRules.Default, h.DeadLetters));

        Assert.NotNull(restored);
        Assert.Equal(firstOffsets, restored.NextOffsets);
        Assert.True(File.Exists(newest + ".corrupt"));
    }

    [Fact]
    public void only_the_two_newest_checkpoints_are_kept()
    {
        var h = new ProcessorHarness();
        var store = new CheckpointStore(_dir, 0, NullLogger.Instance);
        for (var i = 0; i < 5; i++)
        {
            h.Served("ad-1", "camp-A", Minute(i));
            h.Flush();
            store.Save(PartitionProcessor.CheckpointFormatVersion, h.Processor.WriteState);
        }

        Assert.Equal(2, Directory.GetFiles(Path.Combine(_dir, "partition-0"), "ckpt-*.bin").Length);
    }

    private static string FindSourceDir([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
