namespace Lambda.Log.Embedded.Storage;

/// <summary>
/// The owner's exclusive lock on a log directory: a <c>.lock</c> file opened with FileShare.None, which
/// .NET maps to flock(LOCK_EX) on Unix. The OS drops it when the process dies, even by kill -9. The
/// owner also describes itself in <c>.owner</c>, a separate file because nobody else can open the
/// locked one, so that a second opener, or a read-only reader, can say who owns the log.
/// </summary>
internal sealed class DirectoryLock : IDisposable
{
    private readonly FileStream _file;

    private DirectoryLock(FileStream file) => _file = file;

    public static DirectoryLock Acquire(string root, string owner)
    {
        var path = Path.Combine(root, ".lock");
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new LogOwnedException(root, LogOwner.Read(root), e);
        }

        try
        {
            file.SetLength(0);
            file.Write(System.Text.Encoding.ASCII.GetBytes($"{Environment.ProcessId}\n"));
            file.Flush();
            var description = new LogOwner(Environment.ProcessId, owner);
            DurableFile.WriteAtomically(Path.Combine(root, LogOwner.FileName), System.Text.Encoding.UTF8.GetBytes(description.ToFileText()));
            return new DirectoryLock(file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public void Dispose() => _file.Dispose();
}
