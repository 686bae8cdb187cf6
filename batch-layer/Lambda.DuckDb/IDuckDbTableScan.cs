namespace Lambda.DuckDb;

/// <summary>
/// One scan of a table function registered with <see cref="DuckDbConnection.RegisterTableFunction"/>.
/// DuckDB calls <see cref="Fill"/> on one of its threads (one call at a time per scan) until a call
/// leaves the chunk empty. An exception becomes the query's error. Disposed when the scan ends, if disposable.
/// </summary>
public interface IDuckDbTableScan
{
    /// <summary>
    /// Fills <paramref name="output"/> from row 0 and sets its <see cref="DuckDbDataChunk.Size"/>; size 0
    /// ends the scan. Its columns are the projected ones, in the order the scan was opened with.
    /// </summary>
    void Fill(DuckDbDataChunk output);
}
