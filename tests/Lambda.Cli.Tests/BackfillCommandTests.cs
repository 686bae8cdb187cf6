using System.Globalization;
using Lambda.Store.Sqlite;

namespace Lambda.Cli.Tests;

/// <summary>`lambda backfill` rebuilds the master dataset from the log and then recomputes the batch views.</summary>
public class BackfillCommandTests
{
    [Fact]
    public async Task backfill_rebuilds_the_master_dataset_and_publishes_a_batch_version_with_the_generated_impressions()
    {
        using var dir = new TempDirectory();
        var oracle = Path.Combine(dir.Path, "oracle.csv");
        // Midnight two days ago, one record per second of event time: the first 5.5 hours of a complete UTC day.
        var start = DateTime.UtcNow.Date.AddDays(-2).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var generated = await CliRunner.RunAsync("generate", "--events", "20000", "--event-rate", "1", "--start", start,
            "--clean", "--oracle", oracle, "--data-dir", dir.Path);
        Assert.True(generated.ExitCode == 0, generated.Error);

        var (code, output, error) = await CliRunner.RunAsync("backfill", "--data-dir", dir.Path, "--chunk-records", "4000");

        Assert.True(code == 0, error + output);
        Assert.Contains("is current", output, StringComparison.Ordinal);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(dir.Path, "master", "ad-served"), "*.parquet", SearchOption.AllDirectories));
        await using var store = new SqliteViewStore(Path.Combine(dir.Path, "views.db"));
        var version = await store.GetCurrentBatchVersionAsync();
        Assert.NotNull(version);
        Assert.True(version.RowCount > 0, "the current version has no rows");
        var expected = ImpressionsPerCampaign(oracle);
        Assert.NotEmpty(expected);
        foreach (var (campaign, impressions) in expected)
        {
            var days = await store.ReadBatchRowsAsync(version.VersionId, campaign, "day", 0, version.WatermarkMs);
            Assert.Equal(impressions, days.Sum(d => d.Counts.Impressions));
        }
    }

    private static Dictionary<string, long> ImpressionsPerCampaign(string oracleCsv)
    {
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(oracleCsv).Skip(1))
        {
            var fields = line.Split(',');
            totals[fields[0]] = totals.GetValueOrDefault(fields[0]) + long.Parse(fields[2], CultureInfo.InvariantCulture);
        }

        return totals;
    }
}
