using Lambda.Batch.Master;
using Lambda.SharedModel.Log;

namespace Lambda.Batch.Archive;

/// <summary>
/// One run's shared state across its partition workers: the manifest (committed under a lock, one
/// chunk at a time), the run's manifest entry, per-topic totals and progress.
/// </summary>
internal sealed class RunState(ArchiveManifest manifest, long runNumber, DateTimeOffset startedAt, string kind, long total,
    IProgress<ArchiveProgress>? progress)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, TopicArchiveSummary> _topics = [];
    private readonly SortedSet<DateOnly> _dates = [];
    private long _done;
    private long _records;
    private bool _committed;

    /// <summary>Time per stage of this run, over all workers.</summary>
    public ArchiveTimings Timings { get; } = new();

    public void AddDone(long records)
    {
        var done = Interlocked.Add(ref _done, records);
        progress?.Report(new ArchiveProgress(done, total));
    }

    /// <summary>Records the chunk as archived: its files are in place, so move the partition's offset and save.</summary>
    public void Commit(string root, TopicPartition topicPartition, ChunkOutcome outcome)
    {
        lock (_lock)
        {
            var t = _topics.GetValueOrDefault(topicPartition.Topic) ?? new TopicArchiveSummary { Topic = topicPartition.Topic };
            _topics[topicPartition.Topic] = t with
            {
                RecordsRead = t.RecordsRead + outcome.RecordsRead,
                Records = t.Records + outcome.Records,
                InvalidSkipped = t.InvalidSkipped + outcome.Invalid,
                OutOfRange = t.OutOfRange + outcome.OutOfRange,
                Files = t.Files + outcome.Files,
                Bytes = t.Bytes + outcome.Bytes,
            };
            _dates.UnionWith(outcome.Dates);
            _records += outcome.Records;
            manifest.SetArchivedTo(topicPartition, outcome.NextOffset);
            manifest.RecordRun(new ArchiveRun { Run = runNumber, StartedAt = startedAt, Dates = [.. _dates], Records = _records, Kind = kind });
            manifest.Save(root);
            _committed = true;
        }
    }

    public ArchiveResult ToResult(int orphans, TimeSpan duration)
    {
        lock (_lock)
        {
            return new ArchiveResult
            {
                Run = _committed ? runNumber : null,
                Topics = [.. MasterDataset.TopicsArchived.Select(t => _topics.GetValueOrDefault(t) ?? new TopicArchiveSummary { Topic = t })],
                Dates = [.. _dates],
                OrphansDeleted = orphans,
                Duration = duration,
                Timings = Timings,
            };
        }
    }
}
