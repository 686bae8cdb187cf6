using Lambda.SharedModel.Bots;
using Lambda.Speed.Checkpoints;
using Lambda.Speed.Processing;
using Lambda.Speed.State;
using Microsoft.Extensions.Logging.Abstractions;
using static Lambda.Speed.Tests.ProcessorHarness;

namespace Lambda.Speed.Tests;

public sealed class CheckpointTests : IDisposable
{
    private readonly TempDirectory _dir = new("lambda-ckpt");

    public void Dispose() => _dir.Dispose();

    /// <summary>Options under which the golden states also finalize and evict windows, release sketches and drop dedupe slices.</summary>
    private static SpeedOptions GoldenOptions() => new()
    {
        AllowedLateness = TimeSpan.Zero,
        WindowRetention = TimeSpan.FromMinutes(2),
        JoinHorizon = TimeSpan.FromMinutes(1),
    };

    /// <summary>The options the version 2 golden files were written under.</summary>
    private static SpeedOptions GoldenV2Options() => new() { AllowedLateness = TimeSpan.Zero, WindowRetention = TimeSpan.FromMinutes(1) };

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

    /// <summary>Changes of every kind a delta records: a new campaign and ad, a join, an eviction, dropped and new dedupe ids.</summary>
    private static void ChangeState(ProcessorHarness h)
    {
        h.Served("ad-3", "camp-C", Minute(3) + 1_000, user: "u4", eventId: "s4", advertiser: "adv-3");
        h.Served("ad-7", "camp-A", Minute(3) + 2_000, user: "u5", eventId: "s5"); // releases the pending view
        h.View("ad-8", Minute(3) + 3_000, eventId: "v3"); // waits for ad-8
        h.Click("ad-3", Minute(3) + 4_000, eventId: "c2");
        h.View("ad-3", Minute(3) + 4_500, eventId: "v4");
        h.Flush();
    }

    internal static byte[] StateBytes(PartitionProcessor processor)
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
            restored.Processor = PartitionProcessor.ReadState(reader, restored.Options, BotRules.Default, CampaignOwners.InProcess(), restored.DeadLetters);
            restored.Processor.FinishRestore();
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
    public void the_base_format_matches_the_golden_file()
    {
        var h = new ProcessorHarness(GoldenOptions());
        BuildState(h);
        new CheckpointStore(_dir.Path, 0, NullLogger.Instance).SaveBase(PartitionProcessor.CheckpointFormatVersion, h.Processor.WriteState);

        AssertGolden("checkpoint-v4-base.hex", Path.Combine(_dir.Path, "partition-0", "base-000000000001.ckpt"));
    }

    [Fact]
    public void the_delta_format_matches_the_golden_file()
    {
        var h = new ProcessorHarness(GoldenOptions());
        BuildState(h);
        var store = new CheckpointStore(_dir.Path, 0, NullLogger.Instance);
        store.SaveBase(PartitionProcessor.CheckpointFormatVersion, h.Processor.WriteState);
        h.Processor.MarkCheckpointed();
        var evicted = h.Processor.Counters.WindowsEvicted;
        ChangeState(h);
        var released = h.Processor.ReleaseSettledSketches();
        store.SaveDelta(PartitionProcessor.CheckpointFormatVersion, h.Processor.WriteDelta);

        Assert.True(h.Processor.Counters.WindowsEvicted > evicted, "the golden delta should hold an eviction");
        Assert.True(released > 0, "the golden delta should hold a window whose sketch was released");
        AssertGolden("checkpoint-v4-delta.hex", Path.Combine(_dir.Path, "partition-0", "delta-000000000002.ckpt"));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void files_of_an_older_version_are_still_read_as_the_same_state(int version)
    {
        // Each version's golden files were written under its own options, version 3's with a released sketch in the delta.
        var options = version == 2 ? GoldenV2Options() : GoldenOptions();
        options.CheckpointDirectory = _dir.Path;
        var h = new ProcessorHarness(options);
        BuildState(h);
        h.Processor.MarkCheckpointed();
        ChangeState(h);
        if (version >= 3)
        {
            h.Processor.ReleaseSettledSketches();
        }

        var partitionDir = Directory.CreateDirectory(Path.Combine(_dir.Path, "partition-0")).FullName;
        File.WriteAllBytes(Path.Combine(partitionDir, "base-000000000001.ckpt"), GoldenBytes($"checkpoint-v{version}-base.hex"));
        File.WriteAllBytes(Path.Combine(partitionDir, "delta-000000000002.ckpt"), GoldenBytes($"checkpoint-v{version}-delta.hex"));

        var restored = new PartitionCheckpointer(0, options, BotRules.Default, NullLogger.Instance).Restore(h.DeadLetters);

        Assert.Equal(h.Processor.NextOffsets, restored.NextOffsets);
        Assert.Equal(StateBytes(h.Processor), StateBytes(restored));
    }

    [Fact]
    public void rejected_records_are_counted_by_reason_and_the_counts_survive_a_checkpoint()
    {
        var h = new ProcessorHarness(maxFutureSkew: TimeSpan.FromMinutes(5));
        h.Served("ad-1", "camp", ProcessorHarness.T0, advertiser: "adv-1");
        h.Served("ad-2", "camp", ProcessorHarness.T0, advertiser: "adv-2");
        h.Served("ad-1", "camp", h.Processor.LogTimeMs + 3_600_000);
        h.Flush();
        using var state = new MemoryStream();
        using (var writer = new BinaryWriter(state, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            h.Processor.WriteState(writer);
        }

        state.Position = 0;
        var restored = PartitionProcessor.ReadState(new BinaryReader(state), h.Options, BotRules.Default, CampaignOwners.InProcess(), h.DeadLetters);

        Assert.Equal((2L, 1L, 1L), (restored.Counters.DeadLettered, restored.Counters.OwnerMismatched, restored.Counters.FutureDated));
    }

    [Fact]
    public void a_delta_applied_to_its_base_gives_the_live_state()
    {
        var h = new ProcessorHarness(GoldenOptions());
        BuildState(h);
        var baseBytes = StateBytes(h.Processor);
        h.Processor.MarkCheckpointed();
        ChangeState(h);
        using var delta = new MemoryStream();
        using (var writer = new BinaryWriter(delta, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            h.Processor.WriteDelta(writer);
        }

        var restored = PartitionProcessor.ReadState(new BinaryReader(new MemoryStream(baseBytes)), h.Options, BotRules.Default, CampaignOwners.InProcess(), h.DeadLetters);
        delta.Position = 0;
        restored.ApplyDelta(new BinaryReader(delta));
        restored.FinishRestore();

        Assert.Equal(StateBytes(h.Processor), StateBytes(restored));
    }

    private static byte[] GoldenBytes(string name) =>
        Convert.FromHexString(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", name)).Trim());

    private static void AssertGolden(string name, string file)
    {
        var actual = Convert.ToHexString(File.ReadAllBytes(file));
        if (Environment.GetEnvironmentVariable("LAMBDA_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(Path.Combine(FindSourceDir(), "Golden", name), actual);
        }

        Assert.Equal(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", name)).Trim(), actual);
    }

    private static string FindSourceDir([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
