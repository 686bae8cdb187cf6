namespace Lambda.Log.Embedded;

/// <summary>
/// Opening a log for writing failed because another process (or another instance in this one) owns
/// its directory. <see cref="Owner"/> says who, when the owner recorded it. Open with
/// <see cref="EmbeddedLogOptions.ReadOnly"/> to read beside it.
/// </summary>
public sealed class LogOwnedException : IOException
{
    public LogOwnedException()
    {
    }

    public LogOwnedException(string message)
        : base(message)
    {
    }

    public LogOwnedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal LogOwnedException(string rootPath, LogOwner? owner, Exception innerException)
        : base($"the log directory '{rootPath}' is owned by another process or log instance{(owner is null ? "" : ": " + owner)} "
            + $"(lock file '{Path.Combine(rootPath, ".lock")}'); open it with ReadOnly = true to read beside the owner", innerException)
    {
        RootPath = rootPath;
        Owner = owner;
    }

    /// <summary>The log directory.</summary>
    public string RootPath { get; } = "";

    /// <summary>Who owns it, or null if the owner did not say.</summary>
    public LogOwner? Owner { get; }
}
