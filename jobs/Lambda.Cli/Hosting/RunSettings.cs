using System.CommandLine;
using System.Globalization;
using Lambda.Cli.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;

namespace Lambda.Cli.Hosting;

/// <summary>
/// Settings of `lambda run` and `lambda scheduler` (and the log settings of other commands), through
/// Microsoft.Extensions.Configuration: a JSON file (<c>--config FILE</c>, else <c>lambda.json</c> in the data
/// directory, if present; <see cref="SettingsFileSource"/>), then environment variables <c>LAMBDA_&lt;KEY&gt;</c>
/// (<see cref="SettingsVariablesSource"/>), then the flags given on the command line (an in-memory provider;
/// System.CommandLine parses them). The later provider wins, so precedence is the order they are added in.
/// This class reads values typed and checks them when the command starts: a bad value is a usage error (exit 2)
/// naming its key and the provider it came from. No binder: its errors name the key but not the source.
/// </summary>
internal sealed class RunSettings
{
    private readonly IConfigurationRoot _configuration;
    private readonly MemoryConfigurationProvider _flags;
    private readonly Dictionary<string, string> _flagNames = new(StringComparer.OrdinalIgnoreCase);

    private RunSettings(IConfigurationBuilder builder, IEnumerable<string> keys)
    {
        builder.Add(new SettingsVariablesSource(keys)).Add(new MemoryConfigurationSource());
        try
        {
            _configuration = builder.Build();
        }
        catch (Exception e) when (UsageIn(e) is { } usage && usage != e)
        {
            // The file provider may wrap what its check threw; the user gets the check's message alone.
            throw usage;
        }

        _flags = _configuration.Providers.OfType<MemoryConfigurationProvider>().Single();
    }

    /// <summary>Reads the file and the environment; flags are added with <see cref="SetFlag"/>.</summary>
    public static RunSettings Load(string? configPath, string dataDirectory, IEnumerable<string> keys)
    {
        var path = configPath ?? Path.Combine(dataDirectory, "lambda.json");
        if (configPath is not null && !File.Exists(configPath))
        {
            throw new UsageException($"--config file '{configPath}' does not exist");
        }

        var known = keys.ToHashSet(StringComparer.Ordinal);
        var builder = new ConfigurationBuilder();
        if (File.Exists(path))
        {
            builder.Add(new SettingsFileSource(path, known));
        }

        return new RunSettings(builder, known);
    }

    /// <summary>Settings of a short command that has no settings file (e.g. `lambda ingest`): LAMBDA_* variables, then flags.</summary>
    public static RunSettings FromEnvironment(IEnumerable<string> keys) => new(new ConfigurationBuilder(), keys);

    /// <summary>Takes <paramref name="option"/>'s value if it was given on the command line.</summary>
    public void SetFlag<T>(ParseResult parsed, string key, Option<T> option)
    {
        if (parsed.GetResult(option) is { Implicit: false } && parsed.GetValue(option) is { } value)
        {
            // The flags' provider is already in the configuration: it reads its providers at each lookup.
            _flags.Set(key, Convert.ToString(value, CultureInfo.InvariantCulture));
            _flagNames[key] = option.Name;
        }
    }

    public string? GetString(string key, string? fallback) => _configuration[key] ?? fallback;

    public T Get<T>(string key, T fallback, Func<string, T> parse, string expected)
    {
        if (_configuration[key] is not { } value)
        {
            return fallback;
        }

        try
        {
            return parse(value);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            throw Bad(key, $"'{value}' is not {expected}");
        }
    }

    public int GetInt(string key, int fallback, int min, int max)
    {
        var value = Get(key, fallback, s => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture), "an integer");
        return value >= min && value <= max ? value : throw Bad(key, $"{value} is not between {min} and {max}");
    }

    public bool GetBool(string key, bool fallback) => Get(key, fallback, s => s.ToLowerInvariant() switch
    {
        "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        _ => throw new FormatException(),
    }, "true or false");

    public TimeSpan GetDuration(string key, TimeSpan fallback) =>
        Get(key, fallback, s => TimeSpan.Parse(s, CultureInfo.InvariantCulture), "a duration such as 2.00:00:00 or 00:30:00");

    /// <summary>A usage error naming <paramref name="key"/> and where its value came from.</summary>
    public UsageException Bad(string key, string problem) => new(Problem(key, SourceOf(key), problem));

    /// <summary>The message of a bad setting; flags checked while parsing (<see cref="SettingFlags"/>) word theirs alike.</summary>
    public static string Problem(string key, string source, string problem) => $"setting '{key}' (from {source}): {problem}";

    /// <summary>
    /// Where <paramref name="key"/>'s value comes from: the last provider that holds it (the one the configuration
    /// answers from): a flag, a LAMBDA_* variable or the file; "default" if none does.
    /// </summary>
    public string SourceOf(string key)
    {
        foreach (var provider in _configuration.Providers.Reverse())
        {
            if (provider.TryGet(key, out _))
            {
                return provider switch
                {
                    MemoryConfigurationProvider => _flagNames[key],
                    SettingsVariablesProvider => SettingsVariablesProvider.VariableOf(key),
                    SettingsFileProvider file => file.Label,
                    _ => provider.ToString() ?? "configuration",
                };
            }
        }

        return "default";
    }

    private static UsageException? UsageIn(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is UsageException usage)
            {
                return usage;
            }
        }

        return null;
    }
}
