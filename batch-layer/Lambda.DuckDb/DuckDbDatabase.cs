using DuckDB.NET.Native;
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
    public static string LibraryVersion => NativeMethods.Startup.DuckDBLibraryVersion() ?? "";

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
        if (NativeMethods.Startup.DuckDBConnect(_handle.Live, out var created) != DuckDBState.Success)
        {
            created.Dispose();
            throw new DuckDbException("DuckDB could not open a connection");
        }
        return new DuckDbConnection(new ConnectionHandle(Ownership.Take(created), _handle));
    }

    /// <inheritdoc />
    public void Dispose() => _handle.Dispose();

    private static DuckDbDatabase OpenCore(string? path, DuckDbOptions? options)
    {
        options ??= new DuckDbOptions();
        using var config = CreateConfig(options);
        // On failure DuckDB frees the database itself and leaves the out pointer unset; the package frees the
        // error string (duckdb_free) once it is copied.
        if (NativeMethods.Startup.DuckDBOpen(path, out var created, config, out var error) != DuckDBState.Success)
        {
            created.Dispose();
            throw new DuckDbException(error ?? "DuckDB could not open the database");
        }
        return new DuckDbDatabase(new DatabaseHandle(Ownership.Take(created)), path);
    }

    private static DuckDBConfig CreateConfig(DuckDbOptions options)
    {
        if (NativeMethods.Configuration.DuckDBCreateConfig(out var config) != DuckDBState.Success)
        {
            config.Dispose();
            throw new DuckDbException("DuckDB could not create a configuration");
        }
        foreach (var (name, value) in options.ToConfig())
        {
            if (NativeMethods.Configuration.DuckDBSetConfig(config, name, value) != DuckDBState.Success)
            {
                config.Dispose();
                throw new DuckDbException($"DuckDB rejected the option {name} = '{value}'");
            }
        }
        return config;
    }
}
