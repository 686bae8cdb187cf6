namespace Lambda.Cli.Tests;

public class TopicsAndTailTests
{
    [Fact]
    public async Task generated_traffic_shows_in_topics_and_tail_prints_records_from_an_offset()
    {
        using var dir = new TempDirectory();
        var (code, output, error) = await CliRunner.RunAsync("generate", "--events", "2000", "--data-dir", dir.Path);
        Assert.True(code == 0, error);
        Assert.Contains("generated 2000 records", output, StringComparison.Ordinal);

        (code, output, _) = await CliRunner.RunAsync("topics", "--data-dir", dir.Path);
        Assert.Equal(0, code);
        var totals = output.Split('\n').Where(l => l.Contains(" all ", StringComparison.Ordinal))
            .ToDictionary(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2000, totals["ad-served"] + totals["ad-views"] + totals["ad-clicks"]);
        Assert.Equal(0, totals["dead-letters"]);

        (code, output, _) = await CliRunner.RunAsync("tail", "ad-served", "--partition", "1", "--from", "3", "--limit", "2", "--data-dir", dir.Path);
        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("1:3 ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("1:4 ", lines[1], StringComparison.Ordinal);
        Assert.Contains("\"campaign_id\"", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task tail_without_a_partition_reads_every_partition()
    {
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "probe.jsonl");
        // The newcomer's probe: 3 good lines and 4 rejects, whose dead letters land in several partitions.
        var (code, _, error) = await CliRunner.RunAsync("generate", "--out", file, "--events", "3", "--data-dir", dir.Path);
        Assert.True(code == 0, error);
        await File.AppendAllLinesAsync(file, ["not json", "{\"type\":\"served\"}", "[1,2]", "{\"type\":\"view\",\"event_id\":7}"]);
        (code, _, error) = await CliRunner.RunAsync("ingest", file, "--data-dir", dir.Path);
        Assert.True(code == 0, error);

        (code, var output, error) = await CliRunner.RunAsync("tail", "dead-letters", "--data-dir", dir.Path);

        Assert.True(code == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.All(lines, l => Assert.Matches(@"^\d+:\d+ ", l));
        Assert.True(lines.Select(l => l.Split(':')[0]).Distinct().Count() > 1, "the rejects should span partitions: " + output);
    }

    [Fact]
    public async Task tail_of_a_partition_that_does_not_exist_names_the_range()
    {
        using var dir = new TempDirectory();
        await CliRunner.RunAsync("topics", "--data-dir", dir.Path);

        var (code, _, error) = await CliRunner.RunAsync("tail", "ad-views", "--partition", "9", "--data-dir", dir.Path);

        Assert.Equal(2, code);
        Assert.Contains("--partition 9", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task generating_to_a_file_is_deterministic_for_a_seed()
    {
        using var dir = new TempDirectory();
        var a = Path.Combine(dir.Path, "a.jsonl");
        var b = Path.Combine(dir.Path, "b.jsonl");
        const string Start = "2026-11-01T00:00:00Z";
        await CliRunner.RunAsync("generate", "--events", "500", "--seed", "9", "--start", Start, "--out", a);
        await CliRunner.RunAsync("generate", "--events", "500", "--seed", "9", "--start", Start, "--out", b);

        Assert.Equal(await File.ReadAllBytesAsync(a), await File.ReadAllBytesAsync(b));
        Assert.Equal(500, (await File.ReadAllLinesAsync(a)).Length);
    }
}
