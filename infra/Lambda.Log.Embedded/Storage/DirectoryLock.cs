namespace Lambda.Log.Embedded.Storage;

/// <summary>
/// The owner's exclusive lock on a log directory: a <c>.lock</c> file opened with FileShare.None, which
/// .NET maps to flock(LOCK_EX) on Unix. The OS drops it when the process dies, even by kill -9.
/// </summary>
internal sealed class DirectoryLock : IDisposable
{
    private readonly FileStream _file;

    private DirectoryLock(FileStream file) => _file = file;

    public static DirectoryLock Acquire(string root)
    {
        var path = Path.Combine(root, ".lock");
        try
        {
            var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            file.SetLength(0);
            file.Write(System.Text.Encoding.ASCII.GetBytes($"{Environment.ProcessId}\n"));
            file.Flush();
            return new DirectoryLock(file);
        }
        catch (IOException e)
        {
            throw new IOException(
                $"the log directory '{root}' is owned by another process or log instance (lock file '{path}'); "
                + "open it with ReadOnly = true to read beside the owner", e);
        }
    }

    public void Dispose() => _file.Dispose();
}
