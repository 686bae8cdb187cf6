namespace Lambda.DuckDb;

/// <summary>An error reported by DuckDB; <see cref="Exception.Message"/> is DuckDB's own message.</summary>
public sealed class DuckDbException : Exception
{
    /// <summary>Creates an exception with DuckDB's message.</summary>
    public DuckDbException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    public DuckDbException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception with a generic message.</summary>
    public DuckDbException()
        : base("DuckDB reported an error")
    {
    }
}
