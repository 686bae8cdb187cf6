using Lambda.DuckDb.Native;

namespace Lambda.DuckDb;

/// <summary>
/// An open DuckDB database (a file, or in memory). Thread-safe: any number of threads may each
/// <see cref="Connect"/> and use their own connection concurrently. Disposing it while connections are
/// still open is safe: the native database closes when the last of them is disposed.
/// </summary>
public sealed class DuckDbDatabase : IDisposable
{
    private readonly DatabaseHandle _handle;

    private DuckDbDatabase(DatabaseHandle handle, string? path)
    {
        _handle = handle;
        Path = path;
    }

    /// <summary>The database file, or null when in memory.</summary>
    public string? Path { get; }

    /// <summary>The version of the loaded libduckdb, such as "v1.5.6".</summary>
    public static unsafe string LibraryVersion => NativeMethods.ToManaged(NativeMethods.LibraryVersion()) ?? "";

    /// <summary>Opens (creating if needed) a database file.</summary>
    public static DuckDbDatabase Open(string path, DuckDbOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return OpenCore(path, options);
    }

    /// <summary>Opens a new, private in-memory database.</summary>
    public static DuckDbDatabase OpenInMemory(DuckDbOptions? options = null) => OpenCore(null, options);

    /// <summary>Opens a connection; each connection is for one thread at a time.</summary>
    public DuckDbConnection Connect()
    {
        // On failure DuckDB frees the connection itself and leaves the out pointer unset.
        if (NativeMethods.Connect(_handle.Value, out var connection) != NativeMethods.Success)
        {
            throw new DuckDbException("DuckDB could not open a connection");
        }
        return new DuckDbConnection(new ConnectionHandle(connection, _handle));
    }

    /// <inheritdoc />
    public void Dispose() => _handle.Dispose();

    private static unsafe DuckDbDatabase OpenCore(string? path, DuckDbOptions? options)
    {
        options ??= new DuckDbOptions();
        if (NativeMethods.CreateConfig(out var config) != NativeMethods.Success)
        {
            throw new DuckDbException("DuckDB could not create a configuration");
        }
        try
        {
            foreach (var (name, value) in options.ToConfig())
            {
                if (NativeMethods.SetConfig(config, name, value) != NativeMethods.Success)
                {
                    throw new DuckDbException($"DuckDB rejected the option {name} = '{value}'");
                }
            }
            // On failure DuckDB frees the database itself and leaves the out pointer unset.
            if (NativeMethods.OpenExt(path, out var database, config, out var error) != NativeMethods.Success)
            {
                var message = NativeMethods.ToManaged(error) ?? "DuckDB could not open the database";
                NativeMethods.Free(error);
                throw new DuckDbException(message);
            }
            return new DuckDbDatabase(new DatabaseHandle(database), path);
        }
        finally
        {
            NativeMethods.DestroyConfig(ref config);
        }
    }
}
