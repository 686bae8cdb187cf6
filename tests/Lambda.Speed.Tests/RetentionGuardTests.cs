using Lambda.Log.Embedded;
using Lambda.SharedModel.Events;
using Xunit.Abstractions;

namespace Lambda.Speed.Tests;

/// <summary>
/// The embedded log's retention guarded by the speed layer's group: segments go right behind the group's
/// commits (1 s retention, 1 MiB segments, the input written before the start, so every sealed segment is
/// old), yet no kill -9 ever leaves the speed layer needing a deleted record, and the views come out as
/// those of an uninterrupted run without retention.
/// </summary>
public class RetentionGuardTests(ITestOutputHelper output)
{
    private const long Records = 600_000;

    private static readonly string[] FastIntervals =
        ["--flush-interval", "00:00:00.100", "--checkpoint-interval", "00:00:00.300", "--workers", "2"];

    private static readonly string[] Retention =
        ["--log-retention", "1s", "--log-retention-guards", "lambda-speed", "--log-segment-mb", "1"];

    [Fact]
    public async Task retention_behind_the_speed_group_never_deletes_a_record_a_restart_after_kill_9_needs()
    {
        using var reference = new TempDirectory("lambda-ref");
        using var retained = new TempDirectory("lambda-retained");
        var options = TrafficFixture.Clean(seed: 9) with { DuplicateRate = 0.02, LateFraction = 0.01, ComputeOracle = false };
        await TrafficFixture.AppendAsync(reference.Path, options, Records);
        await using (var log = EmbeddedEventLog.Open(new EmbeddedLogOptions { RootPath = Path.Combine(retained.Path, "log"), SegmentBytes = 1024 * 1024 }))
        {
            foreach (var topic in Topics.All)
            {
                await log.CreateTopicAsync(topic, 4);
            }

            await TrafficFixture.ProduceAsync(log, options, Records);
        }

        var segmentsBefore = SegmentCount(retained.Path);

        await RunUntilCaughtUpAsync(reference.Path, []);

        var random = new Random(20261122);
        for (var kill = 1; kill <= 8; kill++)
        {
            using var child = LambdaProcess.Start(["speed", "--data-dir", retained.Path, .. FastIntervals, .. Retention]);
            while (await TrafficFixture.ProcessedAsync(retained.Path, child.Id) == 0 && !child.HasExited)
            {
                await Task.Delay(20);
            }

            // Often past the first retention check (1 s after the open), so segments go while this incarnation works.
            await Task.Delay(random.Next(200, 1_500));
            Assert.False(child.HasExited, $"lambda speed exited by itself with code {(child.HasExited ? child.ExitCode : 0)}");
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();
            output.WriteLine($"kill {kill}: {await TrafficFixture.ProcessedAsync(retained.Path)} processed, {SegmentCount(retained.Path)} segments left");
        }

        await RunUntilCaughtUpAsync(retained.Path, Retention);

        Assert.True(SegmentCount(retained.Path) < segmentsBefore, $"retention deleted nothing ({segmentsBefore} segments)");
        var expected = await TrafficFixture.ReadAllSpeedRowsAsync(reference.Path);
        var actual = await TrafficFixture.ReadAllSpeedRowsAsync(retained.Path);
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (key, row) in expected)
        {
            var other = actual[key];
            Assert.True(row.Counts == other.Counts, $"{key}: expected {row.Counts}, got {other.Counts}");
            Assert.Equal(row.UniquesSketch, other.UniquesSketch);
        }
    }

    private static int SegmentCount(string dataDir) =>
        Directory.GetFiles(Path.Combine(dataDir, "log", "topics"), "*.seg", SearchOption.AllDirectories).Length;

    /// <summary>Runs `lambda speed` until every record is processed, then stops it gracefully.</summary>
    private static async Task RunUntilCaughtUpAsync(string dataDir, string[] extra)
    {
        using var child = LambdaProcess.Start(["speed", "--data-dir", dataDir, .. FastIntervals, .. extra]);
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (await TrafficFixture.ProcessedAsync(dataDir, child.Id) < Records)
        {
            if (child.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"lambda speed did not catch up (exited: {child.HasExited})");
            }

            await Task.Delay(100);
        }

        // A second past the catch-up: the next retention check deletes behind the last commits.
        await Task.Delay(2_000);
        await LambdaProcess.StopAsync(child, TimeSpan.FromSeconds(60));
        Assert.Equal(0, child.ExitCode);
    }
}
