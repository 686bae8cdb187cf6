using System.Globalization;
using System.Text;
using Lambda.Batch.Archive;
using Lambda.Batch.Backfill;
using Lambda.Batch.Master;
using Lambda.DuckDb;
using Lambda.Generator;
using Lambda.Log.Embedded;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Log;

namespace Lambda.Batch.Tests.Archive;

/// <summary>
/// A data directory laid out as the CLI does (<c>log/</c>, <c>master/</c>) in a temp folder, with generated
/// traffic around a midnight (so the master dataset spans two dates) and helpers to archive and compare.
/// </summary>
public sealed class MasterTestBed : IDisposable
{
    public const int Partitions = 4;

    /// <summary>Traffic starts 10 s before this midnight, at 2000 records/s of event time.</summary>
    public static readonly DateOnly SecondDay = new(2025, 3, 2);
    public static readonly DateOnly FirstDay = SecondDay.AddDays(-1);

    private readonly Dictionary<string, long> _written = Topics.EventTopics.ToDictionary(t => t, _ => 0L);
    private TrafficGenerator? _generator;

    public MasterTestBed()
    {
        DataDirectory = Directory.CreateTempSubdirectory("lambda-archive-").FullName;
    }

    public string DataDirectory { get; }
    public string LogRoot => Path.Combine(DataDirectory, "log");
    public string Master => Path.Combine(DataDirectory, "master");

    /// <summary>Records written per topic so far (valid and invalid).</summary>
    public IReadOnlyDictionary<string, long> Written => _written;

    public EmbeddedEventLog OpenLog() =>
        EmbeddedEventLog.Open(new EmbeddedLogOptions { RootPath = LogRoot, DefaultPartitions = Partitions, Fsync = FsyncPolicy.Never });

    /// <summary>Appends the next <paramref name="count"/> generated records (one generator across calls).</summary>
    public async Task GenerateAsync(int count)
    {
        _generator ??= new TrafficGenerator(new GeneratorOptions
        {
            Seed = 7,
            Campaigns = 20,
            Users = 5_000,
            EventsPerSecond = 2_000,
            LateFraction = 0,
            StartTime = new DateTimeOffset(SecondDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddSeconds(-10),
        });
        await using var log = OpenLog();
        foreach (var topic in Topics.All)
        {
            await log.CreateTopicAsync(topic, Partitions);
        }

        await using var producer = log.CreateProducer();
        var batch = new GeneratedBatch(4096);
        var left = count;
        while (left > 0)
        {
            var n = _generator.NextBatch(batch, Math.Min(left, batch.Capacity));
            for (var i = 0; i < n; i++)
            {
                producer.Enqueue(batch.Topic(i), batch.Key(i), batch.Value(i), 0);
                _written[batch.Topic(i)]++;
            }

            await producer.FlushAsync();
            left -= n;
        }
    }

    /// <summary>Appends records that do not decode to <paramref name="topic"/>, partition 0.</summary>
    public async Task AppendInvalidAsync(string topic, int count)
    {
        await using var log = OpenLog();
        await using var producer = log.CreateProducer();
        for (var i = 0; i < count; i++)
        {
            var value = (i % 2) == 0 ? "{\"event_id\": \"broken"u8.ToArray() : Encoding.UTF8.GetBytes($"{{\"event_id\":\"x{i}\"}}");
            producer.Enqueue(new TopicPartition(topic, 0), "key"u8, value, 0);
        }

        await producer.FlushAsync();
        _written[topic] += count;
    }

    public async Task<ArchiveResult> ArchiveAsync(string? root = null, int chunkRecords = 20_000, int rowGroupSize = 122_880)
    {
        await using var log = OpenLog();
        return await new ArchiveJob(log, Options(root ?? Master, chunkRecords, rowGroupSize)).RunAsync();
    }

    public async Task<BackfillResult> BackfillAsync(EventDateRange? dates = null, int chunkRecords = 20_000, IRecompute? recompute = null, int rowGroupSize = 122_880)
    {
        await using var log = OpenLog();
        return await new BackfillJob(log, new BackfillOptions { Archive = Options(Master, chunkRecords, rowGroupSize), Dates = dates }, recompute).RunAsync();
    }

    public static ArchiveOptions Options(string root, int chunkRecords, int rowGroupSize = 122_880) =>
        new() { MasterRoot = root, ChunkRecords = chunkRecords, MaxParallelism = 2, ReadBatchRecords = 8192, RowGroupSize = rowGroupSize };

    /// <summary>Copies every file under <paramref name="from"/> to the same place under <paramref name="to"/>.</summary>
    public static void CopyFiles(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>Every Parquet file under <paramref name="root"/>, as sorted relative paths.</summary>
    public static List<string> Files(string root) =>
        [.. Directory.EnumerateFiles(root, "*.parquet", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f))
            .Order(StringComparer.Ordinal)];

    /// <summary>Every row of every topic under <paramref name="root"/>, one line each, in (topic, partition, offset) order.</summary>
    public static List<string> Rows(string root)
    {
        using var database = DuckDbDatabase.OpenInMemory(new DuckDbOptions { Threads = 2 });
        using var connection = database.Connect();
        var rows = new List<string>();
        foreach (var topic in MasterDataset.TopicsArchived)
        {
            if (!Directory.Exists(MasterDataset.TopicDirectory(root, topic)))
            {
                continue;
            }

            using var reader = connection.Query(
                $"SELECT * FROM read_parquet({DuckDbSql.Literal(MasterDataset.Glob(root, topic))}, hive_partitioning = false) ORDER BY log_partition, log_offset");
            while (reader.Read())
            {
                var line = new StringBuilder(topic);
                for (var c = 0; c < reader.FieldCount; c++)
                {
                    line.Append('|').Append(reader.IsNull(c) ? "NULL" : Convert.ToString(reader.GetValue(c), CultureInfo.InvariantCulture));
                }

                rows.Add(line.ToString());
            }
        }

        return rows;
    }

    /// <summary>Rows of one topic, counted by DuckDB.</summary>
    public static long Count(string root, string topic, string where = "true")
    {
        using var database = DuckDbDatabase.OpenInMemory();
        using var connection = database.Connect();
        using var reader = connection.Query(
            $"SELECT count(*) FROM read_parquet({DuckDbSql.Literal(MasterDataset.Glob(root, topic))}, hive_partitioning = false) WHERE {where}");
        Assert.True(reader.Read());
        return reader.GetInt64(0);
    }

    /// <summary>Asserts two datasets hold the same files and the same rows.</summary>
    public static void AssertSameDataset(string expectedRoot, string actualRoot)
    {
        Assert.Equal(Files(expectedRoot), Files(actualRoot));
        var expected = Rows(expectedRoot);
        var actual = Rows(actualRoot);
        Assert.Equal(expected.Count, actual.Count);
        var firstDifference = expected.Zip(actual).Select((pair, i) => (pair, i)).FirstOrDefault(x => x.pair.First != x.pair.Second);
        Assert.True(firstDifference.pair.First is null, $"row {firstDifference.i} differs:\n{firstDifference.pair.First}\n{firstDifference.pair.Second}");
    }

    public void Dispose() => Directory.Delete(DataDirectory, recursive: true);
}
