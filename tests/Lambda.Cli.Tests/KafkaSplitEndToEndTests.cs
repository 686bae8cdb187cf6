using System.Globalization;
using System.Net.Http.Headers;
using Lambda.Generator;
using Lambda.Jobs;
using Lambda.Log.Kafka;
using Lambda.Log.Tests.Kafka;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Jobs;
using Lambda.Store.Postgres;
using Lambda.Tests.Shared;
using Npgsql;

namespace Lambda.Cli.Tests;

/// <summary>
/// The full distributed mode over Kafka, with child processes of the real `lambda`: two `lambda speed`
/// in one consumer group, `lambda serve` and `lambda scheduler` over PostgreSQL (a fresh schema, dropped
/// afterwards), traffic produced by `lambda generate`. The broker is LAMBDA_KAFKA_BOOTSTRAP when set;
/// otherwise librdkafka's mock cluster hosted by this test process, whose listeners are real TCP
/// ports the children connect to. Skips without PostgreSQL or librdkafka, fails then when CI is set.
/// </summary>
public sealed class KafkaSplitEndToEndTests : IAsyncLifetime
{
    private const string DefaultConnectionString = "Host=127.0.0.1;Username=lambda;Password=lambda;Database=lambda_test";
    private const int Partitions = 2;
    private const int Campaigns = 10;
    private const ulong Seed = 7;

    private readonly string _connectionString =
        Environment.GetEnvironmentVariable("LAMBDA_PG") is { Length: > 0 } configured ? configured : DefaultConnectionString;
    private readonly string _schema = "ksplit_" + Guid.NewGuid().ToString("N")[..10];
    private readonly string _group = "ksplit-" + Guid.NewGuid().ToString("N")[..10];
    private readonly TempDirectory _dataDir = new();
    private LibrdkafkaMockCluster? _mock;
    private string[] _kafkaArguments = [];
    private string? _unavailable;
    private bool _postgres;

