using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;

namespace Lambda.Cli.Hosting;

/// <summary>The environment as a configuration source: setting <c>key</c> is variable <c>LAMBDA_KEY</c>.</summary>
internal sealed class SettingsVariablesSource(IEnumerable<string> keys) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new SettingsVariablesProvider(keys);
}

/// <summary>
/// The stock environment-variables provider with prefix <c>LAMBDA_</c>, narrowed to the command's keys as they
/// have always been read: the stock one matches names in any case and takes an empty variable as a value, while
/// a setting comes from exactly <c>LAMBDA_</c> and its key in upper case (names are case-sensitive on Linux),
/// and an empty variable is unset (the file's value or the default stands).
/// </summary>
internal sealed class SettingsVariablesProvider(IEnumerable<string> keys) : EnvironmentVariablesConfigurationProvider(Prefix)
{
    private const string Prefix = "LAMBDA_";

    /// <summary>The variable of setting <paramref name="key"/>.</summary>
    public static string VariableOf(string key) => Prefix + key.ToUpperInvariant();

    public override void Load()
    {
        base.Load();
        var read = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in keys)
        {
            if (Data.ContainsKey(key) && Environment.GetEnvironmentVariable(VariableOf(key)) is { Length: > 0 } value)
            {
                read[key] = value;
            }
        }

        Data = read;
    }
}
