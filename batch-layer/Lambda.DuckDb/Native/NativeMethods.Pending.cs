using System.Runtime.InteropServices;

namespace Lambda.DuckDb.Native;

/// <summary>Pending results (duckdb.h): a prepared statement executed task by task by the caller.</summary>
internal static unsafe partial class NativeMethods
{
    /// <summary>duckdb_pending_state.</summary>
    internal enum PendingState
    {
        ResultReady = 0,
        ResultNotReady = 1,
        Error = 2,
        NoTasksAvailable = 3,
    }

    [LibraryImport(Library, EntryPoint = "duckdb_pending_prepared")]
    internal static partial int PendingPrepared(nint statement, out nint pending);

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_pending")]
    internal static partial void DestroyPending(ref nint pending);

    [LibraryImport(Library, EntryPoint = "duckdb_pending_error")]
    internal static partial byte* PendingError(nint pending);

    [LibraryImport(Library, EntryPoint = "duckdb_pending_execute_task")]
    internal static partial PendingState PendingExecuteTask(nint pending);

    [LibraryImport(Library, EntryPoint = "duckdb_execute_pending")]
    internal static partial int ExecutePending(nint pending, DuckDbResult* result);
}