    public async Task InitializeAsync()
    {
        try
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_connectionString) { Timeout = 5 }.ConnectionString);
            await connection.OpenAsync();
            _postgres = true;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            _unavailable = $"PostgreSQL is not reachable ({e.Message}); run infra/setup.d/postgres.sh";
            return;
        }

        if (Environment.GetEnvironmentVariable(KafkaTestCluster.Variable) is { Length: > 0 })
        {
            return;
        }

        try
        {
            KafkaNative.EnsureLoaded();
            _mock = new LibrdkafkaMockCluster();
            // The mock has no CreateTopics API: the topics exist before any `lambda` asks for them.
            foreach (var topic in Topics.All)
            {
                _mock.CreateTopic(topic, Partitions);
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or InvalidOperationException)
        {
            _unavailable = $"LAMBDA_KAFKA_BOOTSTRAP is not set and librdkafka's mock cluster cannot start ({e.Message}); run infra/setup.sh";
        }
    }

    public async Task DisposeAsync()
    {
        _dataDir.Dispose();
        _mock?.Dispose();
        if (_postgres)
        {
            await using var connection = new NpgsqlConnection(_connectionString);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    [SkippableFact]
    public async Task two_speed_members_serve_and_a_scheduler_run_as_separate_processes_over_kafka_and_postgres()
    {
        FaultEnvironment.Require(_unavailable);
        // The real cluster's replication as the tests ask for it; the mock's topics have one replica and no DescribeConfigs.
        _kafkaArguments = _mock?.CliArguments() ?? KafkaTestCluster.CliArguments();
        var url = $"http://127.0.0.1:{SplitApi.FreePort()}";

        var key = await AdminKeyAsync();
        using var speed1 = Speed();
        using var speed2 = Speed();
        var joining = "joining consumer group " + _group;
        await WaitForErrorLineAsync(speed1, l => l.Contains(joining, StringComparison.Ordinal), joining, 120);
        await WaitForErrorLineAsync(speed2, l => l.Contains(joining, StringComparison.Ordinal), joining, 120);

        // Twenty minutes of event time across midnight, produced now: the day before for the batch, the day
        // after for the speed layer. A fixed count, well below what the mock cluster keeps per partition (it
        // drops a partition's oldest records beyond 5 MB: with a count growing with the time of day, the
        // past day's records, the oldest, were gone before the archive read them).
        var midnight = await MidnightAsync();
        var oracle = Path.Combine(_dataDir.Path, "oracle.csv");
        using (var generate = Lambda("generate", "--seed", Seed.ToString(CultureInfo.InvariantCulture),
            "--campaigns", Campaigns.ToString(CultureInfo.InvariantCulture), "--users", "1000",
            "--start", new DateTimeOffset(midnight.AddMinutes(-10), TimeSpan.Zero).ToString("O", CultureInfo.InvariantCulture),
            "--event-rate", "10", "--events", "12000", "--oracle", oracle))
        {
            Assert.True(await generate.WaitForExitAsync(300) == 0, string.Join("\n", generate.Errors.TakeLast(20)));
            Assert.Contains(generate.Output, l => l.StartsWith("generated 12000 records", StringComparison.Ordinal) && l.Contains("into the log", StringComparison.Ordinal));
        }

        // The hottest campaign of the generated traffic (the catalog depends only on the seed and the counts).
        var campaign = new TrafficGenerator(new GeneratorOptions { Seed = Seed, Campaigns = Campaigns, Users = 1000 }).CampaignId(0);
        var pastDayImpressions = OracleImpressions(oracle, campaign, midnight.AddDays(-1));
        Assert.True(pastDayImpressions > 0, $"the oracle has no impressions of {campaign} before {midnight:O}");

        using var serve = Lambda("serve", "--urls", url);
        await serve.WaitForLineAsync("serving on", 120);
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        var speedOnly = await SplitApi.UntilAsync(http, campaign, m => m.Speed.Any(r => r.Bucket == midnight && r.Impressions > 0), 240);
        Assert.Null(speedOnly.Watermark);

        // Both members of the group are given partitions of the log (the first rows may come before the
        // second member's assignment: the mock cluster assigns session.timeout.ms - 1 s after a join).
        await WaitForErrorLineAsync(speed1, IsAssignment, "a partition assignment", 120);
        await WaitForErrorLineAsync(speed2, IsAssignment, "a partition assignment", 120);

        // The scheduler archives the Kafka log into the master dataset and recomputes every 5 s.
        using var scheduler = Lambda("scheduler", "--scheduler-instance", "kafka-c1", "--archive-cron", "0 0 31 2 *",
            "--recompute-cron", "0/5 * * * * ?", "--retention-cron", "0 0 31 2 *", "--batch-threads", "1");
        await scheduler.WaitForLineAsync("scheduler kafka-c1 running", 120);

        // Log time is append time on both logs (event time is in the record), so the day before midnight is
        // complete once the log holds records appended an hour after it: now. W is midnight, the batch gives
        // the past day exactly as the generator's oracle counts it, and the speed layer the day after.
        var merged = await SplitApi.UntilAsync(http, campaign, m => m.Watermark is not null, 300);
        Assert.Equal(midnight, merged.Watermark);
        Assert.All(merged.Batch, r => Assert.True(r.Bucket < merged.Watermark, $"batch bucket {r.Bucket:O} is not before W {merged.Watermark:O}"));
        Assert.All(merged.Speed, r => Assert.True(r.Bucket >= merged.Watermark, $"speed bucket {r.Bucket:O} is before W {merged.Watermark:O}"));
        Assert.Equal(pastDayImpressions, Assert.Single(merged.Batch, r => r.Bucket == midnight.AddDays(-1)).Impressions);
        Assert.Contains(merged.Speed, r => r.Bucket == midnight && r.Impressions > 0);
        await using (var history = new PostgresJobHistoryStore(_connectionString, _schema))
        {
            // The version is served from its flip on; the run is recorded as ended after its drift report and pruning.
            var deadline = DateTime.UtcNow.AddSeconds(120);
            IReadOnlyList<JobRun> recomputes;
            while (!(recomputes = await history.ListRunsAsync(JobNames.Recompute, 100)).Any(r => r.Outcome == JobOutcomes.Succeeded))
            {
                Assert.True(DateTime.UtcNow < deadline, "no recompute run succeeded within 120 s of the version being served: "
                    + string.Join("; ", recomputes.Select(r => $"{r.RunId} {r.Outcome} {r.Error}")));
                await Task.Delay(500);
            }
        }

        Assert.Equal(0, await scheduler.StopAsync(120));
        Assert.Equal(0, await serve.StopAsync(60));
        Assert.Equal(0, await speed1.StopAsync(120));
        Assert.Equal(0, await speed2.StopAsync(120));
    }

    /// <summary>
    /// The midnight the traffic straddles. The batch takes the day before it once the log holds a record
    /// appended an hour past its end (the recompute's completeness cutoff): the records generated now. So
    /// today's midnight from 01:00 on, yesterday's before; near 01:00 it waits, so that all the records are
    /// appended on one side of the cutoff.
    /// </summary>
    private static async Task<DateTime> MidnightAsync()
    {
        var sinceMidnight = DateTime.UtcNow.TimeOfDay;
        if (sinceMidnight >= TimeSpan.FromMinutes(58) && sinceMidnight < TimeSpan.FromMinutes(62))
        {
            await Task.Delay(TimeSpan.FromMinutes(62) - sinceMidnight);
        }

        var now = DateTime.UtcNow;
        return now.TimeOfDay >= TimeSpan.FromHours(1) ? now.Date : now.Date.AddDays(-1);
    }

    private static long OracleImpressions(string oracleCsv, string campaign, DateTime day)
    {
        var from = new DateTimeOffset(day, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var to = new DateTimeOffset(day.AddDays(1), TimeSpan.Zero).ToUnixTimeMilliseconds();
        long impressions = 0;
        foreach (var fields in File.ReadLines(oracleCsv).Skip(1).Select(l => l.Split(',')))
        {
            var bucket = long.Parse(fields[1], CultureInfo.InvariantCulture);
            if (fields[0] == campaign && bucket >= from && bucket < to)
            {
                impressions += long.Parse(fields[2], CultureInfo.InvariantCulture);
            }
        }

        return impressions;
    }

    private static bool IsAssignment(string line) =>
        line.Contains("Partitions", StringComparison.Ordinal) && line.Contains("assigned to this process", StringComparison.Ordinal)
        && !line.Contains("Partitions [] ", StringComparison.Ordinal);

    private LambdaProcess Lambda(params string[] args) => new(
        [.. args, "--data-dir", _dataDir.Path, .. _kafkaArguments,
            // The mock cluster waits session.timeout.ms - 1 s for members after a join or leave: 6 s, Kafka's minimum.
            "--kafka-config", "consumer.session.timeout.ms=6000,consumer.heartbeat.interval.ms=500",
            "--partitions", Partitions.ToString(CultureInfo.InvariantCulture),
            "--store", "postgres", "--pg", _connectionString, "--pg-schema", _schema]);

    private LambdaProcess Speed() => Lambda("speed", "--consumer-group", _group, "--workers", "1");

    private async Task<string> AdminKeyAsync()
    {
        using var keys = Lambda("keys", "create", "--admin");
        Assert.Equal(0, await keys.WaitForExitAsync(120));
        return Assert.Single(keys.Output).Trim();
    }

    private static async Task WaitForErrorLineAsync(LambdaProcess process, Func<string, bool> match, string what, int seconds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!process.Errors.Any(match))
        {
            Assert.False(process.HasExited, $"lambda exited before logging {what}; stderr:\n{string.Join('\n', process.Errors.TakeLast(30))}");
            Assert.True(DateTime.UtcNow < deadline, $"no {what} logged within {seconds} s; stderr:\n{string.Join('\n', process.Errors.TakeLast(30))}");
            await Task.Delay(200);
        }
    }
}
