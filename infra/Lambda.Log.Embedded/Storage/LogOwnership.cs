using System.Text;
using Lambda.SharedModel.IO;

namespace Lambda.Log.Embedded.Storage;

/// <summary>
/// The owner's claim on a log directory: the <see cref="FileLock"/> on its <c>.lock</c> file. The owner
/// also describes itself in <c>.owner</c>, a separate file because nobody else can open the locked one,
/// so that a second opener, or a read-only reader, can say who owns the log.
/// </summary>
internal static class LogOwnership
{
    /// <exception cref="LogOwnedException">Another process owns the log.</exception>
    public static FileLock Claim(string root, string owner)
    {
        FileLock held;
        try
        {
            held = FileLock.Acquire(Path.Combine(root, ".lock"), $"the event log '{root}'");
        }
        catch (FileLockHeldException e)
        {
            throw new LogOwnedException(root, LogOwner.Read(root), e);
        }

        try
        {
            held.File.SetLength(0);
            held.File.Write(Encoding.ASCII.GetBytes($"{Environment.ProcessId}\n"));
            held.File.Flush();
            var description = new LogOwner(Environment.ProcessId, owner);
            DurableFiles.Replace(Path.Combine(root, LogOwner.FileName), Encoding.UTF8.GetBytes(description.ToFileText()));
            return held;
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }
}
