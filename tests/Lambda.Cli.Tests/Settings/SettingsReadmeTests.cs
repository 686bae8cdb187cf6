using System.Text.Json;
using Lambda.Cli.CommandLine;
using Lambda.Cli.Commands;
using Lambda.Cli.Hosting;
using Lambda.Jobs;

namespace Lambda.Cli.Tests.Settings;

/// <summary>README.md's "Settings": its example file holds every key of `lambda run`, at its default where it has one, and is valid.</summary>
public sealed class SettingsReadmeTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void the_example_has_every_key_but_data_dir_and_the_section_names_them_all()
    {
        var (section, example) = Readme();

        using var document = JsonDocument.Parse(example);
        var keys = document.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(RunCommand.SettingKeys.Where(k => k != "data_dir").Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
        Assert.All(RunCommand.SettingKeys, key => Assert.Contains($"`{key}`", section, StringComparison.Ordinal));
    }

    // Five keys have no default to write (log_retention, scheduler_pg, scheduler_instance, batch_threads,
    // demo_start): the example shows their form, and README says so. Everything else reads as the default.
    [Fact]
    public void the_example_reads_as_the_defaults_but_for_the_keys_it_shows_the_form_of()
    {
        File.WriteAllText(Path.Combine(_dir.Path, "lambda.json"), Readme().Example);
        var example = ReadAll();
        File.Delete(Path.Combine(_dir.Path, "lambda.json"));
        var defaults = ReadAll();

        Assert.Equal(Essentials(defaults.Platform), Essentials(example.Platform));
        Assert.Equal(defaults.Platform.LogRetention.Guards, example.Platform.LogRetention.Guards);
        Assert.Equal(defaults.Platform.LogRetention.SegmentMb ?? 256, example.Platform.LogRetention.SegmentMb);
        Assert.Equal(defaults.Demo, example.Demo with { Start = null });
        Assert.Equal(defaults.Scheduler.Schedules, example.Scheduler.Schedules);
        Assert.Equal(
            (defaults.Scheduler.RetentionGrace, defaults.Scheduler.Store, defaults.Scheduler.MaxAttempts, defaults.Scheduler.TimeZone),
            (example.Scheduler.RetentionGrace, example.Scheduler.Store, example.Scheduler.MaxAttempts, example.Scheduler.TimeZone));
        Assert.Equal(defaults.Flags, example.Flags);
    }

    // An empty kafka_bootstrap, kafka_config or pg is none.
    private static object Essentials(PlatformSettings p) =>
        (p.Log, p.Partitions, p.Store, p.PostgresSchema, p.Kafka, string.IsNullOrEmpty(p.KafkaBootstrap), string.IsNullOrEmpty(p.Postgres), p.KafkaConfig.Count);

    private (PlatformSettings Platform, SchedulerOptions Scheduler, DemoSettings Demo, string Flags) ReadAll()
    {
        var platformOptions = new PlatformOptions();
        var parsed = LambdaCommand.Build(platformOptions).Parse(["run", "--data-dir", _dir.Path]);
        var settings = RunSettings.Load(null, _dir.Path, RunCommand.SettingKeys);
        var platform = PlatformSettings.Read(parsed, platformOptions, settings, _dir.Path);
        var scheduler = new SchedulerSettings().Read(parsed, settings, platform);
        var flags = $"{settings.GetBool("demo", false)} {settings.GetBool("no_serve", false)} {settings.GetBool("no_scheduler", false)} {settings.GetString("urls", "http://127.0.0.1:8080")}";
        return (platform, scheduler, DemoSettings.Read(settings), flags);
    }

    private static (string Section, string Example) Readme()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "Lambda.sln")))
        {
            dir = dir.Parent;
        }

        var text = File.ReadAllText(Path.Combine(dir.FullName, "README.md"));
        var start = text.IndexOf("\n## Settings", StringComparison.Ordinal);
        var section = text[start..text.IndexOf("\n## ", start + 1, StringComparison.Ordinal)];
        var json = section.IndexOf("```json\n", StringComparison.Ordinal) + "```json\n".Length;
        return (section, section[json..section.IndexOf("```", json, StringComparison.Ordinal)]);
    }
}
