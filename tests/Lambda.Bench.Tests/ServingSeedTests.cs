using Lambda.Store.Sqlite;

namespace Lambda.Bench.Tests;

public sealed class ServingSeedTests
{
    [Fact]
    public async Task the_seed_makes_a_current_version_at_noon_with_batch_rows_before_it_and_speed_rows_after()
    {
        var directory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"lambda-bench-{Guid.NewGuid():N}")).FullName;
        try
        {
            await using var store = new SqliteViewStore(Path.Combine(directory, "views.db"));
            await store.InitializeAsync();
            using var output = new StringWriter();

            await ServingSeed.SeedAsync(store, output);

            var current = (await store.GetCurrentBatchVersionAsync())!;
            Assert.Equal(ServingSeed.WatermarkMs, current.WatermarkMs);
            Assert.Equal(10, (await store.ListCampaignsAsync("bench-adv")).Count);
            var minutes = await store.ReadBatchRowsAsync(current.VersionId, "bench-3", "minute", ServingSeed.DayMs, ServingSeed.WatermarkMs);
            Assert.Equal(12 * 60, minutes.Count);
            var speed = await store.ReadSpeedRowsAsync("bench-3", ServingSeed.WatermarkMs, ServingSeed.DayMs + (24 * 3_600_000));
            Assert.Equal(12 * 60 * 4, speed.Count);
            Assert.StartsWith("seeded 10 campaigns, version ", output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
