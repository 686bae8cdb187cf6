using System.Runtime.CompilerServices;
using Lambda.Batch.Recompute;
using Lambda.Batch.Tests.Archive;
using Lambda.Batch.Tests.Recompute.Fixtures;
using Lambda.DuckDb;

namespace Lambda.Batch.Tests.Recompute;

/// <summary>
/// Installations keep their history: a master dataset written by the hand-written Parquet writer the archive
/// used before Parquet.Net (Fixtures/LegacyMaster: 24,000 generated records, chunks of 4,000 offsets, row
/// groups of 1,000 rows) is read by today's recompute, which makes the same views from it as from the same
/// traffic archived today.
/// </summary>
public sealed class LegacyMasterTests
{
    private const string LegacyWriter = "Lambda batch layer (Lambda.Batch.Parquet)";

    [Fact]
    public async Task the_recompute_reads_a_master_dataset_of_the_former_writer_as_it_reads_todays()
    {
        await using var legacy = await BatchTestBed.CreateAsync();
        MasterTestBed.CopyFiles(LegacyFixture(), legacy.MasterRoot);
        Assert.All(Writers(legacy.MasterRoot), w => Assert.StartsWith(LegacyWriter, w, StringComparison.Ordinal));

        // The same traffic (the generator is seeded), archived by today's writer with the fixture's settings.
        using var traffic = new MasterTestBed();
        await traffic.GenerateAsync(24_000);
        await traffic.ArchiveAsync(chunkRecords: 4_000, rowGroupSize: 1_000);

        await using var today = await BatchTestBed.CreateAsync();
        MasterTestBed.CopyFiles(traffic.Master, today.MasterRoot);
        Assert.All(Writers(today.MasterRoot), w => Assert.StartsWith("Parquet.Net", w, StringComparison.Ordinal));
        Assert.Equal(MasterTestBed.Files(legacy.MasterRoot), MasterTestBed.Files(today.MasterRoot));

        var legacyRun = await legacy.RecomputeAsync(full: true);
        var todayRun = await today.RecomputeAsync(full: true);

        Assert.Equal(RecomputeOutcome.Published, legacyRun.Outcome);
        Assert.Equal(RecomputeOutcome.Published, todayRun.Outcome);
        var expected = today.FileRows(todayRun.VersionId!.Value);
        var actual = legacy.FileRows(legacyRun.VersionId!.Value);
        Assert.Contains(expected.Keys, k => k.Granularity == "day" && k.Bucket == Day(MasterTestBed.FirstDay));
        Assert.Contains(expected.Keys, k => k.Granularity == "day" && k.Bucket == Day(MasterTestBed.SecondDay));
        RowAssert.Equal(expected, actual);
    }

    /// <summary>The writer named in each master file's footer.</summary>
    private static List<string> Writers(string masterRoot)
    {
        using var database = DuckDbDatabase.OpenInMemory();
        using var connection = database.Connect();
        using var reader = connection.Query(
            $"SELECT DISTINCT created_by FROM parquet_file_metadata({DuckDbSql.Literal(Path.Combine(masterRoot, "*", "*", "*.parquet"))})");
        var writers = new List<string>();
        while (reader.Read())
        {
            writers.Add(reader.GetString(0));
        }

        Assert.NotEmpty(writers);
        return writers;
    }

    private static long Day(DateOnly date) => new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds();

    private static string LegacyFixture([CallerFilePath] string source = "") =>
        Path.Combine(Path.GetDirectoryName(source)!, "Fixtures", "LegacyMaster");
}
