using Lambda.Cli.CommandLine;

namespace Lambda.Cli.Tests;

/// <summary>`lambda run` settings: file, then LAMBDA_* variables, then flags; bad values name their key (exit 2).</summary>
public sealed class RunSettingsTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "lambda-settings-" + Guid.NewGuid().ToString("N"));

    public RunSettingsTests() => Directory.CreateDirectory(_dataDir);

    [Fact]
    public async Task a_bad_flag_value_exits_2_naming_its_key()
    {
        var (code, error) = await RunAsync("run", "--data-dir", _dataDir, "--recompute-cron", "every night");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("setting 'recompute_cron' (from --recompute-cron)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_bad_value_in_the_config_file_names_its_key_and_the_file()
    {
        File.WriteAllText(Path.Combine(_dataDir, "lambda.json"), """{ "retention_grace": "two days" }""");

        var (code, error) = await RunAsync("run", "--data-dir", _dataDir);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("setting 'retention_grace' (from " + Path.Combine(_dataDir, "lambda.json") + ")", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_unknown_key_in_the_config_file_is_an_error()
    {
        var config = Path.Combine(_dataDir, "other.json");
        File.WriteAllText(config, """{ "recompute_corn": "0 0 2 * * ?" }""");

        var (code, error) = await RunAsync("run", "--data-dir", _dataDir, "--config", config);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("'recompute_corn'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_flag_wins_over_the_config_file()
    {
        // The file's value is bad, the flag's is good: the flag wins, so the error is about the next bad setting, not the cron.
        File.WriteAllText(Path.Combine(_dataDir, "lambda.json"), """{ "recompute_cron": "bad", "demo_days": "many" }""");

        var (code, error) = await RunAsync("run", "--data-dir", _dataDir, "--recompute-cron", "0 0 3 * * ?");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.DoesNotContain("recompute_cron", error, StringComparison.Ordinal);
        Assert.Contains("setting 'demo_days'", error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    private static async Task<(int Code, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await LambdaCommand.RunAsync(args, output, error);
        return (code, error.ToString());
    }
}
