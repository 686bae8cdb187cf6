namespace Lambda.Cli.Tests;

/// <summary>A broken master dataset fails a batch command with one clear line and exit code 1, never a stack trace.</summary>
public class BatchErrorTests
{
    [Fact]
    public async Task a_corrupt_parquet_file_in_the_master_dataset_fails_the_recompute_with_one_line_naming_the_file()
    {
        using var dir = new TempDirectory();
        var date = Path.Combine(dir.Path, "master", "ad-served", "date=2025-01-01");
        Directory.CreateDirectory(date);
        const string file = "p0-00000000000000000000-00000000000000000010.parquet";
        await File.WriteAllTextAsync(Path.Combine(date, file), "this is not parquet");

        var (code, _, error) = await CliRunner.RunAsync("batch", "recompute", "--data-dir", dir.Path);

        Assert.Equal(1, code);
        AssertOneLine(error);
        Assert.StartsWith("error: DuckDB: ", error, StringComparison.Ordinal);
        Assert.Contains(file, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_corrupt_archive_manifest_fails_the_recompute_with_one_line_naming_it()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(dir.Path, "master"));
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "master", "_manifest.json"), "{ \"format\": 1, \"partitions\": [");

        var (code, _, error) = await CliRunner.RunAsync("batch", "recompute", "--data-dir", dir.Path);

        Assert.Equal(1, code);
        AssertOneLine(error);
        Assert.Contains("_manifest.json", error, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", error, StringComparison.Ordinal);
    }

    private static void AssertOneLine(string error)
    {
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, "expected one line, got:\n" + error);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }
}
