namespace Lambda.Cli.Tests.Settings;

/// <summary>
/// Tests that set LAMBDA_* variables of this process. They run alone, after the others: every `lambda run`
/// in this process, and every child it starts, would read them.
/// </summary>
[CollectionDefinition(nameof(ProcessVariables), DisableParallelization = true)]
public sealed class ProcessVariables;

/// <summary>Sets environment variables until disposed, then puts back what was there.</summary>
internal sealed class VariablesSet : IDisposable
{
    private readonly Dictionary<string, string?> _before = new(StringComparer.Ordinal);

    public VariablesSet(params (string Name, string? Value)[] variables)
    {
        foreach (var (name, value) in variables)
        {
            _before.TryAdd(name, Environment.GetEnvironmentVariable(name));
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    public void Dispose()
    {
        foreach (var (name, value) in _before)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
