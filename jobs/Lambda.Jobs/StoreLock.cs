namespace Lambda.Jobs;

/// <summary>
/// An exclusive lock file beside a SQLite schedule. A SQLite schedule has one scheduler (its run lock
/// is a semaphore in that process), so a second scheduler on the same file (another `lambda run` on the
/// same data directory) is refused instead of running the same jobs twice. The OS drops the lock when the process dies, so a crash leaves no stale lock.
/// </summary>
internal sealed class StoreLock : IDisposable
{
    private readonly FileStream _file;

    private StoreLock(FileStream file) => _file = file;

    public static StoreLock Acquire(string databasePath)
    {
        var path = Path.GetFullPath(databasePath) + ".lock";
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            return new StoreLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e)
        {
            throw new InvalidOperationException(
                $"another scheduler is running on '{databasePath}' (its lock file {path} is held); a SQLite schedule has one scheduler, use --scheduler-store postgres to run several", e);
        }
    }

    public void Dispose() => _file.Dispose();
}
