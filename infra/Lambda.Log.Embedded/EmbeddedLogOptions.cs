namespace Lambda.Log.Embedded;

/// <summary>Settings of the embedded log. <see cref="Validate"/> checks them all in one place.</summary>
public sealed class EmbeddedLogOptions
{
    /// <summary>The clock that stamps records with their append time and dates retention (tests give a fake one).</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>The directory holding topics, group offsets and the lock file. Required.</summary>
    public string RootPath { get; set; } = "";

    /// <summary>Partition count used by callers that do not name one (topics created by the platform).</summary>
    public int DefaultPartitions { get; set; } = 4;

    /// <summary>
    /// A segment file is closed for appends once it would pass this size. Larger segments mean fewer
    /// files and handles; smaller ones mean less to validate after a crash (only the last is checked).
    /// </summary>
    public long SegmentBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>How appended bytes reach the disk; see <see cref="FsyncPolicy"/>.</summary>
    public FsyncPolicy Fsync { get; set; } = FsyncPolicy.Interval;

    /// <summary>Period of the background fsync under <see cref="FsyncPolicy.Interval"/>: the power-loss window.</summary>
    public int FsyncIntervalMs { get; set; } = 1000;

    /// <summary>
    /// A producer closes a batch (one checksum, one header) once it holds this many bytes. Larger
    /// batches cost less per record to write and verify; a reader may read a whole batch to serve one record.
    /// </summary>
    public int MaxBatchBytes { get; set; } = 1024 * 1024;

    /// <summary>The in-memory offset index keeps one entry per this many bytes of segment (Kafka's index.interval.bytes).</summary>
    public int IndexIntervalBytes { get; set; } = 4096;

    /// <summary>
    /// Open for reading only, without taking the directory lock: another process may own and append to
    /// the log (e.g. <c>lambda tail</c> beside <c>lambda run</c>). Nothing is repaired or written; new
    /// records are discovered by polling the files every <see cref="ReadOnlyPollMs"/> while a read waits.
    /// </summary>
    public bool ReadOnly { get; set; }

    /// <summary>
    /// How the owning process describes itself to others (one line, e.g. "lambda run, API on
    /// http://127.0.0.1:8080"): written with its process id to <c>&lt;root&gt;/.owner</c> when it takes the
    /// lock, and named by <see cref="LogOwnedException"/> and by read-only readers (<see cref="LogOwner.Read"/>).
    /// </summary>
    public string Owner { get; set; } = "";

    /// <summary>How often a read-only log looks for records appended by the owning process.</summary>
    public int ReadOnlyPollMs { get; set; } = 50;

    /// <summary>
    /// Kafka's <c>retention.ms</c>: a sealed segment whose newest record's log time is older than this is
    /// deleted, oldest first, once every <see cref="RetentionGuardGroups"/> group has read past it.
    /// Null (the default) keeps everything: the log is the master record and a backfill reads from offset 0.
    /// </summary>
    public long? RetentionMs { get; set; }

    /// <summary>
    /// How often the owning process looks for segments to delete under <see cref="RetentionMs"/>. Often, so
    /// each pass deletes a few segments rather than a burst of gigabytes.
    /// </summary>
    public int RetentionCheckIntervalMs { get; set; } = 5_000;

    /// <summary>
    /// Consumer groups that must have committed an offset at or past a segment's end on its partition
    /// before retention deletes it; a guard group with no commit on a partition keeps all of that partition.
    /// </summary>
    public IReadOnlyList<string> RetentionGuardGroups { get; set; } = [];

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(RootPath))
        {
            throw new ArgumentException($"{nameof(RootPath)} must name a directory", nameof(RootPath));
        }

        Require(DefaultPartitions is >= 1 and <= 10_000, nameof(DefaultPartitions), "must be between 1 and 10000", DefaultPartitions);
        Require(SegmentBytes >= 64 * 1024, nameof(SegmentBytes), "must be at least 64 KiB", SegmentBytes);
        Require(Enum.IsDefined(Fsync), nameof(Fsync), "is not a known policy", Fsync);
        Require(FsyncIntervalMs >= 1, nameof(FsyncIntervalMs), "must be at least 1 ms", FsyncIntervalMs);
        Require(MaxBatchBytes is >= 1024 and <= 64 * 1024 * 1024, nameof(MaxBatchBytes), "must be between 1 KiB and 64 MiB", MaxBatchBytes);
        Require(IndexIntervalBytes >= 1, nameof(IndexIntervalBytes), "must be at least 1", IndexIntervalBytes);
        Require(ReadOnlyPollMs >= 1, nameof(ReadOnlyPollMs), "must be at least 1 ms", ReadOnlyPollMs);
        Require(RetentionMs is null or >= 1, nameof(RetentionMs), "must be at least 1 ms, or null to keep everything", RetentionMs ?? 0);
        Require(RetentionCheckIntervalMs >= 1, nameof(RetentionCheckIntervalMs), "must be at least 1 ms", RetentionCheckIntervalMs);
        Require(RetentionGuardGroups is not null && RetentionGuardGroups.All(g => !string.IsNullOrWhiteSpace(g)),
            nameof(RetentionGuardGroups), "must name groups (no empty name)", string.Join(",", RetentionGuardGroups ?? []));
    }

    private static void Require(bool condition, string option, string rule, object value)
    {
        if (!condition)
        {
            throw new ArgumentException($"{option} {rule} (was {value})", option);
        }
    }
}
