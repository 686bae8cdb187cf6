using Xunit.Abstractions;

namespace Lambda.Cli.Tests.Chaos;

/// <summary>
/// kill -9 of the whole platform (`lambda run`) at random moments of every phase, then one clean run:
/// both layers must agree with the generator's exact oracle. The fast run is in the normal suite; the
/// 30-kill run needs LAMBDA_LONG_TESTS=1 (LAMBDA_CHAOS_KILLS overrides either count).
/// </summary>
public sealed class ChaosTests(ITestOutputHelper output)
{
    [Fact]
    public Task five_kill_9s_at_random_phases_lose_nothing_and_count_nothing_twice() => RunAsync(ChaosSettings.Fast);

    [SkippableFact]
    public Task thirty_kill_9s_at_random_phases_lose_nothing_and_count_nothing_twice()
    {
        Skip.IfNot(Environment.GetEnvironmentVariable("LAMBDA_LONG_TESTS") == "1", "a long test: set LAMBDA_LONG_TESTS=1");
        return RunAsync(ChaosSettings.Long);
    }

    private async Task RunAsync(ChaosSettings settings)
    {
        using var dataDir = new TempDirectory();
        var run = new ChaosRun(dataDir.Path, settings, output.WriteLine);

        await run.KillRepeatedlyAsync();
        var verdict = new ChaosVerdict(dataDir.Path);
        await run.FinishCleanlyAsync(verdict.Records);
        Assert.Equal(0, (await CliRunner.RunAsync("archive", "--data-dir", dataDir.Path)).ExitCode);
        var recompute = await CliRunner.RunAsync("batch", "recompute", "--full", "--data-dir", dataDir.Path);
        Assert.True(recompute.ExitCode == 0, recompute.Output + recompute.Error);

        await verdict.AssertLogHoldsTheStreamOnceAsync();
        var batchRows = await verdict.AssertBatchEqualsOracleAsync();
        var speed = await verdict.AssertSpeedMatchesOracleAsync();

        Assert.Equal(settings.Kills, run.Kills.Count);
        foreach (var phase in ChaosPhase.All)
        {
            var kills = run.Kills.Where(k => k.Phase == phase).ToList();
            var inside = phase.EndMarker is null ? "n/a (no end line)" : kills.Count(k => k.LandedInside == true).ToString(System.Globalization.CultureInfo.InvariantCulture);
            output.WriteLine($"{phase.Name}: {kills.Count} kills, start line seen {kills.Count(k => k.PhaseSeen)}, landed before the end line {inside}");
        }

        output.WriteLine($"{verdict.Records} records; batch: {batchRows} rows equal to the oracle; speed: {speed}");
    }
}
