namespace Lambda.DuckDb;

/// <summary>
/// Quoting for the few places DuckDB takes no parameters (a COPY target path, a table name in DDL).
/// Values from users go through <see cref="DuckDbPreparedStatement"/> parameters, never through here.
/// </summary>
public static class DuckDbSql
{
    /// <summary>A string literal: single quotes around, inner quotes doubled.</summary>
    public static string Literal(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        RejectNul(value);
        return "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    /// <summary>An identifier: double quotes around, inner double quotes doubled.</summary>
    public static string Identifier(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        RejectNul(name);
        return "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    // The SQL text crosses to C as a NUL-terminated string: a NUL would silently cut the statement.
    private static void RejectNul(string value)
    {
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("SQL text cannot contain a NUL character", nameof(value));
        }
    }
}
