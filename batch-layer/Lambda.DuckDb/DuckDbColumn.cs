namespace Lambda.DuckDb;

/// <summary>A result column of a table function: its name and type.</summary>
public readonly record struct DuckDbColumn(string Name, DuckDbType Type);
