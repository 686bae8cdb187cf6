using System.Runtime.InteropServices;
using DuckDB.NET.Native;

namespace Lambda.DuckDb.Native;

/// <summary>
/// The few C functions (libduckdb 1.5.6, duckdb.h) declared here instead of called through the package's
/// <see cref="NativeMethods"/>; each line says why. Handles are raw pointers (<c>nint</c>, from the
/// handles' <c>Value</c>); idx_t is <c>ulong</c>; duckdb_state is 0 on success. A string DuckDB returns as
/// <c>const char*</c> stays DuckDB's, so it is declared <c>byte*</c> (a <c>string</c> return would free it).
/// </summary>
internal static unsafe partial class LocalNativeMethods
{
    internal const string Library = "duckdb";

    internal const int Success = 0;

    // --- queries ---
    // The package declares both with `out DuckDBResult`: its stub zeroes the 48-byte struct with a 256-bit AVX
    // store right before the call (Tier0 code, which a query's stub never leaves), and the query then ran
    // about 5x slower (materializing 4M short VARCHAR rows: 770 ms instead of 140 ms). DOTNET_EnableAVX=0
    // removes it, so it looks like the upper vector state left dirty for DuckDB's SSE code. The package's
    // `ref DuckDBResult` functions do not zero and are not affected. A pointer here.

    [LibraryImport(Library, EntryPoint = "duckdb_query", StringMarshalling = StringMarshalling.Utf8)] // the package's `out DuckDBResult` stub slows the query ~5x (above)
    internal static partial int Query(nint connection, string sql, DuckDBResult* result);

    [LibraryImport(Library, EntryPoint = "duckdb_execute_prepared")] // the package's `out DuckDBResult` stub slows the query ~5x (above)
    internal static partial int ExecutePrepared(nint statement, DuckDBResult* result);

    // --- the appender, value by value ---
    // The package binds these with its DuckDBAppender SafeHandle: a count taken and released around every
    // call, which measured 40-60 ns more per call here (a row of append_int64 + end_row took about twice as
    // long). A pointer here.

    [LibraryImport(Library, EntryPoint = "duckdb_append_null")] // per value: no SafeHandle count
    internal static partial int AppendNull(nint appender);

    [LibraryImport(Library, EntryPoint = "duckdb_append_bool")] // per value: no SafeHandle count
    internal static partial int AppendBoolean(nint appender, [MarshalAs(UnmanagedType.U1)] bool value);

    [LibraryImport(Library, EntryPoint = "duckdb_append_int32")] // per value: no SafeHandle count
    internal static partial int AppendInt32(nint appender, int value);

    [LibraryImport(Library, EntryPoint = "duckdb_append_int64")] // per value: no SafeHandle count
    internal static partial int AppendInt64(nint appender, long value);

    [LibraryImport(Library, EntryPoint = "duckdb_append_uint64")] // per value: no SafeHandle count
    internal static partial int AppendUInt64(nint appender, ulong value);

    [LibraryImport(Library, EntryPoint = "duckdb_append_double")] // per value: no SafeHandle count
    internal static partial int AppendDouble(nint appender, double value);

    /// <summary>duckdb_timestamp is a struct of one int64 (microseconds since 1970-01-01), passed as that int64.</summary>
    [LibraryImport(Library, EntryPoint = "duckdb_append_timestamp")] // per value: no SafeHandle count
    internal static partial int AppendTimestamp(nint appender, long micros);

    [LibraryImport(Library, EntryPoint = "duckdb_appender_end_row")] // per row: no SafeHandle count
    internal static partial int AppenderEndRow(nint appender);

    [LibraryImport(Library, EntryPoint = "duckdb_append_varchar_length")] // the package's takes a string: it would re-encode UTF-8 we already have
    internal static partial int AppendVarcharLength(nint appender, byte* utf8, ulong length);

    [LibraryImport(Library, EntryPoint = "duckdb_append_blob")] // per value, and the package's length is an int where C has idx_t
    internal static partial int AppendBlob(nint appender, byte* data, ulong length);

    // --- prepared statements ---

    [LibraryImport(Library, EntryPoint = "duckdb_bind_varchar_length")] // not in the package (it binds NUL-terminated strings only)
    internal static partial int BindVarcharLength(nint statement, ulong index, byte* utf8, ulong length);

    [LibraryImport(Library, EntryPoint = "duckdb_bind_blob")] // the package's takes a byte[]: a span would be copied into one
    internal static partial int BindBlob(nint statement, ulong index, byte* data, ulong length);

    [LibraryImport(Library, EntryPoint = "duckdb_clear_bindings")] // not in the package
    internal static partial int ClearBindings(nint statement);

    // --- table functions ---

    [LibraryImport(Library, EntryPoint = "duckdb_init_set_max_threads")] // not in the package
    internal static partial void InitSetMaxThreads(nint info, ulong maxThreads);

    /// <summary>Copies a DuckDB-owned, NUL-terminated UTF-8 string; null stays null.</summary>
    internal static string? ToManaged(byte* utf8) => utf8 == null ? null : Marshal.PtrToStringUTF8((nint)utf8);
}
