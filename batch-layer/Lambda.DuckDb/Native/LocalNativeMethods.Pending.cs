using System.Runtime.InteropServices;
using DuckDB.NET.Native;

namespace Lambda.DuckDb.Native;

/// <summary>
/// Pending results (duckdb.h): a prepared statement executed task by task by the caller. None of the five
/// is in the package (its NativeMethods have no pending-result group).
/// </summary>
internal static unsafe partial class LocalNativeMethods
{
    /// <summary>duckdb_pending_state.</summary>
    internal enum PendingState
    {
        ResultReady = 0,
        ResultNotReady = 1,
        Error = 2,
        NoTasksAvailable = 3,
    }

    [LibraryImport(Library, EntryPoint = "duckdb_pending_prepared")] // not in the package
    internal static partial int PendingPrepared(nint statement, out nint pending);

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_pending")] // not in the package
    internal static partial void DestroyPending(ref nint pending);

    [LibraryImport(Library, EntryPoint = "duckdb_pending_error")] // not in the package
    internal static partial byte* PendingError(nint pending);

    [LibraryImport(Library, EntryPoint = "duckdb_pending_execute_task")] // not in the package
    internal static partial PendingState PendingExecuteTask(nint pending);

    [LibraryImport(Library, EntryPoint = "duckdb_execute_pending")] // not in the package
    internal static partial int ExecutePending(nint pending, DuckDBResult* result);
}
