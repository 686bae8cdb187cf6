using System.Text.Json;
using Lambda.Batch.Master;
using Lambda.SharedModel.IO;
using Lambda.SharedModel.Log;

namespace Lambda.Batch.Backfill;

/// <summary>
/// What a backfill set out to do, kept in its rebuild folder so a rerun after a crash continues the same
/// work: the date range (null: everything), the end offset per partition, and once the rebuild is
/// finished, <see cref="Complete"/> and the manifest run number the swap records.
/// </summary>
internal sealed class BackfillPlan
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public DateOnly? From { get; set; }
    public DateOnly? To { get; set; }
    public List<PlanTarget> Targets { get; set; } = [];
    public bool Complete { get; set; }
    public long Run { get; set; }

    /// <summary>The event dates the swap replaces, fixed when the rebuild completes.</summary>
    public List<DateOnly> Replace { get; set; } = [];

    public EventDateRange? Range => From is { } from && To is { } to ? new EventDateRange(from, to) : null;

    public Dictionary<TopicPartition, long> TargetOffsets() =>
        Targets.ToDictionary(t => new TopicPartition(t.Topic, t.Partition), t => t.End);

    public static BackfillPlan? Load(string directory)
    {
        var path = BackfillPaths.Plan(directory);
        return File.Exists(path) ? JsonSerializer.Deserialize<BackfillPlan>(File.ReadAllBytes(path), Json) : null;
    }

    public void Save(string directory) => DurableFiles.Replace(BackfillPaths.Plan(directory), JsonSerializer.SerializeToUtf8Bytes(this, Json));

    public sealed class PlanTarget
    {
        public string Topic { get; set; } = "";
        public int Partition { get; set; }
        public long End { get; set; }
    }
}
