using Lambda.DuckDb;

namespace Lambda.Batch.Tests.DuckDb;

public sealed class ParquetTests : IDisposable
{
    private const int Rows = 30_000;

    private readonly TempDirectory _dir = new();
    private readonly DuckDbDatabase _database = DuckDbDatabase.OpenInMemory(new DuckDbOptions { Threads = 2 });
    private readonly DuckDbConnection _connection;

    public ParquetTests()
    {
        _connection = _database.Connect();
        _connection.Execute($"""
            CREATE TABLE served AS
            SELECT 'ev-' || n AS event_id, 'campaign-' || (n % 10) AS campaign_id, n % 1000 AS cost_micros,
                   TIMESTAMP '2024-05-01' + to_seconds(n * 30) AS event_time,
                   CAST(TIMESTAMP '2024-05-01' + to_seconds(n * 30) AS DATE) AS event_date
            FROM range({Rows}) t(n)
            """);
    }

    public void Dispose()
    {
        _connection.Dispose();
        _database.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void copy_to_zstd_parquet_reads_back_identically()
    {
        var file = _dir.File("served.parquet");
        _connection.Execute($"COPY served TO {DuckDbSql.Literal(file)} (FORMAT parquet, COMPRESSION zstd)");
        Assert.True(File.Exists(file));

        using (var codecs = _connection.Prepare("SELECT DISTINCT compression FROM parquet_metadata($1)"))
        {
            codecs.BindVarchar(1, file);
            using var reader = codecs.Query();
            Assert.True(reader.Read());
            Assert.Equal("ZSTD", reader.GetString(0));
            Assert.False(reader.Read());
        }

        using var back = _connection.Prepare("""
            SELECT count(*), sum(cost_micros), count(DISTINCT campaign_id), max(event_time)
            FROM read_parquet($1)
            """);
        back.BindVarchar(1, file);
        using var result = back.Query();
        Assert.True(result.Read());
        Assert.Equal(Rows, result.GetInt64(0));
        Assert.Equal(_connection.ScalarInt64("SELECT sum(cost_micros) FROM served"), result.GetInt64(1));
        Assert.Equal(10L, result.GetInt64(2));
        Assert.Equal(new DateTime(2024, 5, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds((Rows - 1) * 30L), result.GetDateTime(3));
    }

    [Fact]
    public void partition_by_writes_hive_folders_that_read_back_per_partition()
    {
        var root = Path.Combine(_dir.Path, "master");
        _connection.Execute($"""
            COPY served TO {DuckDbSql.Literal(root)} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (event_date))
            """);

        var folders = Directory.GetDirectories(root).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        // 30,000 events 30 s apart span 10.4 days: 2024-05-01 .. 2024-05-11
        Assert.Equal(Enumerable.Range(1, 11).Select(d => $"event_date=2024-05-{d:00}"), folders);
        Assert.All(Directory.GetDirectories(root), f => Assert.NotEmpty(Directory.GetFiles(f, "*.parquet")));

        using var back = _connection.Prepare("""
            SELECT event_date, count(*) FROM read_parquet($1, hive_partitioning = true)
            GROUP BY event_date ORDER BY event_date
            """);
        back.BindVarchar(1, Path.Combine(root, "*", "*.parquet"));
        using var reader = back.Query();
        using var expected = _connection.Query("SELECT event_date, count(*) FROM served GROUP BY event_date ORDER BY event_date");
        var partitions = 0;
        while (expected.Read())
        {
            Assert.True(reader.Read());
            Assert.Equal(expected.GetDateTime(0), reader.GetDateTime(0));
            Assert.Equal(expected.GetInt64(1), reader.GetInt64(1));
            partitions++;
        }
        Assert.False(reader.Read());
        Assert.Equal(11, partitions);
    }

    [Fact]
    public void reading_a_missing_parquet_file_carries_duckdbs_message()
    {
        using var read = _connection.Prepare("SELECT count(*) FROM read_parquet($1)");
        read.BindVarchar(1, _dir.File("absent.parquet"));
        var error = Assert.Throws<DuckDbException>(() => read.Query());
        Assert.Contains("absent.parquet", error.Message, StringComparison.Ordinal);
    }
}
