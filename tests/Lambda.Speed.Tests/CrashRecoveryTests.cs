using Xunit.Abstractions;

namespace Lambda.Speed.Tests;

public class CrashRecoveryTests(ITestOutputHelper output)
{
    private const long Records = 1_000_000;

    private static readonly string[] FastIntervals =
        ["--flush-interval", "00:00:00.100", "--checkpoint-interval", "00:00:00.300", "--workers", "2"];

    [Fact]
    public async Task views_after_twenty_kill_9_crashes_equal_those_of_an_uninterrupted_run()
    {
        using var reference = new TempDirectory("lambda-ref");
        using var crashed = new TempDirectory("lambda-crash");
        var options = TrafficFixture.Clean(seed: 5) with
        {
            // Imperfections too: the crash must not change how any of them is counted.
            BotShare = 0.02,
            DuplicateRate = 0.02,
            LateFraction = 0.01,
            ViewsBeforeServedShare = 0.02,
            ComputeOracle = false,
        };
        await TrafficFixture.AppendAsync(reference.Path, options, Records);
        await TrafficFixture.AppendAsync(crashed.Path, options, Records);

        await RunUntilCaughtUpAsync(reference.Path);

        var random = new Random(20261122);
        var kills = 0;
        while (kills < 20)
        {
            using var child = LambdaProcess.Start(["speed", "--data-dir", crashed.Path, .. FastIntervals]);
            // Kill only once this incarnation is working (it has flushed), at a random moment after that:
            // mid-read, mid-flush or mid-checkpoint.
            while (await TrafficFixture.ProcessedAsync(crashed.Path, child.Id) == 0 && !child.HasExited)
            {
                await Task.Delay(20);
            }

            await Task.Delay(random.Next(0, 400));
            if (child.HasExited)
            {
                throw new InvalidOperationException($"lambda speed exited by itself with code {child.ExitCode}");
            }

            child.Kill(entireProcessTree: true); // SIGKILL: no flush, no checkpoint, no goodbye
            await child.WaitForExitAsync();
            kills++;
            output.WriteLine($"kill {kills}: {await TrafficFixture.ProcessedAsync(crashed.Path)} records processed as last reported");
        }

        output.WriteLine($"killed {kills} times; processed before the final run: {await TrafficFixture.ProcessedAsync(crashed.Path)}");
        await RunUntilCaughtUpAsync(crashed.Path);

        var expected = await TrafficFixture.ReadAllSpeedRowsAsync(reference.Path);
        var actual = await TrafficFixture.ReadAllSpeedRowsAsync(crashed.Path);
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (key, row) in expected)
        {
            var other = actual[key];
            Assert.True(row.Counts == other.Counts, $"{key}: expected {row.Counts}, got {other.Counts}");
            Assert.Equal(row.UniquesSketch, other.UniquesSketch);
            Assert.Equal(row.Final, other.Final);
        }
    }

    /// <summary>Runs `lambda speed` until every record is processed, then stops it gracefully.</summary>
    private static async Task RunUntilCaughtUpAsync(string dataDir)
    {
        using var child = LambdaProcess.Start(["speed", "--data-dir", dataDir, .. FastIntervals]);
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (await TrafficFixture.ProcessedAsync(dataDir, child.Id) < Records)
        {
            if (child.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"lambda speed did not catch up (exited: {child.HasExited})");
            }

            await Task.Delay(100);
        }

        await LambdaProcess.StopAsync(child, TimeSpan.FromSeconds(60));
        Assert.Equal(0, child.ExitCode);
    }
}
