namespace Lambda.Cli.Tests;

public sealed class BenchCommandTests
{
    [Fact]
    public async Task serving_seed_fills_the_configured_store_with_a_current_version()
    {
        using var data = new TempDirectory();

        var (code, output, error) = await CliRunner.RunAsync("--data-dir", data.Path, "bench", "serving-seed");
        Assert.True(code == 0, error);
        Assert.StartsWith("seeded 10 campaigns, version ", output, StringComparison.Ordinal);

        var (versionsCode, versions, _) = await CliRunner.RunAsync("--data-dir", data.Path, "batch", "versions");
        Assert.Equal(0, versionsCode);
        Assert.Contains("2026-11-23T12:00:00Z", versions, StringComparison.Ordinal);
    }
}
