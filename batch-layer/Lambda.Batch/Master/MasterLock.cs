namespace Lambda.Batch.Master;

/// <summary>
/// Exclusive ownership of a master dataset for one archive or backfill: an OS file lock on
/// <c>&lt;root&gt;.lock</c> (beside the root, so a backfill can rename the root while holding it).
/// The OS releases it when the process dies, even by kill -9.
/// </summary>
public sealed class MasterLock : IDisposable
{
    private readonly FileStream _file;

    private MasterLock(FileStream file) => _file = file;

    /// <summary>Takes the lock, or throws <see cref="IOException"/> if another archive or backfill holds it.</summary>
    public static MasterLock Acquire(string root)
    {
        var full = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        try
        {
            // FileShare.None is an exclusive flock on Unix.
            return new MasterLock(new FileStream(full + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException ex)
        {
            throw new IOException($"the master dataset '{full}' is in use by another archive or backfill", ex);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();
}
