using System.Runtime.InteropServices;

namespace Lambda.SharedModel.IO;

/// <summary>
/// Crash-safe file replacement: write a temporary file, fsync it, rename it over the target and
/// fsync the directory. After a crash the target holds either the old or the new bytes.
/// </summary>
public static partial class DurableFiles
{
    /// <summary>Atomically replaces <paramref name="path"/> with the bytes written by <paramref name="write"/>.</summary>
    public static void Replace(string path, Action<Stream> write)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temp = path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            write(file);
            file.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
        FsyncDirectory(directory);
    }

    /// <summary>Atomically replaces <paramref name="path"/> with <paramref name="bytes"/>.</summary>
    public static void Replace(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        Replace(path, s => s.Write(copy));
    }

    /// <summary>
    /// Makes the directory's entries (creations, renames, deletions) durable. Linux persists a
    /// rename only once its directory is fsynced; .NET has no API for that, hence libc.
    /// </summary>
    public static void FsyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        const int ReadOnlyDirectory = 0x10000; // O_RDONLY | O_DIRECTORY
        var fd = Open(directory, ReadOnlyDirectory);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory '{directory}' to fsync it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory '{directory}' failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
