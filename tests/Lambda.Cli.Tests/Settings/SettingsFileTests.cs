using Lambda.Cli.CommandLine;

namespace Lambda.Cli.Tests.Settings;

/// <summary>The settings file is one flat JSON object of the command's keys: anything else stops the command (exit 2) naming it.</summary>
public sealed class SettingsFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string DataFile => Path.Combine(_dir.Path, "lambda.json");

    [Theory]
    [InlineData("""{ "recompute_corn": "0 0 2 * * ?" }""", "setting 'recompute_corn' (from {file}) is not a setting; known: archive_cron, archive_time_zone, batch_threads")]
    [InlineData("""{ "Demo_Days": 3 }""", "setting 'Demo_Days' (from {file}) is not a setting")]
    [InlineData("""{ "demo": { "days": 3 } }""", "setting 'demo' (from {file}): must be a string, number or boolean")]
    [InlineData("""{ "demo_days": [3] }""", "setting 'demo_days' (from {file}): must be a string, number or boolean")]
    [InlineData("""{ "pg": null }""", "setting 'pg' (from {file}): must be a string, number or boolean")]
    [InlineData("""{ "demo_days": 3, "demo_days": 4 }""", "setting 'demo_days' (from {file}): is given twice")]
    [InlineData("""{ "demo_days": 3 } // three""", "config file '{file}' is not valid JSON: ")]
    [InlineData("""[ { "demo_days": 3 } ]""", "config file '{file}' must hold one JSON object of settings")]
    public async Task a_file_that_is_not_settings_is_refused_naming_the_key_and_the_file(string json, string message)
    {
        File.WriteAllText(DataFile, json);

        var (code, _, error) = await CliRunner.RunAsync("run", "--data-dir", _dir.Path);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(message.Replace("{file}", DataFile, StringComparison.Ordinal), error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_relative_config_path_is_read_from_the_working_directory_and_named_as_given()
    {
        var file = Path.Combine(_dir.Path, ".settings.json");
        File.WriteAllText(file, """{ "demo_days": "many" }""");
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, file);

        var (code, _, error) = await CliRunner.RunAsync("run", "--data-dir", _dir.Path, "--config", relative);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains($"setting 'demo_days' (from {relative}): 'many' is not an integer", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_scheduler_refuses_a_key_only_run_reads()
    {
        File.WriteAllText(DataFile, """{ "demo_days": 3 }""");

        var (code, _, error) = await CliRunner.RunAsync("scheduler", "--data-dir", _dir.Path);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains($"setting 'demo_days' (from {DataFile}) is not a setting", error, StringComparison.Ordinal);
    }
}
