using Lambda.DuckDb;

namespace Lambda.Batch.Recompute;

/// <summary>
/// The DuckDB options of a recompute run. Besides threads, memory cap and spill folder, DuckDB's
/// allocator keeps up to <see cref="RecomputeOptions.RetainedMemory"/> of freed memory for the next
/// query instead of returning it to the OS: a day of 100M events (3.3M records) otherwise gives back
/// its hash tables after every statement and faults them in again, zeroed, for the next day, which
/// cost about 40 % of the day query's CPU (a third of it system time); with 10× fewer events per day
/// the memory stays below DuckDB's 128 MB flush threshold and the cost is hidden. Those settings cover
/// the buffer manager's blocks; the hash tables' pointer arrays and other large allocations come from
/// jemalloc directly, which returns freed pages within a second: <see cref="HoldFreedMemory"/> keeps
/// them for the run (2.5M page faults fewer at 100M events).
/// </summary>
internal static class RecomputeDatabase
{
    /// <summary>
    /// For the run (dispose after the database): DuckDB's allocator keeps freed memory for reuse
    /// (<see cref="DuckDbAllocator.RetainFreedMemory"/>), unless <paramref name="retainedMemory"/> is null
    /// (DuckDB's defaults throughout). Everything is given back when the scope ends.
    /// </summary>
    public static IDisposable? HoldFreedMemory(string? retainedMemory) =>
        retainedMemory is null ? null : DuckDbAllocator.RetainFreedMemory();

    /// <summary>The options for a recompute's in-memory database.</summary>
    public static DuckDbOptions Options(int? threads, string? memoryLimit, string? retainedMemory, string tempDirectory) => new()
    {
        Threads = threads,
        MemoryLimit = memoryLimit,
        TempDirectory = tempDirectory,
        Settings = retainedMemory is null
            ? null
            : new Dictionary<string, string>
            {
                // Memory the block allocator keeps (touched pages only; an idle run holds nothing).
                ["block_allocator_memory"] = retainedMemory,
                // Peak and bulk frees below this are not handed back to the OS after a statement.
                ["allocator_flush_threshold"] = retainedMemory,
                ["allocator_bulk_deallocation_flush_threshold"] = retainedMemory,
            },
    };
}
