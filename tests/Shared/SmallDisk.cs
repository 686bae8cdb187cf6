namespace Lambda.Tests.Shared;

/// <summary>
/// A small tmpfs mounted on a temp directory, to run out of space on purpose: <see cref="Fill"/> takes
/// every free byte with a filler file, <see cref="Free"/> gives it back. Needs root (mount); without it
/// the test is skipped here and fails on CI.
/// </summary>
internal sealed class SmallDisk : IDisposable
{
    private const string FillerName = ".filler";

    private SmallDisk(string path) => Path = path;

    public string Path { get; }

    public static SmallDisk Mount(long bytes)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "lambda-small-disk-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        var (exitCode, output) = FaultEnvironment.Run("mount", "-t", "tmpfs", "-o", $"size={bytes}", "tmpfs", path);
        if (exitCode != 0)
        {
            Directory.Delete(path);
            FaultEnvironment.Require($"cannot mount a {bytes}-byte tmpfs to fill (needs root): {output.Trim()}");
        }

        return new SmallDisk(path);
    }

    /// <summary>Writes a filler file until the disk refuses even one more page; returns the filler's size.</summary>
    public long Fill()
    {
        using var filler = new FileStream(System.IO.Path.Combine(Path, FillerName), FileMode.Append, FileAccess.Write, FileShare.None, 0);
        var chunk = new byte[64 * 1024];
        foreach (var size in new[] { chunk.Length, 4096, 512 })
        {
            try
            {
                while (true)
                {
                    filler.Write(chunk, 0, size);
                }
            }
            catch (IOException)
            {
                // Full for writes of this size; go on with smaller ones.
            }
        }

        return filler.Length;
    }

    /// <summary>Gives back the space <see cref="Fill"/> took.</summary>
    public void Free() => File.Delete(System.IO.Path.Combine(Path, FillerName));

    public void Dispose()
    {
        FaultEnvironment.Run("umount", "-l", Path);
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Still busy: the lazy unmount finishes once the last handle closes; the empty directory stays.
        }
    }
}
