using System.Globalization;

namespace Lambda.Log.Embedded;

/// <summary>
/// The process that owns a log directory, as it described itself in <c>&lt;root&gt;/.owner</c> when it
/// took the lock: its process id and what it is (e.g. "lambda run, API on http://127.0.0.1:8080").
/// </summary>
public sealed record LogOwner(int ProcessId, string Description)
{
    internal const string FileName = ".owner";

    /// <summary>True if a process with <see cref="ProcessId"/> runs on this machine now.</summary>
    public bool IsRunning
    {
        get
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(ProcessId);
                return !process.HasExited;
            }
            catch (ArgumentException)
            {
                return false;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }
    }

    /// <summary>"pid 123 (lambda run, ...)", for messages.</summary>
    public override string ToString() =>
        Description.Length == 0
            ? string.Create(CultureInfo.InvariantCulture, $"pid {ProcessId}")
            : string.Create(CultureInfo.InvariantCulture, $"pid {ProcessId} ({Description})");

    /// <summary>What the owner of <paramref name="rootPath"/> wrote about itself, or null if nothing (never owned, or an older log).</summary>
    public static LogOwner? Read(string rootPath)
    {
        try
        {
            var lines = File.ReadAllLines(Path.Combine(rootPath, FileName));
            return lines.Length >= 1 && int.TryParse(lines[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                ? new LogOwner(pid, lines.Length >= 2 ? lines[1] : "")
                : null;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    internal string ToFileText() =>
        string.Create(CultureInfo.InvariantCulture, $"{ProcessId}\n{Description.ReplaceLineEndings(" ")}\n");
}
