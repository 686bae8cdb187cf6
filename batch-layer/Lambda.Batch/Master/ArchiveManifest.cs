using System.Text.Json;
using Lambda.SharedModel.IO;
using Lambda.SharedModel.Log;

namespace Lambda.Batch.Master;

/// <summary>
/// The master dataset's commit record (<c>&lt;root&gt;/_manifest.json</c>): per topic and log partition the
/// offset archived up to (exclusive; the next archive starts there), and the list of runs with the event
/// dates each touched. A file counts only if the manifest covers it (<see cref="Covers"/>): files beyond
/// are leftovers of a crashed run, deleted by the next archive. Replaced atomically on every commit.
/// </summary>
/// <remarks>
/// The recompute loads it once, remembers <see cref="LastRun"/> with the version it builds, and next time
/// asks <see cref="DatesDirtiedSince"/> which dates changed since. Not thread-safe.
/// </remarks>
public sealed class ArchiveManifest
{
    /// <summary>The format version written in the file. A reader refuses a newer one.</summary>
    public const int FormatVersion = 1;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly SortedDictionary<TopicPartition, long> _archivedTo = new(TopicPartitionOrder.Instance);
    private readonly List<ArchiveRun> _runs = [];

    /// <summary>Per topic and partition, the offset archived up to (exclusive). Missing means 0.</summary>
    public IReadOnlyDictionary<TopicPartition, long> ArchivedTo => _archivedTo;

    /// <summary>Every run, in increasing <see cref="ArchiveRun.Run"/> order.</summary>
    public IReadOnlyList<ArchiveRun> Runs => _runs;

    /// <summary>The number of the last run, or 0 if none ran yet.</summary>
    public long LastRun => _runs.Count == 0 ? 0 : _runs[^1].Run;

    /// <summary>The path of the manifest of the master dataset at <paramref name="root"/>.</summary>
    public static string PathOf(string root) => Path.Combine(root, MasterDataset.ManifestFileName);

    /// <summary>Loads the manifest of <paramref name="root"/>; an empty one if there is none yet.</summary>
    public static ArchiveManifest Load(string root)
    {
        var path = PathOf(root);
        var manifest = new ArchiveManifest();
        if (!File.Exists(path))
        {
            return manifest;
        }

        ManifestFile? file;
        try
        {
            file = JsonSerializer.Deserialize<ManifestFile>(File.ReadAllBytes(path), Json);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"the manifest '{path}' is not valid JSON: {ex.Message}", ex);
        }

        if (file is null)
        {
            throw new InvalidDataException($"the manifest '{path}' is empty");
        }

        if (file.Format is < 1 or > FormatVersion)
        {
            throw new InvalidDataException($"the manifest '{path}' has format {file.Format}; this build reads up to {FormatVersion}");
        }

        foreach (var p in file.Partitions ?? [])
        {
            manifest._archivedTo[new TopicPartition(p.Topic, p.Partition)] = p.ArchivedTo;
        }

        manifest._runs.AddRange(file.Runs ?? []);
        return manifest;
    }

    /// <summary>Writes the manifest atomically (temp file, fsync, rename, fsync of the folder).</summary>
    public void Save(string root)
    {
        var file = new ManifestFile
        {
            Format = FormatVersion,
            Partitions = [.. _archivedTo.Select(e => new PartitionEntry { Topic = e.Key.Topic, Partition = e.Key.Partition, ArchivedTo = e.Value })],
            Runs = [.. _runs],
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(file, Json);
        DurableFiles.Replace(PathOf(root), bytes);
    }

    /// <summary>The offset of <paramref name="topic"/>[<paramref name="partition"/>] archived up to (exclusive).</summary>
    public long ArchivedUpTo(string topic, int partition) =>
        _archivedTo.TryGetValue(new TopicPartition(topic, partition), out var offset) ? offset : 0;

    /// <summary>Whether a file of <paramref name="topic"/> named by <see cref="MasterDataset.FileName"/> is committed.</summary>
    public bool Covers(string topic, string fileName) =>
        MasterDataset.TryParseFileName(fileName, out var partition, out _, out var to) && to <= ArchivedUpTo(topic, partition);

    /// <summary>
    /// The committed files of <paramref name="topic"/> under <paramref name="root"/>, sorted: pass them to
    /// <c>read_parquet([...])</c> to read exactly what this manifest covers, even beside a crashed run's leftovers.
    /// </summary>
    public IReadOnlyList<string> CommittedFiles(string root, string topic)
    {
        var files = new List<string>();
        foreach (var date in MasterDataset.Dates(root, topic))
        {
            foreach (var file in Directory.EnumerateFiles(MasterDataset.DateDirectory(root, topic, date), "*.parquet"))
            {
                if (Covers(topic, Path.GetFileName(file)))
                {
                    files.Add(file);
                }
            }
        }

        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>The event dates touched by runs numbered above <paramref name="run"/> (0: every date ever touched).</summary>
    public IReadOnlySet<DateOnly> DatesDirtiedSince(long run)
    {
        var dates = new SortedSet<DateOnly>();
        foreach (var r in _runs)
        {
            if (r.Run > run)
            {
                dates.UnionWith(r.Dates);
            }
        }

        return dates;
    }

    internal void SetArchivedTo(TopicPartition topicPartition, long offset) => _archivedTo[topicPartition] = offset;

    internal void ClearArchivedTo() => _archivedTo.Clear();

    /// <summary>Adds <paramref name="run"/>, or replaces the entry with its number (a run records itself chunk by chunk).</summary>
    internal void RecordRun(ArchiveRun run)
    {
        if (_runs.Count > 0 && _runs[^1].Run == run.Run)
        {
            _runs[^1] = run;
            return;
        }

        if (run.Run <= LastRun)
        {
            throw new InvalidOperationException($"run {run.Run} does not follow run {LastRun}");
        }

        _runs.Add(run);
    }

    internal void ReplaceRuns(IEnumerable<ArchiveRun> runs)
    {
        _runs.Clear();
        foreach (var run in runs)
        {
            RecordRun(run);
        }
    }

    private sealed class ManifestFile
    {
        public int Format { get; set; }
        public List<PartitionEntry>? Partitions { get; set; }
        public List<ArchiveRun>? Runs { get; set; }
    }

    private sealed class PartitionEntry
    {
        public string Topic { get; set; } = "";
        public int Partition { get; set; }
        public long ArchivedTo { get; set; }
    }
}
