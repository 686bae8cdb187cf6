using System.Runtime.CompilerServices;
using System.Text;
using Lambda.Batch.Master;
using Lambda.DuckDb;
using Lambda.SharedModel.Events;

namespace Lambda.Batch.Tests.Archive;

/// <summary>The master files' Parquet schema is a persisted format: frozen in Golden/master-schema.txt.</summary>
public sealed class ParquetSchemaGoldenTests : IDisposable
{
    private readonly MasterTestBed _bed = new();

    [Fact]
    public async Task master_file_schema_matches_the_golden_file()
    {
        await _bed.GenerateAsync(2_000);
        await _bed.ArchiveAsync();
        var file = Directory.EnumerateFiles(MasterDataset.TopicDirectory(_bed.Master, Topics.Served), "*.parquet", SearchOption.AllDirectories).First();

        using var database = DuckDbDatabase.OpenInMemory();
        using var connection = database.Connect();
        var schema = new StringBuilder("# DESCRIBE: column type\n");
        using (var reader = connection.Query($"DESCRIBE SELECT * FROM read_parquet({DuckDbSql.Literal(file)}, hive_partitioning = false)"))
        {
            while (reader.Read())
            {
                schema.Append(reader.GetString(0)).Append(' ').Append(reader.GetString(1)).Append('\n');
            }
        }

        schema.Append("# parquet_schema: name physical_type converted_type logical_type repetition\n");
        using (var reader = connection.Query(
            $"SELECT name, coalesce(type, '-'), coalesce(converted_type, '-'), coalesce(CAST(logical_type AS VARCHAR), '-'), coalesce(repetition_type, '-') FROM parquet_schema({DuckDbSql.Literal(file)})"))
        {
            while (reader.Read())
            {
                schema.Append(string.Join(' ', Enumerable.Range(0, 5).Select(reader.GetString))).Append('\n');
            }
        }

        using (var reader = connection.Query($"SELECT DISTINCT compression FROM parquet_metadata({DuckDbSql.Literal(file)})"))
        {
            while (reader.Read())
            {
                schema.Append("# compression ").Append(reader.GetString(0)).Append('\n');
            }
        }

        var golden = GoldenPath();
        if (Environment.GetEnvironmentVariable("LAMBDA_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(golden, schema.ToString());
        }

        Assert.True(File.Exists(golden), $"no golden file at {golden}: run once with LAMBDA_UPDATE_GOLDEN=1 and review it");
        Assert.Equal(File.ReadAllText(golden), schema.ToString());

        // The golden DESCRIBE agrees with the column list the code declares.
        var declared = string.Concat(MasterDataset.Columns.Select(c => $"{c.Name} {c.Type}\n"));
        Assert.StartsWith("# DESCRIBE: column type\n" + declared, schema.ToString(), StringComparison.Ordinal);
    }

    private static string GoldenPath([CallerFilePath] string source = "") =>
        Path.Combine(Path.GetDirectoryName(source)!, "Golden", "master-schema.txt");

    public void Dispose() => _bed.Dispose();
}
