using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Lambda.Batch.Recompute;
using Lambda.DuckDb;
using Lambda.SharedModel.Bots;
using Lambda.SharedModel.Events;

namespace Lambda.Benchmarks.Batch;

/// <summary>
/// Full exact recompute of a synthetic master dataset over 30 days: every day through the bot filter,
/// dedupe, attribution, minute/hour/day rows with exact distinct users and sketches, validation and the
/// version's Parquet files (the store load is the store's own throughput and is left out). Target:
/// 100M events in ≤ 60 s on 2 cores; set LAMBDA_RECOMPUTE_EVENTS=100000000 to run that size (the
/// dataset is made once per size under the temp folder and reused). Physical references over the same
/// files: a bare read_parquet + COUNT(*), and a GROUP BY campaign of the served topic.
/// </summary>
[Config(typeof(InProcessMonitoring))]
public class RecomputeBenchmark
{
    private const int Days = 30;

    private string _root = "";
    private MasterSnapshot _snapshot = null!;
    private string _allFiles = "";
    private string _servedFiles = "";

    /// <summary>Events in the dataset (LAMBDA_RECOMPUTE_EVENTS, default 10M).</summary>
    public static IEnumerable<long> Sizes =>
        [long.Parse(Environment.GetEnvironmentVariable("LAMBDA_RECOMPUTE_EVENTS") ?? "10000000", CultureInfo.InvariantCulture)];

    [ParamsSource(nameof(Sizes))]
    public long Events { get; set; }

    /// <summary>The minute file's parts, written at once (LAMBDA_RECOMPUTE_PARTS; default 2, one per DuckDB thread).</summary>
    public static int MinuteParts =>
        int.TryParse(Environment.GetEnvironmentVariable("LAMBDA_RECOMPUTE_PARTS"), out var parts) && parts > 0 ? parts : 2;

    /// <summary>The allocator memory DuckDB keeps between statements (LAMBDA_RECOMPUTE_RETAINED; "none" = DuckDB's default).</summary>
    public static string? RetainedMemory =>
        Environment.GetEnvironmentVariable("LAMBDA_RECOMPUTE_RETAINED") is { } retained
            ? (retained == "none" ? null : retained)
            : new RecomputeOptions { DataDirectory = "." }.RetainedMemory;

    [GlobalSetup]
    public void Setup()
    {
        _root = Path.Combine(Path.GetTempPath(), $"lambda-recompute-bench-{Events}");
        var master = Path.Combine(_root, "master");
        if (!Directory.Exists(master))
        {
            var staging = master + ".tmp";
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }

            SyntheticMaster.Write(staging, Events, Days);
            Directory.Move(staging, master);
        }

        _snapshot = MasterSnapshot.Scan(master);
        _allFiles = ExactViewSql.ReadParquet(_snapshot.Files);
        _servedFiles = ExactViewSql.ReadParquet(_snapshot.FilesOf(Topics.Served));
        var bytes = _snapshot.Files.Sum(f => new FileInfo(f.FullPath).Length);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"// master dataset: {Events:N0} events, {_snapshot.Files.Count} files, {bytes / 1e6:F1} MB, {bytes / (Events / 1e6) / 1e6:F2} MB per million events"));
    }

    [GlobalCleanup]
    public void Cleanup() =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB"));

    [Benchmark(Baseline = true)]
    public long ReadParquetCount()
    {
        using var db = Open();
        using var connection = db.Connect();
        using var reader = connection.Query($"SELECT count(*) FROM {_allFiles}");
        reader.Read();
        return reader.GetInt64(0);
    }

    [Benchmark]
    public long GroupByCampaign()
    {
        using var db = Open();
        using var connection = db.Connect();
        using var reader = connection.Query($"SELECT campaign_id, count(*) FROM {_servedFiles} GROUP BY campaign_id");
        long groups = 0;
        while (reader.Read())
        {
            groups++;
        }

        return groups;
    }

    [Benchmark]
    public long FullRecompute()
    {
        var output = Path.Combine(_root, "views");
        if (Directory.Exists(output))
        {
            Directory.Delete(output, recursive: true);
        }

        Directory.CreateDirectory(output);
        using var memory = RecomputeDatabase.HoldFreedMemory(RetainedMemory);
        using var db = Open();
        using var connection = db.Connect();
        var watermark = BatchWatermark.Compute(ExactViewComputation.NewestLogTime(connection, _snapshot.Files)!.Value, TimeSpan.FromHours(1));
        var computation = new ExactViewComputation(connection, BotRules.Default, _snapshot, firstClaims => firstClaims);
        var days = computation.ComputeDays([.. _snapshot.Dates.Where(d => BatchWatermark.IsBefore(d, watermark))], _snapshot);
        computation.CreateFinalRows(withCopiedRows: false);
        var (problems, minute, hour, day) = computation.ValidateAndWrite(days, watermark, output, MinuteParts);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join("; ", problems));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// {days.Count} days, rows: {minute:N0} minute, {hour:N0} hour, {day:N0} day"));
        Console.WriteLine("// stages: " + computation.Timings);
        return minute + hour + day;
    }

    /// <summary>
    /// One operation takes seconds to a minute: measure each a few times, no warmup, in this process
    /// (no boilerplate project to build, and a timeout long enough for the 100M size).
    /// </summary>
    private sealed class InProcessMonitoring : ManualConfig
    {
        public InProcessMonitoring() => AddJob(Job.Dry
            .WithStrategy(RunStrategy.Monitoring)
            .WithWarmupCount(0)
            .WithIterationCount(2)
            .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(30), logOutput: true)));
    }

    private DuckDbDatabase Open() => DuckDbDatabase.OpenInMemory(
        RecomputeDatabase.Options(threads: 2, memoryLimit: "8GB", retainedMemory: RetainedMemory, tempDirectory: Path.Combine(_root, "spill")));
}
