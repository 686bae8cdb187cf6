using System.CommandLine;
using System.Globalization;
using Lambda.Cli.Hosting;

namespace Lambda.Cli.CommandLine;

/// <summary>
/// Typed flags of settings (see <see cref="RunSettings"/>). A value the type refuses is a parse error worded
/// like the settings' own (exit 2, "setting 'key' (from --flag): ..."); the range is checked with the setting's
/// other sources, so it too names the flag. A setting whose values are more than a number (<c>unlimited</c>,
/// a duration, <c>none</c>) keeps a string flag, and the settings layer parses it and names its source.
/// </summary>
internal static class SettingFlags
{
    /// <summary>A whole-number flag of setting <paramref name="key"/>.</summary>
    public static Option<int?> Integer(string name, string key, string description, string expected = "an integer") => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Join(' ', result.Tokens.Select(t => t.Value));
            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            result.AddError(RunSettings.Problem(key, name, $"'{text}' is not {expected}"));
            return null;
        },
    };
}
