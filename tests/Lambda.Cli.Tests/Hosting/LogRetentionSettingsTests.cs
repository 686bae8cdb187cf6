using Lambda.Cli.CommandLine;
using Lambda.Cli.Hosting;
using Lambda.Log.Embedded;

namespace Lambda.Cli.Tests.Hosting;

/// <summary>The log retention settings of `lambda run` and `lambda ingest`: parsed, applied to the log, and named when bad.</summary>
public sealed class LogRetentionSettingsTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "lambda-retention-" + Guid.NewGuid().ToString("N"));

    public LogRetentionSettingsTests() => Directory.CreateDirectory(_dataDir);

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("30m", 1_800)]
    [InlineData("12h", 43_200)]
    [InlineData("7d", 604_800)]
    public void durations_are_a_number_and_a_unit(string text, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), DurationText.Parse(text));

    [Theory]
    [InlineData("0m")]
    [InlineData("30")]
    [InlineData("m")]
    [InlineData("-5m")]
    [InlineData("2w")]
    [InlineData("1.5h")]
    public void other_durations_are_refused(string text) => Assert.Throws<FormatException>(() => DurationText.Parse(text));

    [Fact]
    public void the_default_keeps_everything_and_guards_the_speed_layer_and_the_archive()
    {
        var settings = LogRetentionSettings.Read(RunSettings.FromEnvironment([]));
        var options = new EmbeddedLogOptions { RootPath = _dataDir };
        settings.Apply(options);

        Assert.Null(options.RetentionMs);
        Assert.Equal(["lambda-speed", "lambda-archive"], LogRetentionSettings.DefaultGuards);
        Assert.Equal(256L * 1024 * 1024, options.SegmentBytes);
    }

    [Fact]
    public void a_retention_reaches_the_log_with_its_guards_and_a_check_a_quarter_of_it_apart_at_most_5_s()
    {
        var options = new EmbeddedLogOptions { RootPath = _dataDir };
        new LogRetentionSettings(TimeSpan.FromMinutes(2), ["lambda-speed"], 8).Apply(options);

        Assert.Equal(120_000, options.RetentionMs);
        Assert.Equal(5_000, options.RetentionCheckIntervalMs);
        Assert.Equal(["lambda-speed"], options.RetentionGuardGroups);
        Assert.Equal(8L * 1024 * 1024, options.SegmentBytes);
        options.Validate();
    }

    [Theory]
    [InlineData("--log-retention", "forever", "log_retention")]
    [InlineData("--log-retention-guards", "lambda speed", "log_retention_guards")]
    [InlineData("--log-segment-mb", "0", "log_segment_mb")]
    public async Task a_bad_value_on_run_exits_2_naming_its_setting_and_flag(string flag, string value, string key)
    {
        var (code, _, error) = await CliRunner.RunAsync("run", "--data-dir", _dataDir, flag, value);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains($"setting '{key}' (from {flag})", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_retention_with_the_kafka_log_is_refused_since_kafka_has_its_own()
    {
        var (code, _, error) = await CliRunner.RunAsync("run", "--data-dir", _dataDir, "--log", "kafka", "--kafka-bootstrap", "127.0.0.1:1", "--log-retention", "1d");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("setting 'log_retention' (from --log-retention): applies to the embedded log only", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_bad_retention_on_ingest_exits_2_naming_it()
    {
        var input = Path.Combine(_dataDir, "events.jsonl");
        File.WriteAllText(input, "");

        var (code, _, error) = await CliRunner.RunAsync("ingest", input, "--data-dir", _dataDir, "--log-retention", "7 days");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("setting 'log_retention' (from --log-retention)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ingest_with_a_retention_and_small_segments_writes_the_log()
    {
        var input = Path.Combine(_dataDir, "events.jsonl");
        File.WriteAllText(input, "not json\n");

        var (code, _, error) = await CliRunner.RunAsync("ingest", input, "--data-dir", _dataDir, "--log-retention", "30m", "--log-retention-guards", "none", "--log-segment-mb", "1");

        Assert.True(code == ExitCodes.Ok, error);
        Assert.True(Directory.Exists(Path.Combine(_dataDir, "log", "topics")));
    }

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);
}
