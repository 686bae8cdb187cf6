using BenchmarkDotNet.Attributes;
using Lambda.Batch.Archive;
using Lambda.Batch.Master;
using Lambda.DuckDb;
using Lambda.Generator;
using Lambda.Log.Embedded;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Log;

namespace Lambda.Benchmarks.Batch;

/// <summary>
/// Archive throughput (target ≥ 1,000,000 events/s): 1M generated records in an embedded log (4 partitions
/// per topic) archived into a fresh master dataset per operation. Physical references in the same class:
/// DuckDB's COPY of the same 1M master rows from a table already in memory to zstd Parquet (the write
/// floor), and the raw replay of the log (the read floor). Reported per record.
/// </summary>
[MemoryDiagnoser]
public class ArchiveBenchmarks
{
    private const int Records = 1_000_000;

    private string _directory = null!;
    private EmbeddedEventLog _log = null!;
    private DuckDbDatabase _database = null!;
    private DuckDbConnection _connection = null!;
    private readonly RecordBatch _batch = new(65_536, 16 << 20);

    private string LogRoot => Path.Combine(_directory, "log");
    private string Master => Path.Combine(_directory, "master");

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("lambda-archive-bench-").FullName;
        _log = EmbeddedEventLog.Open(new EmbeddedLogOptions { RootPath = LogRoot, Fsync = FsyncPolicy.Never });
        GenerateAsync().GetAwaiter().GetResult();

        // The reference rows: exactly what the archive writes, held in a DuckDB table in memory.
        Archive();
        _database = DuckDbDatabase.OpenInMemory();
        _connection = _database.Connect();
        var globs = string.Join(", ", MasterDataset.TopicsArchived.Select(t => DuckDbSql.Literal(MasterDataset.Glob(Master, t))));
        _connection.Execute($"CREATE TABLE master_rows AS SELECT * FROM read_parquet([{globs}], hive_partitioning = false)");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _connection.Dispose();
        _database.Dispose();
        _log.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public long Archive()
    {
        if (Directory.Exists(Master))
        {
            Directory.Delete(Master, recursive: true);
        }

        var job = new ArchiveJob(_log, new ArchiveOptions { MasterRoot = Master });
        return job.RunAsync().GetAwaiter().GetResult().Records;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Records)]
    public long CopyInMemoryRowsToParquet()
    {
        var path = Path.Combine(_directory, "reference.parquet");
        return _connection.Execute($"COPY master_rows TO {DuckDbSql.Literal(path)} (FORMAT parquet, COMPRESSION zstd)");
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public long ReplayLog() => ReplayAsync().GetAwaiter().GetResult();

    private async Task<long> ReplayAsync()
    {
        using var reader = _log.CreateReader();
        long bytes = 0;
        foreach (var topic in MasterDataset.TopicsArchived)
        {
            for (var p = 0; p < _log.Options.DefaultPartitions; p++)
            {
                var tp = new TopicPartition(topic, p);
                var end = (await _log.GetOffsetsAsync(tp)).End;
                for (var offset = 0L; offset < end; offset = _batch.NextOffset)
                {
                    await reader.ReadAsync(tp, offset, _batch, 65_536, TimeSpan.Zero);
                    bytes += _batch.ByteCount;
                }
            }
        }

        return bytes;
    }

    private async Task GenerateAsync()
    {
        foreach (var topic in Topics.All)
        {
            await _log.CreateTopicAsync(topic, _log.Options.DefaultPartitions);
        }

        var generator = new TrafficGenerator(new GeneratorOptions { EventsPerSecond = 10_000 });
        await using var producer = _log.CreateProducer();
        var batch = new GeneratedBatch(8192);
        for (var written = 0; written < Records;)
        {
            var n = generator.NextBatch(batch, Math.Min(batch.Capacity, Records - written));
            for (var i = 0; i < n; i++)
            {
                producer.Enqueue(batch.Topic(i), batch.Key(i), batch.Value(i), 0);
            }

            await producer.FlushAsync();
            written += n;
        }
    }
}
