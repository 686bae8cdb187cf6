namespace Lambda.Cli.Tests;

/// <summary>`--retained-memory` of `lambda batch recompute`: a size or none; anything else is a usage error naming the option.</summary>
public class RecomputeRetainedMemoryTests
{
    [Theory]
    [InlineData("lots")]
    [InlineData("2 parsecs")]
    [InlineData("GB")]
    public async Task a_retained_memory_that_is_not_a_size_is_a_usage_error_naming_the_option(string value)
    {
        using var dir = new TempDirectory();

        var (code, _, error) = await CliRunner.RunAsync("batch", "recompute", "--data-dir", dir.Path, "--retained-memory", value);

        Assert.Equal(2, code);
        Assert.Contains("--retained-memory", error, StringComparison.Ordinal);
        Assert.Contains(value, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("512MB")]
    [InlineData("1GiB")]
    public async Task a_size_or_none_is_accepted(string value)
    {
        using var dir = new TempDirectory();

        var (code, _, error) = await CliRunner.RunAsync("batch", "recompute", "--data-dir", dir.Path, "--retained-memory", value);

        Assert.True(code == 0, error);
    }
}
