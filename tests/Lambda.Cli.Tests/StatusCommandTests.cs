using Lambda.SharedModel.Views;
using Lambda.Store.Sqlite;

namespace Lambda.Cli.Tests;

public sealed class StatusCommandTests
{
    [Fact]
    public async Task a_partition_whose_speed_layer_stopped_reporting_is_shown_as_stale()
    {
        using var dir = new TempDirectory();
        await using (var store = new SqliteViewStore(Path.Combine(dir.Path, "views.db")))
        {
            await store.InitializeAsync();
            var now = DateTimeOffset.UtcNow;
            await store.UpsertPartitionStatusAsync(
            [
                new SpeedPartitionStatus(0, "host-a:11", 0, 0, 10, 100, 0, 0, 0, 0, 3, now, OwnerMismatched: 2, FutureDated: 1),
                new SpeedPartitionStatus(1, "host-b:22", 0, 0, 0, 50, 0, 0, 0, 0, 0, now.AddMinutes(-5)),
            ]);
        }

        var (code, output, error) = await CliRunner.RunAsync("status", "--data-dir", dir.Path);

        Assert.True(code == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("(host-a:11)", lines[1], StringComparison.Ordinal);
        Assert.Matches(@"\s3\s+2\s+1\s", lines[1]);
        Assert.Contains("STALE: no report for 5m", lines[2], StringComparison.Ordinal);
        Assert.Contains("host-b:22", lines[2], StringComparison.Ordinal);

        (code, output, _) = await CliRunner.RunAsync("status", "--stale-after", "01:00:00", "--data-dir", dir.Path);
        Assert.Equal(0, code);
        Assert.DoesNotContain("STALE", output, StringComparison.Ordinal);
    }
}
