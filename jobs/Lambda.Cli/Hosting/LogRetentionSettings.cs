using Lambda.Batch.Archive;
using Lambda.Cli.CommandLine;
using Lambda.Log.Embedded;
using Lambda.Speed;

namespace Lambda.Cli.Hosting;

/// <summary>
/// Retention of the embedded log (Kafka's retention.ms): off unless <see cref="Retention"/> is set, since the
/// log is the master record. A sealed segment goes once older than the retention and read by every guard group.
/// </summary>
/// <param name="Retention">How long records are kept at least; null keeps everything.</param>
/// <param name="Guards">Consumer groups that must have committed past a segment before it goes.</param>
/// <param name="SegmentMb">Segment size in MiB; null for the log's default.</param>
internal sealed record LogRetentionSettings(TimeSpan? Retention, IReadOnlyList<string> Guards, int? SegmentMb)
{
    public const string RetentionKey = "log_retention";
    public const string GuardsKey = "log_retention_guards";
    public const string SegmentMbKey = "log_segment_mb";
    public const string SegmentMbExpected = "a whole number of MiB";

    /// <summary>The setting keys this record reads.</summary>
    public static readonly string[] Keys = [RetentionKey, GuardsKey, SegmentMbKey];

    /// <summary>
    /// The speed layer resumes from its checkpoint and commits that checkpoint's offsets right after writing it;
    /// the archive commits its archived ends after its manifest. Behind both, no record either needs is deleted.
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultGuards = [new SpeedOptions().ConsumerGroup, ArchiveJob.ConsumerGroup];

    /// <summary>Reads the settings; <paramref name="logKind"/> "kafka" refuses a retention (Kafka keeps its own, retention.ms).</summary>
    public static LogRetentionSettings Read(RunSettings settings, string logKind = "embedded")
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (logKind != "embedded" && settings.GetString(RetentionKey, null) is not null)
        {
            throw settings.Bad(RetentionKey, "applies to the embedded log only: a Kafka topic has its own retention.ms");
        }

        var retention = settings.Get<TimeSpan?>(RetentionKey, null, s => DurationText.Parse(s), DurationText.Rule);
        var guards = settings.Get(GuardsKey, DefaultGuards, ParseGuards, "group[,group] of letters, digits, '.', '_' or '-', or none");
        var segmentMb = settings.Get<int?>(SegmentMbKey, null, s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture), SegmentMbExpected);
        if (segmentMb is < 1 or > 4096)
        {
            throw settings.Bad(SegmentMbKey, $"{segmentMb} is not between 1 and 4096");
        }

        return new LogRetentionSettings(retention, guards, segmentMb);
    }

    /// <summary>Sets the retention options of a log opened for writing.</summary>
    public void Apply(EmbeddedLogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (SegmentMb is { } mb)
        {
            options.SegmentBytes = mb * 1024L * 1024;
        }

        if (Retention is { } retention)
        {
            options.RetentionMs = (long)retention.TotalMilliseconds;
            // A check every quarter of the retention, at most every 5 s (small deletions rather than bursts of gigabytes): the log holds at most about 1.25 retentions plus a segment.
            options.RetentionCheckIntervalMs = (int)Math.Clamp(retention.TotalMilliseconds / 4, 1_000, 5_000);
            options.RetentionGuardGroups = Guards;
        }
    }

    private static IReadOnlyList<string> ParseGuards(string text)
    {
        if (text.Trim().Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }

        var groups = text.Split(',', StringSplitOptions.TrimEntries);
        if (groups.Any(g => g.Length == 0 || !g.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')))
        {
            throw new FormatException(text);
        }

        return groups;
    }
}
