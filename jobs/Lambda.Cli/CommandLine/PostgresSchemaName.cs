using System.Text.RegularExpressions;

namespace Lambda.Cli.CommandLine;

/// <summary>The schema names the PostgreSQL stores accept (they quote them into SQL, so only plain identifiers).</summary>
internal static partial class PostgresSchemaName
{
    public const string Rule = "a-z, 0-9 and _, not starting with a digit, at most 63 characters";

    public static bool IsValid(string schema) => Pattern().IsMatch(schema);

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex Pattern();
}
