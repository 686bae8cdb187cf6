namespace Lambda.Cli.Tests;

public class CommandLineErrorTests
{
    [Theory]
    [InlineData(new[] { "bogus" }, "bogus")]
    [InlineData(new[] { "topics", "--partitions", "0" }, "--partitions")]
    [InlineData(new[] { "topics", "--log", "carrier-pigeon" }, "carrier-pigeon")]
    [InlineData(new[] { "tail", "ad-views", "--limit", "0" }, "--limit")]
    [InlineData(new[] { "tail", "ad-views", "--from", "-3" }, "--from")]
    [InlineData(new[] { "generate", "--events", "many" }, "many")]
    [InlineData(new[] { "generate", "--events", "-5" }, "--events")]
    [InlineData(new[] { "generate", "--bot-share", "2" }, "BotShare")]
    [InlineData(new[] { "ingest", "--topic", "ad-impressions" }, "ad-impressions")]
    [InlineData(new[] { "speed", "--flush-interval", "-00:00:01" }, "FlushInterval")]
    [InlineData(new[] { "speed", "--workers", "0" }, "Workers")]
    // An empty bootstrap, not a missing one: infra/test.sh sets LAMBDA_KAFKA_BOOTSTRAP, which a missing flag falls back to.
    [InlineData(new[] { "topics", "--log", "kafka", "--kafka-bootstrap", " " }, "--kafka-bootstrap")]
    [InlineData(new[] { "serve", "--public-url", "evil.example:666" }, "PublicUrl")]
    [InlineData(new[] { "serve", "--ingest-max-rejected-share", "1.5" }, "IngestMaxRejectedShare")]
    [InlineData(new[] { "serve", "--failed-auth-limit", "0" }, "FailedAuthPerSecond")]
    [InlineData(new[] { "serve", "--cache-size-mb", "0" }, "CacheSizeBytes")]
    [InlineData(new[] { "status", "--store", "postgres" }, "--pg")]
    [InlineData(new[] { "speed", "--log-format", "xml" }, "--log-format")]
    [InlineData(new[] { "speed", "--log-level", "loud" }, "--log-level")]
    public async Task a_bad_command_line_exits_with_code_2_and_names_the_culprit(string[] args, string named)
    {
        using var dir = new TempDirectory();
        var (code, _, error) = await CliRunner.RunAsync([.. args, "--data-dir", dir.Path]);

        Assert.Equal(2, code);
        Assert.Contains(named, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ingesting_a_file_that_does_not_exist_is_a_usage_error()
    {
        using var dir = new TempDirectory();
        var (code, _, error) = await CliRunner.RunAsync("ingest", Path.Combine(dir.Path, "missing.jsonl"), "--data-dir", dir.Path);

        Assert.Equal(2, code);
        Assert.Contains("missing.jsonl", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task help_lists_the_subcommands_and_exits_0()
    {
        var (code, output, _) = await CliRunner.RunAsync("--help");

        Assert.Equal(0, code);
        foreach (var command in new[] { "ingest", "generate", "topics", "tail", "speed", "status" })
        {
            Assert.Contains(command, output, StringComparison.Ordinal);
        }
    }
}
