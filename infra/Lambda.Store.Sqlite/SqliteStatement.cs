namespace Lambda.Store.Sqlite;

/// <summary>
/// A SQL text with its parameter names in binding order. Each session prepares a statement once
/// and reuses it; callers set parameter values by position.
/// </summary>
internal sealed class SqliteStatement(string sql, params string[] parameters)
{
    public string Sql { get; } = sql;

    public IReadOnlyList<string> Parameters { get; } = parameters;
}
