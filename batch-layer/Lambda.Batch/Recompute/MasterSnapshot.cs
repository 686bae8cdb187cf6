using System.Globalization;
using System.Text.Json;
using Lambda.Batch.Master;

namespace Lambda.Batch.Recompute;

/// <summary>
/// The master files one recompute reads, fixed when the run starts so files archived meanwhile
/// change nothing: every file named as <see cref="MasterDataset.FileName"/> lays down that the archive
/// manifest covers (every such file when there is no manifest), by topic and event date. The recompute
/// reads exactly these files (never a glob), so the version's watermark and covered offsets describe
/// exactly the data it was computed from, and a crashed archive run's leftovers are never read.
/// </summary>
public sealed class MasterSnapshot
{
    private MasterSnapshot(IReadOnlyList<MasterFile> files, ArchiveManifest? manifest)
    {
        Files = files;
        Manifest = manifest;
    }

    /// <summary>The archive manifest the snapshot was filtered by; null when the master dataset has none.</summary>
    public ArchiveManifest? Manifest { get; }

    /// <summary>The files, ordered by topic, date, partition and offset.</summary>
    public IReadOnlyList<MasterFile> Files { get; }

    /// <summary>Every event date some file holds.</summary>
    public IReadOnlyList<DateOnly> Dates => [.. Files.Select(f => f.Date).Distinct().Order()];

    /// <summary>Lists the master dataset under <paramref name="masterRoot"/> (an empty snapshot if it does not exist).</summary>
    public static MasterSnapshot Scan(string masterRoot)
    {
        var manifest = File.Exists(ArchiveManifest.PathOf(masterRoot)) ? ArchiveManifest.Load(masterRoot) : null;
        var files = new List<MasterFile>();
        foreach (var topic in MasterDataset.TopicsArchived)
        {
            var topicDirectory = MasterDataset.TopicDirectory(masterRoot, topic);
            if (!Directory.Exists(topicDirectory))
            {
                continue;
            }

            foreach (var dateDirectory in Directory.EnumerateDirectories(topicDirectory))
            {
                var name = Path.GetFileName(dateDirectory);
                if (!name.StartsWith("date=", StringComparison.Ordinal)
                    || !DateOnly.TryParseExact(name.AsSpan(5), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    continue;
                }

                foreach (var path in Directory.EnumerateFiles(dateDirectory, "*.parquet"))
                {
                    var fileName = Path.GetFileName(path);
                    if (MasterDataset.TryParseFileName(fileName, out var partition, out var from, out var to)
                        && (manifest is null || manifest.Covers(topic, fileName)))
                    {
                        files.Add(new MasterFile(topic, date, partition, from, to, $"{topic}/{name}/{fileName}", Path.GetFullPath(path)));
                    }
                }
            }
        }

        files.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        return new MasterSnapshot(files, manifest);
    }

    /// <summary>The files of one topic, optionally of one date only.</summary>
    public IReadOnlyList<MasterFile> FilesOf(string topic, DateOnly? date = null) =>
        [.. Files.Where(f => f.Topic == topic && (date is null || f.Date == date))];

    /// <summary>
    /// The log offsets covered, as JSON: per topic, per partition, the end (exclusive) of the offsets
    /// archived (the manifest's, else the highest file end), e.g. <c>{"ad-served":{"0":1200,"1":1187},…}</c>.
    /// </summary>
    public string CoveredOffsetsJson()
    {
        var covered = new SortedDictionary<string, SortedDictionary<string, long>>(StringComparer.Ordinal);
        void Cover(string topic, int partition, long to)
        {
            if (!covered.TryGetValue(topic, out var partitions))
            {
                covered[topic] = partitions = new SortedDictionary<string, long>(StringComparer.Ordinal);
            }

            var key = partition.ToString(CultureInfo.InvariantCulture);
            partitions[key] = Math.Max(partitions.GetValueOrDefault(key), to);
        }

        foreach (var file in Files)
        {
            Cover(file.Topic, file.Partition, file.ToOffset);
        }

        foreach (var (topicPartition, to) in Manifest?.ArchivedTo ?? new Dictionary<SharedModel.Log.TopicPartition, long>())
        {
            Cover(topicPartition.Topic, topicPartition.Partition, to);
        }

        return JsonSerializer.Serialize(covered);
    }
}
