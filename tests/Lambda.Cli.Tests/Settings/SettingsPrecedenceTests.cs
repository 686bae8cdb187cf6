using System.CommandLine;
using Lambda.Cli.CommandLine;
using Lambda.Cli.Commands;
using Lambda.Cli.Hosting;

namespace Lambda.Cli.Tests.Settings;

/// <summary>
/// The settings' precedence, default &lt; lambda.json &lt; LAMBDA_* &lt; flag, for an integer (demo_days), a
/// string (recompute_cron) and a duration (kafka_timeout), read through the typed settings as `lambda run` reads them.
/// </summary>
[Collection(nameof(ProcessVariables))]
public sealed class SettingsPrecedenceTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly SchedulerSettings _scheduler = new();
    private readonly KafkaFlags _kafka = new();
    private readonly Option<int?> _demoDays = SettingFlags.Integer("--demo-days", "demo_days", "days");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(false, false, false, "default")]
    [InlineData(true, false, false, "file")]
    [InlineData(false, true, false, "env")]
    [InlineData(true, true, false, "env")]
    [InlineData(false, false, true, "flag")]
    [InlineData(true, false, true, "flag")]
    [InlineData(true, true, true, "flag")]
    public void the_later_source_wins_for_an_integer_a_string_and_a_duration(bool inFile, bool inEnv, bool inFlag, string winner)
    {
        var file = Path.Combine(_dir.Path, "lambda.json");
        if (inFile)
        {
            File.WriteAllText(file, """{ "demo_days": 4, "recompute_cron": "0 0 4 * * ?", "kafka_timeout": "10s" }""");
        }

        string[] flags = inFlag ? ["--demo-days", "6", "--recompute-cron", "0 0 6 * * ?", "--kafka-timeout", "30m"] : [];
        using var variables = new VariablesSet(
            ("LAMBDA_DEMO_DAYS", inEnv ? "5" : null),
            ("LAMBDA_RECOMPUTE_CRON", inEnv ? "0 0 5 * * ?" : null),
            ("LAMBDA_KAFKA_TIMEOUT", inEnv ? "20s" : null));

        var parsed = Parse(flags);
        var settings = Read(parsed);

        var (days, cron, timeout) = winner switch
        {
            "file" => (4, "0 0 4 * * ?", TimeSpan.FromSeconds(10)),
            "env" => (5, "0 0 5 * * ?", TimeSpan.FromSeconds(20)),
            "flag" => (6, "0 0 6 * * ?", TimeSpan.FromMinutes(30)),
            _ => (3, "0 0 2 * * ?", TimeSpan.FromSeconds(30)),
        };
        Assert.Equal(days, DemoSettings.Read(settings).HistoryDays);
        Assert.Equal(cron, _scheduler.Read(parsed, settings, Platform()).RecomputeCron);
        Assert.Equal(timeout, KafkaSettings.Read(settings).Timeout);

        string Source(string variable, string flag) => winner switch { "file" => file, "env" => variable, "flag" => flag, _ => "default" };
        Assert.Equal(Source("LAMBDA_DEMO_DAYS", "--demo-days"), settings.SourceOf("demo_days"));
        Assert.Equal(Source("LAMBDA_RECOMPUTE_CRON", "--recompute-cron"), settings.SourceOf("recompute_cron"));
        Assert.Equal(Source("LAMBDA_KAFKA_TIMEOUT", "--kafka-timeout"), settings.SourceOf("kafka_timeout"));
    }

    [Fact]
    public void a_variable_of_a_key_the_command_does_not_read_is_left_alone()
    {
        using var variables = new VariablesSet(("LAMBDA_DEMO_DAYS", "many"));

        var settings = RunSettings.FromEnvironment(LogRetentionSettings.Keys);

        Assert.Null(settings.GetString("demo_days", null));
        Assert.Equal("default", settings.SourceOf("demo_days"));
    }

    private RunSettings Read(ParseResult parsed)
    {
        var settings = RunSettings.Load(null, _dir.Path, RunCommand.SettingKeys);
        settings.SetFlag(parsed, "demo_days", _demoDays);
        settings.SetFlag(parsed, "recompute_cron", _scheduler.RecomputeCron);
        _kafka.SetFlags(parsed, settings);
        return settings;
    }

    private ParseResult Parse(string[] flags)
    {
        var command = new RootCommand { _demoDays };
        _scheduler.AddTo(command);
        foreach (var option in _kafka.All)
        {
            command.Options.Add(option);
        }

        var parsed = command.Parse(flags);
        Assert.Empty(parsed.Errors);
        return parsed;
    }

    private PlatformSettings Platform() => new(_dir.Path, "embedded", null, 4, "sqlite", null, "lambda", false);
}
