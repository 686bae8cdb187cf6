namespace Lambda.Bench;

/// <summary>What `lambda bench soak` runs.</summary>
/// <param name="Rate">Open-loop events per second into the host.</param>
/// <param name="Warmup">Time before the judged part: the designed fill of the host's state (see docs/reliability.md).</param>
/// <param name="Duration">The judged part, after the warm-up.</param>
/// <param name="Window">Length of the first and last windows the verdict compares.</param>
/// <param name="Sample">Time between CSV rows.</param>
/// <param name="QueriesPerSecond">Open-loop queries per second against the API.</param>
/// <param name="OutPath">The CSV file; the host's log goes beside it (<c>.host.log</c>).</param>
/// <param name="Parent">Directory for the host's data (the log takes about 470 bytes an event, kept for the log retention); null for the temp directory.</param>
public sealed record SoakSettings(long Rate, TimeSpan Warmup, TimeSpan Duration, TimeSpan Window, TimeSpan Sample, double QueriesPerSecond,
    string OutPath, string? Parent)
{
    /// <summary>Log bytes an event takes on disk (served, view and click records with their framing), measured in session 3: 69 GB for 147 M events.</summary>
    public const long LogBytesPerEvent = 500;

    /// <summary>Event topics times partitions of the soak's host: each may hold one unsealed segment beyond the retention.</summary>
    private const int PartitionLogs = 3 * 4;

    /// <summary>The host's log retention (`--log-retention`): keeps the log's size bounded by the rate, not by the run's length.</summary>
    public TimeSpan LogRetention { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The host's log segment size in MiB (`--log-segment-mb`): retention deletes whole sealed segments.</summary>
    public int LogSegmentMb { get; init; } = 64;

    /// <summary>
    /// Disk the run needs in its directory: the retained log (the retention, a check interval of up to 5 s and a
    /// minute of slack for the speed layer's commits), one open segment per partition, 2 GiB for the store and
    /// checkpoints; times 1.5.
    /// </summary>
    public long DiskBytesNeeded()
    {
        var seconds = LogRetention.TotalSeconds + 30 + 60;
        var log = (Rate * LogBytesPerEvent * seconds) + (PartitionLogs * LogSegmentMb * 1048576.0);
        return (long)((log + (2.0 * 1024 * 1024 * 1024)) * 1.5);
    }

    /// <summary>What is wrong with these settings, naming the option, or null if nothing is.</summary>
    public string? Problem() =>
        Rate is < 1 or > 1_000_000 ? FormattableString.Invariant($"--rate must be between 1 and 1000000 (got {Rate})")
        : Sample < TimeSpan.FromSeconds(1) ? FormattableString.Invariant($"--sample must be at least 1 second (got {Sample.TotalSeconds:0})")
        : Window < Sample ? FormattableString.Invariant($"--window must be at least --sample (got {Window.TotalSeconds:0} < {Sample.TotalSeconds:0})")
        : Warmup < TimeSpan.Zero ? FormattableString.Invariant($"--warmup must be zero or more (got {Warmup.TotalSeconds:0})")
        : QueriesPerSecond is < 0.1 or > 1000 ? FormattableString.Invariant($"--query-rate must be between 0.1 and 1000 (got {QueriesPerSecond})")
        : Duration < 2 * Window ? "--minutes must cover two windows after the warm-up: the first and the last"
        : LogRetention < TimeSpan.FromSeconds(10) || LogRetention > TimeSpan.FromDays(1) ? FormattableString.Invariant($"--log-retention must be between 10s and 1d (got {LogRetention})")
        : LogSegmentMb is < 1 or > 4096 ? FormattableString.Invariant($"--log-segment-mb must be between 1 and 4096 (got {LogSegmentMb})")
        : null;
}
