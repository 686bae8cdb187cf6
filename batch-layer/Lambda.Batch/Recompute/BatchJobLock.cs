namespace Lambda.Batch.Recompute;

/// <summary>
/// The batch layer's exclusive lock file: one recompute, rollback or prune at a time per data
/// directory. The operating system drops it when the process dies, so a killed run never leaves it held.
/// </summary>
public sealed class BatchJobLock : IDisposable
{
    private readonly FileStream _stream;

    private BatchJobLock(FileStream stream) => _stream = stream;

    /// <summary>Takes the lock or throws <see cref="InvalidOperationException"/> if another job holds it.</summary>
    public static BatchJobLock Acquire(BatchPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        Directory.CreateDirectory(paths.BatchRoot);
        try
        {
            return new BatchJobLock(new FileStream(paths.LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException($"another batch job is running on {paths.DataDirectory} (lock {paths.LockFile} is held)", ex);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}
