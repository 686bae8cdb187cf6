using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using Lambda.DuckDb.Native;

namespace Lambda.DuckDb;

/// <summary>
/// A table function whose rows C# writes straight into a <see cref="DuckDbDataChunk"/>: after
/// <see cref="Register"/>, a query over <c>name()</c> (say, a COPY to Parquet) pulls its rows from
/// <see cref="Source"/>, one chunk of up to 2048 rows per call, streaming: no table is built, and the
/// one chunk is refilled in place (the query references its vectors, it does not copy them).
/// </summary>
/// <remarks>
/// The function lives in the database's catalog until the database closes; give each scan of a database
/// its own name (DuckDB does not refuse a taken one). <see cref="Source"/> runs on the thread that executes
/// the query's scan (the caller's thread when the database has <c>threads = 1</c>); one query at a time per
/// scan. An exception in the source fails the query with its message; <see cref="RethrowSourceFailure"/>
/// rethrows the original.
/// </remarks>
public sealed unsafe class DuckDbChunkScan : IDisposable
{
    private readonly (string Name, DuckDbType Type)[] _columns;
    private readonly DuckDbDataChunk _chunk;
    private ExceptionDispatchInfo? _failure;

    private DuckDbChunkScan(string name, (string Name, DuckDbType Type)[] columns)
    {
        Name = name;
        _columns = columns;
        _chunk = new DuckDbDataChunk([.. columns.Select(c => c.Type)]);
    }

    /// <summary>The table function's name.</summary>
    public string Name { get; }

    /// <summary>
    /// Fills the (empty) chunk it is given with the next rows (up to its capacity), setting
    /// <see cref="DuckDbDataChunk.Size"/>; returns false once there are no more rows (rows it wrote in that
    /// call are still read). Null reads as an empty table.
    /// </summary>
    public Func<DuckDbDataChunk, bool>? Source { get; set; }

    /// <summary>Registers a table function <paramref name="name"/>() with these columns in the connection's database.</summary>
    public static DuckDbChunkScan Register(DuckDbConnection connection, string name, IReadOnlyList<(string Name, DuckDbType Type)> columns)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count == 0)
        {
            throw new ArgumentException("a chunk scan needs at least one column", nameof(columns));
        }

        var scan = new DuckDbChunkScan(name, [.. columns]);
        var function = NativeMethods.CreateTableFunction();
        // Freed by DuckDB's destroy callback when the catalog entry goes, i.e. when the database closes.
        var handle = GCHandle.Alloc(scan);
        try
        {
            NativeMethods.TableFunctionSetName(function, name);
            NativeMethods.TableFunctionSetExtraInfo(function, (void*)GCHandle.ToIntPtr(handle), &DestroyExtraInfo);
            NativeMethods.TableFunctionSetBind(function, &Bind);
            NativeMethods.TableFunctionSetInit(function, &Init);
            NativeMethods.TableFunctionSetFunction(function, &Scan);
            if (NativeMethods.RegisterTableFunction(connection.Handle.Value, function) != NativeMethods.Success)
            {
                handle.Free();
                scan.Dispose();
                throw new DuckDbException($"DuckDB could not register the table function '{name}'");
            }
        }
        finally
        {
            NativeMethods.DestroyTableFunction(ref function);
        }

        return scan;
    }

    /// <summary>If <see cref="Source"/> threw during the last query, rethrows that exception (call it when the query failed).</summary>
    public void RethrowSourceFailure()
    {
        var failure = _failure;
        _failure = null;
        failure?.Throw();
    }

    /// <summary>Frees the chunk; a later query over the function fails.</summary>
    public void Dispose() => _chunk.Dispose();

    private static DuckDbChunkScan Of(nint extraInfo) => (DuckDbChunkScan)GCHandle.FromIntPtr(extraInfo).Target!;

    [UnmanagedCallersOnly]
    private static void DestroyExtraInfo(void* extraInfo) => GCHandle.FromIntPtr((nint)extraInfo).Free();

    [UnmanagedCallersOnly]
    private static void Bind(nint info)
    {
        try
        {
            foreach (var (name, type) in Of((nint)NativeMethods.BindGetExtraInfo(info))._columns)
            {
                var logical = NativeMethods.CreateLogicalType(type);
                NativeMethods.BindAddResultColumn(info, name, logical);
                NativeMethods.DestroyLogicalType(ref logical);
            }
        }
        catch (Exception e)
        {
            NativeMethods.BindSetError(info, e.Message);
        }
    }

    [UnmanagedCallersOnly]
    private static void Init(nint info)
    {
        try
        {
            Of((nint)NativeMethods.InitGetExtraInfo(info))._failure = null;
        }
        catch (Exception e)
        {
            NativeMethods.InitSetError(info, e.Message);
        }
    }

    [UnmanagedCallersOnly]
    private static void Scan(nint info, nint output)
    {
        var scan = (DuckDbChunkScan?)null;
        try
        {
            scan = Of((nint)NativeMethods.FunctionGetExtraInfo(info));
            scan.Next(output);
        }
        catch (Exception e)
        {
            if (scan is not null)
            {
                scan._failure = ExceptionDispatchInfo.Capture(e);
            }

            NativeMethods.DataChunkSetSize(output, 0);
            NativeMethods.FunctionSetError(info, e.Message);
        }
    }

    private void Next(nint output)
    {
        // The previous rows are done with: DuckDB consumes an output chunk before asking for the next.
        _chunk.Reset();
        // A fill may yield no rows (say, all invalid) without being the end: a zero-row output would end the scan.
        while (Source is { } source && source(_chunk) && _chunk.Size == 0)
        {
        }

        for (var column = 0; column < _columns.Length && _chunk.Size > 0; column++)
        {
            NativeMethods.VectorReferenceVector(NativeMethods.DataChunkGetVector(output, (ulong)column), _chunk.VectorHandle(column));
        }

        NativeMethods.DataChunkSetSize(output, (ulong)_chunk.Size);
    }
}
