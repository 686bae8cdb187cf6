using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Lambda.Cli.CommandLine;

namespace Lambda.Cli.Hosting;

/// <summary>
/// Settings of `lambda run` and `lambda scheduler` from three layers, later ones winning: a JSON file
/// (<c>--config FILE</c>, else <c>lambda.json</c> in the data directory, if present), environment
/// variables <c>LAMBDA_&lt;KEY&gt;</c>, and command-line flags given explicitly. A bad value is a
/// usage error that names its key and where the value came from.
/// </summary>
internal sealed class RunSettings
{
    private readonly Dictionary<string, (string Value, string Source)> _values = new(StringComparer.Ordinal);

    private RunSettings()
    {
    }

    /// <summary>Reads the file and the environment; flags are added with <see cref="SetFlag"/>.</summary>
    public static RunSettings Load(string? configPath, string dataDirectory, IEnumerable<string> keys)
    {
        var settings = new RunSettings();
        var path = configPath ?? Path.Combine(dataDirectory, "lambda.json");
        if (configPath is not null && !File.Exists(configPath))
        {
            throw new UsageException($"--config file '{configPath}' does not exist");
        }

        var known = keys.ToHashSet(StringComparer.Ordinal);
        if (File.Exists(path))
        {
            settings.ReadFile(path);
            if (settings._values.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
            {
                throw new UsageException($"setting '{unknown}' (from {path}) is not a setting; known: {string.Join(", ", known.Order(StringComparer.Ordinal))}");
            }
        }

        settings.ReadEnvironment(known);
        return settings;
    }

    /// <summary>Settings of a short command that has no settings file (e.g. `lambda ingest`): LAMBDA_* variables, then flags.</summary>
    public static RunSettings FromEnvironment(IEnumerable<string> keys)
    {
        var settings = new RunSettings();
        settings.ReadEnvironment(keys);
        return settings;
    }

    private void ReadEnvironment(IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            var variable = "LAMBDA_" + key.ToUpperInvariant();
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value)
            {
                _values[key] = (value, variable);
            }
        }
    }

    /// <summary>Takes <paramref name="option"/>'s value if it was given on the command line.</summary>
    public void SetFlag<T>(ParseResult parsed, string key, Option<T> option)
    {
        if (parsed.GetResult(option) is { Implicit: false } && parsed.GetValue(option) is { } value)
        {
            _values[key] = (Convert.ToString(value, CultureInfo.InvariantCulture)!, option.Name);
        }
    }

    public string? GetString(string key, string? fallback) => _values.TryGetValue(key, out var v) ? v.Value : fallback;

    public T Get<T>(string key, T fallback, Func<string, T> parse, string expected)
    {
        if (!_values.TryGetValue(key, out var v))
        {
            return fallback;
        }

        try
        {
            return parse(v.Value);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            throw Bad(key, $"'{v.Value}' is not {expected}");
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
    public UsageException Bad(string key, string problem)
    {
        var source = _values.TryGetValue(key, out var v) ? v.Source : "default";
        return new UsageException($"setting '{key}' (from {source}): {problem}");
    }

    private void ReadFile(string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new UsageException($"config file '{path}' is not valid JSON: {e.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new UsageException($"config file '{path}' must hold one JSON object of settings");
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                var value = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString()!,
                    JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => property.Value.GetRawText(),
                    _ => throw new UsageException($"setting '{property.Name}' (from {path}): must be a string, number or boolean"),
                };
                _values[property.Name] = (value, path);
            }
        }
    }
}
