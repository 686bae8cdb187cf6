using System.Text.Json;
using Lambda.Cli.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.FileProviders.Physical;

namespace Lambda.Cli.Hosting;

/// <summary>
/// The settings file (<c>lambda.json</c> or <c>--config FILE</c>) as a configuration source: the stock JSON
/// provider, behind a check that the file is settings. The stock parser would take a nested object or array as
/// <c>a:b</c> keys, null as an empty string, a key in any case, and comments; a settings file is one flat object
/// of known keys, spelled exactly, with string, number or boolean values, and the check names the key at fault.
/// </summary>
internal sealed class SettingsFileSource : JsonConfigurationSource
{
    public SettingsFileSource(string path, IReadOnlySet<string> keys)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        Label = path;
        Keys = keys;
        Path = System.IO.Path.GetFileName(fullPath);
        // Its own file provider: the builder's default would resolve a relative --config against the program's
        // directory, not the working directory, and would not see a file whose name starts with a dot.
        FileProvider = new PhysicalFileProvider(System.IO.Path.GetDirectoryName(fullPath)!, ExclusionFilters.None);
    }

    /// <summary>The file as the user named it (or the data directory's lambda.json): what messages say it came from.</summary>
    public string Label { get; }

    /// <summary>The keys the command reads; any other key in the file is an error.</summary>
    public IReadOnlySet<string> Keys { get; }

    public override IConfigurationProvider Build(IConfigurationBuilder builder)
    {
        EnsureDefaults(builder);
        return new SettingsFileProvider(this);
    }
}

/// <summary>Loads <see cref="SettingsFileSource"/>: checks the file, then hands the same bytes to the JSON provider.</summary>
internal sealed class SettingsFileProvider(SettingsFileSource source) : JsonConfigurationProvider(source)
{
    public string Label => source.Label;

    public override void Load(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        copy.Position = 0;
        using (var reader = new StreamReader(copy, leaveOpen: true))
        {
            Check(reader.ReadToEnd());
        }

        copy.Position = 0;
        base.Load(copy);
    }

    private void Check(string text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new UsageException($"config file '{Label}' is not valid JSON: {e.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new UsageException($"config file '{Label}' must hold one JSON object of settings");
            }

            var names = new List<string>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False))
                {
                    throw new UsageException(RunSettings.Problem(property.Name, Label, "must be a string, number or boolean"));
                }

                names.Add(property.Name);
            }

            if (names.FirstOrDefault(n => !source.Keys.Contains(n)) is { } unknown)
            {
                throw new UsageException($"setting '{unknown}' (from {Label}) is not a setting; known: {string.Join(", ", source.Keys.Order(StringComparer.Ordinal))}");
            }

            // The JSON provider refuses a key given twice (JSON allows it; the last one used to win).
            if (names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            {
                throw new UsageException(RunSettings.Problem(twice.Key, Label, "is given twice"));
            }
        }
    }
}
