using Lambda.Batch.Recompute;
using Lambda.Batch.Tests.Recompute.Fixtures;
using Lambda.DuckDb;
using Lambda.SharedModel.Bots;

namespace Lambda.Batch.Tests.Recompute;

public sealed class ExactViewTests
{
    [Fact]
    public async Task batch_views_equal_an_independent_exact_computation_over_imperfect_traffic()
    {
        var scenario = TrafficScenario.Create();
        await using var bed = await BatchTestBed.CreateAsync();
        MasterFixture.Write(bed.MasterRoot, scenario.Records);

        var result = await bed.RecomputeAsync();

        Assert.Equal(RecomputeOutcome.Published, result.Outcome);
        Assert.Equal(TrafficScenario.WatermarkMs, result.WatermarkMs);
        Assert.Equal([new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 2)], result.RecomputedDates);
        var reference = ExactReference.Compute(scenario.Records, BotRules.Default, TrafficScenario.WatermarkMs);
        var files = bed.FileRows(result.VersionId!.Value);
        RowAssert.Equal(reference.Rows, files);
        Assert.Contains(files.Values, r => r.Counts.BotFiltered > 0);
        Assert.Contains(files.Values, r => r.Counts.Duplicates > 0);
        Assert.Contains(files.Values, r => r.UniquesSketch.Length > 1000);

        var stored = await bed.StoreRowsAsync(result.VersionId.Value, files.Keys.Select(k => k.Campaign));
        RowAssert.Equal(files, stored);
        var current = await bed.Store.GetCurrentBatchVersionAsync();
        Assert.Equal(result.VersionId, current!.VersionId);
        Assert.Equal(files.Count, current.RowCount);
        Assert.Contains("ad-served", current.CoveredOffsetsJson, StringComparison.Ordinal);

        var manifest = BatchVersionManifest.TryRead(bed.Paths.VersionDirectory(result.VersionId.Value))!;
        var day1 = manifest.Days.Single(d => d.Date == new DateOnly(2025, 1, 1));
        Assert.Equal(2, day1.UnattributedViews);
        Assert.Equal(1, day1.UnattributedDuplicates);
        Assert.Equal(["ad-never-served"], day1.UnattributedAdIds);
        Assert.Equal(reference.UnattributedViews, manifest.Days.Sum(d => d.UnattributedViews));
    }

    [Fact]
    public async Task log_positions_beyond_the_compact_range_give_the_same_views()
    {
        // File names claiming offsets of 2^55 and more make the day query order records by HUGEINT
        // positions instead of the compact BIGINT ones (the records inside keep their own offsets).
        var scenario = TrafficScenario.Create();
        await using var bed = await BatchTestBed.CreateAsync();
        MasterFixture.Write(bed.MasterRoot, scenario.Records);
        foreach (var path in Directory.GetFiles(bed.MasterRoot, "*.parquet", SearchOption.AllDirectories))
        {
            Assert.True(Lambda.Batch.Master.MasterDataset.TryParseFileName(Path.GetFileName(path), out var partition, out var from, out var to));
            File.Move(path, Path.Combine(Path.GetDirectoryName(path)!,
                Lambda.Batch.Master.MasterDataset.FileName(partition, from + (1L << 55), to + (1L << 55))));
        }

        var result = await bed.RecomputeAsync();

        Assert.Equal(RecomputeOutcome.Published, result.Outcome);
        RowAssert.Equal(ExactReference.Compute(scenario.Records, BotRules.Default, TrafficScenario.WatermarkMs).Rows,
            bed.FileRows(result.VersionId!.Value));
    }

    [Fact]
    public async Task view_files_are_in_campaign_then_bucket_order_as_written()
    {
        var scenario = TrafficScenario.Create();
        await using var bed = await BatchTestBed.CreateAsync();
        MasterFixture.Write(bed.MasterRoot, scenario.Records);

        var result = await bed.RecomputeAsync();

        using var db = DuckDbDatabase.OpenInMemory();
        using var connection = db.Connect();
        foreach (var granularity in BatchViewFiles.Granularities)
        {
            // The parts in number order, each in row order, are the granularity's rows in order.
            var paths = BatchViewFiles.PathsOf(bed.Paths.VersionDirectory(result.VersionId!.Value), granularity);
            var parts = string.Join(" UNION ALL ", paths.Select((path, k) =>
                $"SELECT {k} AS part, file_row_number, campaign_id, bucket_start_ms FROM read_parquet({DuckDbSql.Literal(path)}, file_row_number = true)"));
            using var reader = connection.Query($"""
                SELECT count(*), count(*) FILTER (WHERE previous IS NOT NULL AND previous >= (campaign_id, bucket_start_ms))
                FROM (SELECT campaign_id, bucket_start_ms,
                             lag((campaign_id, bucket_start_ms)) OVER (ORDER BY part, file_row_number) AS previous
                      FROM ({parts}))
                """);
            reader.Read();
            Assert.True(reader.GetInt64(0) > 1, granularity);
            Assert.Equal(0, reader.GetInt64(1));
        }
    }

    [Fact]
    public async Task batch_views_agree_with_the_generator_oracle_where_definitions_agree()
    {
        var scenario = TrafficScenario.Create();
        await using var bed = await BatchTestBed.CreateAsync();
        MasterFixture.Write(bed.MasterRoot, scenario.Records);

        var result = await bed.RecomputeAsync();

        var files = bed.FileRows(result.VersionId!.Value);
        var oracle = scenario.Oracles.SelectMany(o => o.Buckets()).Where(b => b.BucketStartMs < TrafficScenario.WatermarkMs).ToList();
        Assert.NotEmpty(oracle);
        Assert.Contains(oracle, b => b.Late > 0);
        Assert.Contains(oracle, b => b.ViewsBeforeServed > 0);
        foreach (var o in oracle)
        {
            Assert.True(files.TryGetValue(("minute", o.CampaignId, o.BucketStartMs), out var row), $"no row for {o.CampaignId} {o.BucketStartMs}");
            Assert.Equal((o.Impressions, o.Views, o.Clicks, o.SpendMicros, (long)o.Uniques, o.BotFiltered, o.Duplicates),
                (row.Counts.Impressions, row.Counts.Views, row.Counts.Clicks, row.Counts.SpendMicros, row.Uniques, row.Counts.BotFiltered, row.Counts.Duplicates));
            Assert.Equal(0, row.Counts.Late);
        }

        Assert.Equal(oracle.Count, files.Keys.Count(k => k.Granularity == "minute" && k.Campaign != "campaign-manual"));
    }
}
