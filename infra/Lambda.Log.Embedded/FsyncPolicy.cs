namespace Lambda.Log.Embedded;

/// <summary>
/// When appended bytes are forced to the disk. Every policy makes a flushed record survive the
/// death of the process (the bytes are in the OS page cache once <c>FlushAsync</c> returns);
/// only <see cref="EveryFlush"/> makes it survive a power loss or kernel crash as well.
/// </summary>
public enum FsyncPolicy
{
    /// <summary>fsync before <c>FlushAsync</c> returns: durable against power loss, slowest.</summary>
    EveryFlush,

    /// <summary>fsync dirty partitions every <see cref="EmbeddedLogOptions.FsyncIntervalMs"/>: a power loss loses at most that window.</summary>
    Interval,

    /// <summary>Leave write-back to the OS: fastest; a power loss may lose recent records (never serves torn ones).</summary>
    Never,
}
