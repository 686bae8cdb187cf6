namespace Lambda.Cli.Hosting;

/// <summary>
/// The long-running hosts' thread-pool floor. The speed layer's workers run on pool threads, and the log's
/// fsync timer and the checkpoint writer block in the kernel on them; with .NET's default floor (one thread
/// per core: 2 here) those take every pool thread and the API's requests queue until hill climbing adds a
/// thread, about one per 0.5 s. Measured in the 200,000 events/s soak before this floor: 3 pool threads, all
/// busy, up to 15 work items queued, and API stalls of 0.3–1.6 s every time an fsync-heavy step ran.
/// </summary>
internal static class ThreadPoolFloor
{
    /// <summary>Pool threads started on demand without waiting for hill climbing.</summary>
    public const int MinimumThreads = 16;

    /// <summary>Raises the pool's floor to <see cref="MinimumThreads"/> (never lowers it).</summary>
    public static void Raise()
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, MinimumThreads), Math.Max(completionPorts, MinimumThreads));
    }
}
