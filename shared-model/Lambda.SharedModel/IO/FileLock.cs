namespace Lambda.SharedModel.IO;

/// <summary>
/// An exclusive lock on a file: opened with FileShare.None, which .NET maps to flock(LOCK_EX) on Unix.
/// The OS drops it when the process dies, even by kill -9, so a crash never leaves it held. One class for
/// every lock of the platform; what a lock guards is its <c>purpose</c>, named in the message of the
/// <see cref="FileLockHeldException"/> a second taker gets.
/// </summary>
public sealed class FileLock : IDisposable
{
    private FileLock(string path, FileStream file)
    {
        Path = path;
        File = file;
    }

    /// <summary>The lock file.</summary>
    public string Path { get; }

    /// <summary>The open lock file: its holder may write to it (nobody else can open it).</summary>
    public FileStream File { get; }

    /// <summary>Takes the lock on <paramref name="path"/> (created with its directory if missing).</summary>
    /// <param name="purpose">What the lock guards, for the message, e.g. "the master dataset '/data/master'".</param>
    /// <exception cref="FileLockHeldException">Another process (or another holder in this one) has it.</exception>
    public static FileLock Acquire(string path, string purpose)
    {
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        try
        {
            return new FileLock(full, new FileStream(full, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException ex)
        {
            throw new FileLockHeldException(full, purpose, ex);
        }
    }

    /// <inheritdoc />
    public void Dispose() => File.Dispose();
}

/// <summary>A <see cref="FileLock"/> is held elsewhere: its message names what the lock guards and the lock file.</summary>
public sealed class FileLockHeldException(string path, string purpose, IOException inner)
    : IOException($"{purpose} is in use by another process (lock {path} is held)", inner)
{
    public string LockPath { get; } = path;
}
