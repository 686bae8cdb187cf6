using Lambda.Cli.CommandLine;

namespace Lambda.Cli.Tests.Settings;

/// <summary>A bad setting stops `lambda run` with exit code 2 and a message naming the setting and where it came from.</summary>
[Collection(nameof(ProcessVariables))]
public sealed class SettingsErrorTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("file", "demo_days", "many", "'many' is not an integer")]
    [InlineData("env", "demo_days", "many", "'many' is not an integer")]
    [InlineData("flag", "demo_days", "many", "'many' is not an integer")]
    [InlineData("file", "recompute_cron", "every night", "'every night' is not a valid cron expression")]
    [InlineData("env", "recompute_cron", "every night", "'every night' is not a valid cron expression")]
    [InlineData("flag", "recompute_cron", "every night", "'every night' is not a valid cron expression")]
    [InlineData("file", "kafka_timeout", "soon", "'soon' is not a whole number of s, m, h or d")]
    [InlineData("env", "kafka_timeout", "soon", "'soon' is not a whole number of s, m, h or d")]
    [InlineData("flag", "kafka_timeout", "soon", "'soon' is not a whole number of s, m, h or d")]
    public async Task a_bad_value_names_its_setting_and_its_source(string where, string key, string value, string problem)
    {
        var file = Path.Combine(_dir.Path, "lambda.json");
        var variable = "LAMBDA_" + key.ToUpperInvariant();
        var flag = "--" + key.Replace('_', '-');
        if (where == "file")
        {
            File.WriteAllText(file, $$"""{ "{{key}}": "{{value}}" }""");
        }

        using var variables = new VariablesSet((variable, where == "env" ? value : null));
        string[] flags = where == "flag" ? [flag, value] : [];

        var (code, _, error) = await CliRunner.RunAsync(["run", "--data-dir", _dir.Path, .. flags]);

        Assert.Equal(ExitCodes.Usage, code);
        var source = where switch { "file" => file, "env" => variable, _ => flag };
        Assert.Contains($"setting '{key}' (from {source}): {problem}", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_variable_wins_over_the_file_and_a_flag_over_both_in_what_is_reported()
    {
        File.WriteAllText(Path.Combine(_dir.Path, "lambda.json"), """{ "demo_rate": "from-file" }""");
        using var variables = new VariablesSet(("LAMBDA_DEMO_RATE", "from-env"));

        var (_, _, fromEnv) = await CliRunner.RunAsync("run", "--data-dir", _dir.Path);
        var (_, _, fromFlag) = await CliRunner.RunAsync("run", "--data-dir", _dir.Path, "--demo-rate", "0");

        Assert.Contains("setting 'demo_rate' (from LAMBDA_DEMO_RATE): 'from-env' is not an integer", fromEnv, StringComparison.Ordinal);
        Assert.Contains("setting 'demo_rate' (from --demo-rate): 0 is not between 1 and 1000000", fromFlag, StringComparison.Ordinal);
    }
}
