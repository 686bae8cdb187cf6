using System.Globalization;
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
/// Archive throughput (target ≥ 1,000,000 events/s on 2 cores): 2,000,000 generated records (<see cref="Events"/>)
/// in an embedded log, 4 partitions per topic, spread over <see cref="Days"/> days of event time, archived into
/// a fresh master dataset per operation. Each operation handles all 2M events and BenchmarkDotNet reports
/// time per event (OperationsPerInvoke = 2M): events/s = 1 / mean (1 µs = 1,000,000 events/s). References in the same class, same rows,
/// both on one thread like one archive worker: the bare log replay (the read floor) and DuckDB's COPY of
/// the same master rows, already in a DuckDB table in memory, to zstd Parquet with the archive's settings
/// (DuckDB's own Parquet writer, which the archive used before Lambda.Batch.Parquet). The archive's per-stage thread CPU time (log read, decode, Parquet, fsync/rename,
/// manifest) is printed once in the setup, as CPU seconds per million events.
/// </summary>
[MemoryDiagnoser]
public class ArchiveBenchmarks
{
    /// <summary>Events per operation: every benchmark handles all of them, and reports time per event.</summary>
    private const int Events = 2_000_000;

    private string _directory = null!;
    private EmbeddedEventLog _log = null!;
    private DuckDbDatabase _database = null!;
    private DuckDbConnection _connection = null!;
    private readonly RecordBatch _batch = new(8192, 8192 * 640);

    /// <summary>Days of event time the records span: 1 (an hourly archive) or 3 (every chunk crosses midnight twice).</summary>
    [Params(1, 3)]
    public int Days { get; set; }

    private string LogRoot => Path.Combine(_directory, "log");
    private string Master => Path.Combine(_directory, "master");

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("lambda-archive-bench-").FullName;
        _log = EmbeddedEventLog.Open(new EmbeddedLogOptions { RootPath = LogRoot, Fsync = FsyncPolicy.Never });
        GenerateAsync().GetAwaiter().GetResult();

        ArchiveOnce();
        var result = ArchiveOnce();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"// archive of {result.RecordsRead:N0} events, {Days} day(s): {result.Files} files, {result.Bytes / 1e6:F1} MB, {result.EventsPerSecond:N0} events/s wall"));
        Console.WriteLine("// cpu-s per million events: " + result.Timings.CpuSecondsPerMillion(result.RecordsRead));

        // The reference rows: exactly what the archive writes, held in a DuckDB table in memory.
        _database = DuckDbDatabase.OpenInMemory(new DuckDbOptions { Threads = 1 });
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

    /// <summary>The previous operation's master dataset is deleted outside the measured archive.</summary>
    [IterationSetup(Target = nameof(Archive))]
    public void DeleteMaster()
    {
        if (Directory.Exists(Master))
        {
            Directory.Delete(Master, recursive: true);
        }
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public long Archive() => ArchiveOnce().Records;

    [Benchmark(Baseline = true, OperationsPerInvoke = Events)]
    public long CopyInMemoryRowsToParquet()
    {
        var path = Path.Combine(_directory, "reference.parquet");
        var options = new ArchiveOptions { MasterRoot = Master };
        return _connection.Execute(string.Create(CultureInfo.InvariantCulture,
            $"COPY master_rows TO {DuckDbSql.Literal(path)} (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL {options.ZstdLevel}, ROW_GROUP_SIZE {options.RowGroupSize})"));
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public long ReplayLog() => ReplayAsync().GetAwaiter().GetResult();

    private ArchiveResult ArchiveOnce()
    {
        DeleteMaster();
        var job = new ArchiveJob(_log, new ArchiveOptions { MasterRoot = Master });
        return job.RunAsync().GetAwaiter().GetResult();
    }

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
                    await reader.ReadAsync(tp, offset, _batch, 8192, TimeSpan.Zero);
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

        // Event time advances at this rate, so the records span about Days days.
        var generator = new TrafficGenerator(new GeneratorOptions { EventsPerSecond = (Events / (Days * 86_400L)) + 1 });
        await using var producer = _log.CreateProducer();
        var batch = new GeneratedBatch(8192);
        for (var written = 0; written < Events;)
        {
            var n = generator.NextBatch(batch, Math.Min(batch.Capacity, Events - written));
            for (var i = 0; i < n; i++)
            {
                producer.Enqueue(batch.Topic(i), batch.Key(i), batch.Value(i), 0);
            }

            await producer.FlushAsync();
            written += n;
        }
    }
}
