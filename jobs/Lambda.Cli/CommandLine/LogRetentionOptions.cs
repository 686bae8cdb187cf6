using System.CommandLine;
using Lambda.Cli.Hosting;

namespace Lambda.Cli.CommandLine;

/// <summary>
/// The embedded log's retention flags, on the commands that open it for writing (`lambda run`, `lambda ingest`).
/// Their settings are <c>log_retention</c>, <c>log_retention_guards</c> and <c>log_segment_mb</c>.
/// </summary>
internal sealed class LogRetentionOptions
{
    public Option<string?> Retention { get; } = new("--log-retention")
    {
        Description = "Delete sealed log segments older than this, e.g. 30m or 7d, once the guard groups have read them (setting log_retention; default: keep everything).",
    };

    public Option<string?> Guards { get; } = new("--log-retention-guards")
    {
        Description = $"Consumer groups that must have read a segment before retention deletes it, group[,group] or none (setting log_retention_guards; default {string.Join(",", LogRetentionSettings.DefaultGuards)}).",
    };

    public Option<int?> SegmentMb { get; } = SettingFlags.Integer("--log-segment-mb", LogRetentionSettings.SegmentMbKey,
        "Size at which a log segment is sealed, in MiB (setting log_segment_mb; default 256). Retention deletes whole sealed segments.",
        LogRetentionSettings.SegmentMbExpected);

    public void AddTo(Command command)
    {
        command.Options.Add(Retention);
        command.Options.Add(Guards);
        command.Options.Add(SegmentMb);
    }

    /// <summary>Takes the flags given on the command line into <paramref name="settings"/>.</summary>
    public void SetFlags(ParseResult parsed, RunSettings settings)
    {
        settings.SetFlag(parsed, LogRetentionSettings.RetentionKey, Retention);
        settings.SetFlag(parsed, LogRetentionSettings.GuardsKey, Guards);
        settings.SetFlag(parsed, LogRetentionSettings.SegmentMbKey, SegmentMb);
    }
}
