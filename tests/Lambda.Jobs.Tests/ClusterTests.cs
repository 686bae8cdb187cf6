using Lambda.SharedModel.Jobs;
using Npgsql;
using Quartz;

namespace Lambda.Jobs.Tests;

/// <summary>
/// Two schedulers on one PostgreSQL Quartz store (tables with a prefix of their own, dropped
/// afterwards): a job runs on one of them at a time. Skips without a server, fails when CI is set.
/// </summary>
public sealed class ClusterTests : IAsyncLifetime
{
    private const string DefaultConnectionString = "Host=127.0.0.1;Username=lambda;Password=lambda;Database=lambda_test";

    private readonly SchedulerTestBed _bed = new();
    private readonly string _connectionString =
        Environment.GetEnvironmentVariable("LAMBDA_PG") is { Length: > 0 } configured ? configured : DefaultConnectionString;
    private readonly string _prefix = "qrtz_" + Guid.NewGuid().ToString("N")[..8] + "_";
    private string? _unavailable;

    public async Task InitializeAsync()
    {
        await _bed.InitializeAsync();
        try
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_connectionString) { Timeout = 5 }.ConnectionString);
            await connection.OpenAsync();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            _unavailable = $"PostgreSQL is not reachable ({e.Message}); run infra/setup.d/postgres.sh";
        }
    }

    public async Task DisposeAsync()
    {
        await _bed.DisposeAsync();
        if (_unavailable is null)
        {
            await using var connection = new NpgsqlConnection(_connectionString);
            await connection.OpenAsync();
            await using var list = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE tablename LIKE $1", connection);
            list.Parameters.AddWithValue(_prefix + "%");
            var tables = new List<string>();
            await using (var reader = await list.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    tables.Add(reader.GetString(0));
                }
            }

            foreach (var table in tables)
            {
                await using var drop = new NpgsqlCommand($"DROP TABLE IF EXISTS \"{table}\" CASCADE", connection);
                await drop.ExecuteNonQueryAsync();
            }
        }
    }

    [SkippableFact]
    public async Task two_schedulers_on_one_store_never_run_the_same_job_at_once()
    {
        SkipUnlessAvailable();
        var batch = new RecordingBatch { Gated = true };
        var a = _bed.NewScheduler(Options("a"), batch);
        var b = _bed.NewScheduler(Options("b"), batch);
        await a.StartAsync(CancellationToken.None);
        await b.StartAsync(CancellationToken.None);

        await a.TriggerAsync(JobNames.Recompute, CancellationToken.None);
        await batch.WaitForStartAsync();

        // A second run asked of the other node is held back in the store while the first runs.
        var probe = new TriggerKey("probe", "test");
        await b.Quartz.ScheduleJob(TriggerBuilder.Create().WithIdentity(probe).ForJob(new JobKey(JobNames.Recompute, "lambda")).StartNow().Build());
        await SchedulerTestBed.UntilAsync(async () => await b.Quartz.GetTriggerState(probe) == TriggerState.Blocked);
        Assert.Equal(1, batch.MaxConcurrentRecomputes);

        batch.ReleaseOne();
        await batch.WaitForStartAsync();
        batch.ReleaseOne();
        await SchedulerTestBed.UntilAsync(async () => (await _bed.EndedRunsAsync(JobNames.Recompute)).Count == 2);

        Assert.Equal(1, batch.MaxConcurrentRecomputes);
        Assert.Equal(2, batch.Recomputes);
        var runs = await _bed.EndedRunsAsync(JobNames.Recompute);
        Assert.All(runs, r => Assert.Equal(JobOutcomes.Succeeded, r.Outcome));
        Assert.True(runs[1].StartedAt >= runs[0].EndedAt, "the second run started before the first ended");
    }

    private SchedulerOptions Options(string instance) => new()
    {
        Store = "postgres",
        ConnectionString = _connectionString,
        TablePrefix = _prefix,
        InstanceId = instance,
        RecomputeCron = SchedulerTestBed.Never,
        ArchiveCron = SchedulerTestBed.Never,
        RetentionCron = SchedulerTestBed.Never,
        RetryDelay = TimeSpan.Zero,
        IdleWait = TimeSpan.FromSeconds(1),
        ClusterCheckinInterval = TimeSpan.FromSeconds(5),
    };

    private void SkipUnlessAvailable()
    {
        if (_unavailable is null)
        {
            return;
        }

        var ci = Environment.GetEnvironmentVariable("CI");
        if (!string.IsNullOrEmpty(ci) && ci != "false" && ci != "0")
        {
            throw new InvalidOperationException($"{_unavailable} (CI is set, so this is a failure, not a skip)");
        }

        Skip.If(true, _unavailable);
    }
}
