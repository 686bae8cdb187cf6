using DuckDB.NET.Native;
using Lambda.DuckDb.Native;

namespace Lambda.DuckDb;

/// <summary>
/// A connection to a <see cref="DuckDbDatabase"/>. Not thread-safe: use it, and the statements,
/// readers and appenders made from it, from one thread at a time; open one connection per thread.
/// Disposing it while those children are open is safe: it closes when the last of them is disposed.
/// </summary>
public sealed class DuckDbConnection : IDisposable
{
    private readonly ConnectionHandle _handle;

    internal DuckDbConnection(ConnectionHandle handle) => _handle = handle;

    /// <summary>
    /// Runs SQL with no result to read (DDL, COPY, INSERT; several statements separated by ';' are
    /// allowed) and returns the rows changed by the last statement. Never build <paramref name="sql"/>
    /// from input: use <see cref="Prepare"/> and bind parameters.
    /// </summary>
    public unsafe long Execute(string sql)
    {
        using var result = Run(sql);
        return NativeMethods.Query.DuckDBRowsChanged(ref *result.Result);
    }

    /// <summary>Runs a query and returns a reader over its fully materialized result.</summary>
    public DuckDbDataReader Query(string sql) => new(Run(sql));

    /// <summary>
    /// <see cref="Execute"/> for one statement whose work DuckDB's threads share (a large COPY, several at
    /// once): see <see cref="QueryWithoutSpinning"/>.
    /// </summary>
    public unsafe long ExecuteWithoutSpinning(string sql)
    {
        using var result = RunPending(sql);
        return NativeMethods.Query.DuckDBRowsChanged(ref *result.Result);
    }

    /// <summary>
    /// <see cref="Query"/> for one statement (no ';' list) whose work DuckDB's threads share. duckdb_query
    /// asks DuckDB for the next task in a busy loop while the other threads hold the last ones; here this
    /// thread sleeps a millisecond each time no task is left for it. Under <c>perf</c> that loop was a
    /// quarter of the CPU while three COPYs ran at once, and it took a core from C# work running beside
    /// a query. Costs at most about a millisecond per pipeline of the query in latency.
    /// </summary>
    public DuckDbDataReader QueryWithoutSpinning(string sql) => new(RunPending(sql));

    /// <summary>Prepares a statement with parameters ($1, $2, ... or ?) to bind.</summary>
    public DuckDbPreparedStatement Prepare(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        return DuckDbPreparedStatement.Create(_handle, sql);
    }

    /// <summary>Creates an appender that inserts rows into <paramref name="table"/> in bulk.</summary>
    public DuckDbAppender CreateAppender(string table, string? schema = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(table);
        return DuckDbAppender.Create(_handle, schema, table);
    }

    /// <summary>
    /// Registers a table function whose rows come from C# (<see cref="DuckDbTableFunction"/>); it lives
    /// as long as the database; use a name no other function has.
    /// </summary>
    public void RegisterTableFunction(DuckDbTableFunction function)
    {
        ArgumentNullException.ThrowIfNull(function);
        function.Register(_handle);
    }

    /// <inheritdoc />
    public void Dispose() => _handle.Dispose();

    /// <summary>The native connection, for the binding's own types.</summary>
    internal ConnectionHandle Handle => _handle;

    private ResultHandle RunPending(string sql)
    {
        using var statement = Prepare(sql);
        return statement.RunWithoutSpinning();
    }

    private unsafe ResultHandle Run(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var result = ResultHandle.Allocate(_handle);
        return result.ThrowIfFailed(LocalNativeMethods.Query(_handle.Value, sql, result.Result));
    }
}
