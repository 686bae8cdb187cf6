using Lambda.Cli.CommandLine;

namespace Lambda.Cli.Tests.Settings;

/// <summary>
/// LAMBDA_* variables are read by their exact name, and an empty one is unset. In a child process: this one
/// cannot hold an empty variable (setting one to "" removes it).
/// </summary>
public sealed class SettingsVariablesTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task an_empty_variable_leaves_the_files_value()
    {
        var file = Path.Combine(_dir.Path, "lambda.json");
        File.WriteAllText(file, """{ "demo_days": "many" }""");

        var (code, error) = await RunAsync(new Dictionary<string, string> { ["LAMBDA_DEMO_DAYS"] = "" });

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains($"setting 'demo_days' (from {file}): 'many' is not an integer", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_variable_named_in_lower_case_is_not_a_setting()
    {
        // demo_days is read before demo_rate: were the lower-case variable read, the error would name it.
        File.WriteAllText(Path.Combine(_dir.Path, "lambda.json"), """{ "demo_rate": "fast" }""");

        var (code, error) = await RunAsync(new Dictionary<string, string> { ["lambda_demo_days"] = "many", ["LAMBDA_demo_days"] = "many" });

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("setting 'demo_rate'", error, StringComparison.Ordinal);
        Assert.DoesNotContain("demo_days", error, StringComparison.Ordinal);
    }

    private async Task<(int Code, string Error)> RunAsync(Dictionary<string, string> environment)
    {
        using var lambda = new LambdaProcess(environment, "run", "--data-dir", _dir.Path);
        var code = await lambda.WaitForExitAsync(120);
        return (code, string.Join('\n', lambda.Errors));
    }
}
