using System.Net;
using Lambda.Tests.Shared;
using Xunit.Abstractions;

namespace Lambda.Cli.Tests.KafkaFaults;

/// <summary>
/// Faults of a real 3-broker Kafka cluster (replication 3, min.insync.replicas 2, acks=all with
/// idempotence) under the running platform, each ending with the speed and batch views compared with
/// the generator's oracle (<see cref="OracleViews"/>). Each test starts its own cluster, so the shared
/// one stays intact. The broker kill runs in every CI run; the whole-cluster outage needs LAMBDA_LONG_TESTS=1.
/// </summary>
public sealed class KafkaFaultTests(ITestOutputHelper output) : IDisposable
{
    private const int Events = 30_000;
    private readonly TempDirectory _dataDir = new();

    public void Dispose() => _dataDir.Dispose();

    [SkippableFact]
    public async Task killing_the_busiest_leader_during_ingest_and_consumption_loses_no_acknowledged_event_and_counts_none_twice()
    {
        using var cluster = PrivateKafkaCluster.Start();
        using var run = new KafkaFaultRun(cluster, _dataDir.Path);

        // `lambda ingest -` is fed half its lines, which flow to the brokers and on to the speed layer
        // (librdkafka sends as it goes; the flush comes at the end), then the broker leading most
        // partitions is killed with SIGKILL and the other half follows: the ingest is mid-stream.
        var (speed, serve, ingest) = await run.StartMidStreamAsync(Events, serve: true);
        var (streamed, posted) = (run.Lines[..20_000], run.Lines[20_000..]);
        var killed = cluster.BusiestLeader();
        cluster.Broker("kill", killed);
        output.WriteLine($"killed broker {killed} with {await run.Views.ProcessedAsync()} records processed");
        await KafkaFaultRun.StreamAsync(ingest, streamed[10_000..]);
        ingest.Input.Close();
        Assert.True(await ingest.WaitForExitAsync(300) == 0, string.Join('\n', ingest.Errors.TakeLast(20)));
        Assert.Contains(ingest.Output, l => l.StartsWith($"accepted {streamed.Length}, rejected 0", StringComparison.Ordinal));

        // The rest through the API while the broker is still dead: two replicas remain, enough for min.insync.replicas 2.
        await run.PostAllAsync(posted, 200);

        await run.WaitForProcessedAsync(run.Lines.Length, speed, 300);
        Assert.Equal(0, await serve!.StopAsync(60));
        Assert.Equal(0, await speed.StopAsync(120));
        await run.ArchiveAndRecomputeAsync();

        await run.Views.AssertLogHoldsEachRecordOnceAsync(cluster.Bootstrap);
        var batchRows = await run.Views.AssertBatchEqualsOracleAsync();
        var speedRows = await run.Views.AssertSpeedEqualsOracleAsync();
        output.WriteLine($"{run.Lines.Length} records; batch {batchRows} rows and speed {speedRows} rows equal to the oracle");
    }

    [SkippableFact]
    public async Task a_burst_spanning_minutes_of_event_time_ingested_at_once_into_a_running_speed_layer_counts_like_the_oracle()
    {
        // The 30,000 records span 25 minutes of event time and reach the brokers within a second or
        // two. Each topic's partition has its own leader, so views and clicks can be appended before the
        // served records they follow; the speed layer must not let them move the watermark past those
        // served records (it once did: the first minute came out short, counted late).
        using var cluster = PrivateKafkaCluster.Start();
        using var run = new KafkaFaultRun(cluster, _dataDir.Path);
        await run.GenerateAsync(Events, eventRate: 20);
        await run.IngestAsync([]);
        var speed = await run.StartSpeedAsync();

        await run.IngestAsync(run.Lines);

        await run.WaitForProcessedAsync(run.Lines.Length, speed, 300);
        Assert.Equal(0, await speed.StopAsync(120));
        await run.Views.AssertLogHoldsEachRecordOnceAsync(cluster.Bootstrap);
        var speedRows = await run.Views.AssertSpeedEqualsOracleAsync();
        output.WriteLine($"{run.Lines.Length} records in one burst; speed {speedRows} rows equal to the oracle");
    }

    [SkippableFact]
    public async Task speed_and_serve_ride_out_every_broker_stopped_for_20_seconds_and_the_views_equal_the_oracle()
    {
        Skip.IfNot(Environment.GetEnvironmentVariable("LAMBDA_LONG_TESTS") == "1", "a long test: set LAMBDA_LONG_TESTS=1");
        using var cluster = PrivateKafkaCluster.Start();
        using var run = new KafkaFaultRun(cluster, _dataDir.Path);
        await run.GenerateAsync(Events);
        var (first, refused, rest) = (run.Lines[..10_000], run.Lines[10_000..10_200], run.Lines[10_200..]);
        await run.IngestAsync([]);
        // Timeouts of 5 s, so that the 20 s outage outlasts every request and delivery of both processes.
        var speed = await run.StartSpeedAsync("--kafka-timeout", "5s");
        var serve = await run.StartServeAsync("--kafka-timeout", "5s");
        var before = run.StartStreamingIngest(); // disposed by the run
        await KafkaFaultRun.StreamAsync(before, first);
        before.Input.Close();
        Assert.Equal(0, await before.WaitForExitAsync(120));
        await run.WaitForProcessedAsync(first.Length, speed, 120);

        var stopped = DateTime.UtcNow;
        for (var b = 0; b < 3; b++)
        {
            cluster.Broker("stop", b);
        }

        // While no broker runs, a POST cannot be acknowledged: 503 with Retry-After, once the delivery timed out.
        using (var response = await run.PostAsync(refused))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "no Retry-After");
        }

        var outage = TimeSpan.FromSeconds(20) - (DateTime.UtcNow - stopped);
        if (outage > TimeSpan.Zero)
        {
            await Task.Delay(outage);
        }

        for (var b = 0; b < 3; b++)
        {
            cluster.Broker("start", b);
        }

        output.WriteLine($"all brokers down for {(DateTime.UtcNow - stopped).TotalSeconds:F0} s");
        Assert.False(speed.HasExited, "lambda speed stopped during the outage:\n" + string.Join('\n', speed.Errors.TakeLast(30)));
        Assert.Contains(speed.Errors, l => l.Contains("cannot reach the event log", StringComparison.Ordinal));

        // The refused request is sent again as Retry-After says, until the cluster acknowledges it (the
        // brokers need a few seconds before the partitions have two in-sync replicas again).
        var resent = await run.PostAllRetryingAsync(refused, refused.Length);

        var after = run.StartStreamingIngest();
        await KafkaFaultRun.StreamAsync(after, rest);
        after.Input.Close();
        Assert.True(await after.WaitForExitAsync(300) == 0, string.Join('\n', after.Errors.TakeLast(20)));
        await run.WaitForProcessedAsync(run.Lines.Length, speed, 300);
        Assert.Equal(0, await serve.StopAsync(60));
        Assert.Equal(0, await speed.StopAsync(120));
        await run.ArchiveAndRecomputeAsync();

        // A refused request may have been written in part before its delivery timed out: resent, its
        // events may sit in the log twice, and both layers must count them once (event ids).
        var batchRows = await run.Views.AssertBatchEqualsOracleAsync();
        var speedRows = await run.Views.AssertSpeedEqualsOracleAsync(resent);
        output.WriteLine($"{run.Lines.Length} records; {resent} events of the refused request sent again; batch {batchRows} rows and speed {speedRows} rows equal to the oracle");
    }

    [SkippableFact]
    public async Task pausing_the_busiest_leader_past_every_session_timeout_loses_no_acknowledged_event_and_counts_none_twice()
    {
        Skip.IfNot(Environment.GetEnvironmentVariable("LAMBDA_LONG_TESTS") == "1", "a long test: set LAMBDA_LONG_TESTS=1");
        using var cluster = PrivateKafkaCluster.Start();
        using var run = new KafkaFaultRun(cluster, _dataDir.Path);
        var (speed, serve, ingest) = await run.StartMidStreamAsync(Events, serve: true);
        var (streamed, posted) = (run.Lines[..20_000], run.Lines[20_000..]);

        // SIGSTOP: a hung broker, not a dead one. Its connections stay open and answer nothing, for 30 s: past
        // the broker's ZooKeeper session (6 s: its partitions get new leaders) and the consumers' session (10 s).
        var paused = cluster.BusiestLeader();
        cluster.Broker("pause", paused);
        var pausedAt = DateTime.UtcNow;
        output.WriteLine($"paused broker {paused} with {await run.Views.ProcessedAsync()} records processed");
        await KafkaFaultRun.StreamAsync(ingest, streamed[10_000..]);
        var resent = await run.PostAllRetryingAsync(posted[..2_000], 200);
        var pause = TimeSpan.FromSeconds(30) - (DateTime.UtcNow - pausedAt);
        if (pause > TimeSpan.Zero)
        {
            await Task.Delay(pause);
        }

        cluster.Broker("resume", paused);
        output.WriteLine($"broker {paused} resumed after {(DateTime.UtcNow - pausedAt).TotalSeconds:F0} s");
        ingest.Input.Close();
        Assert.True(await ingest.WaitForExitAsync(300) == 0, string.Join('\n', ingest.Errors.TakeLast(20)));
        Assert.Contains(ingest.Output, l => l.StartsWith($"accepted {streamed.Length}, rejected 0", StringComparison.Ordinal));
        resent += await run.PostAllRetryingAsync(posted[2_000..], 200);

        await EndAndCompareAsync(cluster, run, speed, serve!, resent);
    }

    [SkippableFact]
    public async Task killing_every_broker_mid_stream_and_restarting_the_cluster_loses_no_acknowledged_event_and_counts_none_twice()
    {
        Skip.IfNot(Environment.GetEnvironmentVariable("LAMBDA_LONG_TESTS") == "1", "a long test: set LAMBDA_LONG_TESTS=1");
        using var cluster = PrivateKafkaCluster.Start();
        using var run = new KafkaFaultRun(cluster, _dataDir.Path);
        var (speed, serve, before) = await run.StartMidStreamAsync(Events, serve: true, "--kafka-timeout", "5s");
        var (second, posted) = (run.Lines[10_000..20_000], run.Lines[20_000..]);
        before.Input.Close();
        Assert.Equal(0, await before.WaitForExitAsync(120));

        // SIGKILL to every broker at once, as a power cut would: no controlled shutdown, every log recovered on start.
        var killedAt = DateTime.UtcNow;
        for (var b = 0; b < 3; b++)
        {
            cluster.Broker("kill", b);
        }

        output.WriteLine($"killed every broker with {await run.Views.ProcessedAsync()} records processed");
        await Task.Delay(TimeSpan.FromSeconds(15));
        for (var b = 0; b < 3; b++)
        {
            cluster.Broker("start", b);
        }

        output.WriteLine($"cluster down for {(DateTime.UtcNow - killedAt).TotalSeconds:F0} s");
        var after = run.StartStreamingIngest();
        await KafkaFaultRun.StreamAsync(after, second);
        after.Input.Close();
        Assert.True(await after.WaitForExitAsync(300) == 0, string.Join('\n', after.Errors.TakeLast(20)));
        Assert.Contains(after.Output, l => l.StartsWith($"accepted {second.Length}, rejected 0", StringComparison.Ordinal));
        var resent = await run.PostAllRetryingAsync(posted, 200);
        Assert.False(speed.HasExited, "lambda speed stopped during the outage:\n" + string.Join('\n', speed.Errors.TakeLast(30)));

        await EndAndCompareAsync(cluster, run, speed, serve!, resent);
    }

    [SkippableFact]
    public async Task killing_a_speed_member_while_the_group_rebalances_loses_nothing_and_counts_nothing_twice()
    {
        Skip.IfNot(Environment.GetEnvironmentVariable("LAMBDA_LONG_TESTS") == "1", "a long test: set LAMBDA_LONG_TESTS=1");
        using var cluster = PrivateKafkaCluster.Start();
        using var run = new KafkaFaultRun(cluster, _dataDir.Path);
        var (first, _, ingest) = await run.StartMidStreamAsync(Events, serve: false);

        // A second member joins while traffic flows; the first is killed (SIGKILL) as soon as it logs that the
        // rebalance took its partitions away, before it can hand them over cleanly. The group waits for its
        // session (10 s) to expire and gives every partition to the second, which resumes from the checkpoints.
        var second = run.StartSpeedMember();
        var streaming = KafkaFaultRun.StreamAsync(ingest, run.Lines[10_000..20_000]);
        await KafkaFaultRun.WaitForErrorLineAsync(first, l => l.Contains(" revoked (lost:", StringComparison.Ordinal), 120);
        await first.KillAsync();
        output.WriteLine($"killed the first member during the rebalance with {await run.Views.ProcessedAsync()} records processed");
        await streaming;
        await KafkaFaultRun.StreamAsync(ingest, run.Lines[20_000..]);
        ingest.Input.Close();
        Assert.True(await ingest.WaitForExitAsync(300) == 0, string.Join('\n', ingest.Errors.TakeLast(20)));

        await run.WaitForProcessedAsync(run.Lines.Length, second, 300);
        Assert.Equal(0, await second.StopAsync(120));
        await run.ArchiveAndRecomputeAsync();
        await run.Views.AssertLogHoldsEachRecordOnceAsync(cluster.Bootstrap);
        var batchRows = await run.Views.AssertBatchEqualsOracleAsync();
        var speedRows = await run.Views.AssertSpeedEqualsOracleAsync();
        output.WriteLine($"{run.Lines.Length} records; batch {batchRows} rows and speed {speedRows} rows equal to the oracle");
    }

    /// <summary>Waits for the speed layer, stops both processes, archives, recomputes and compares both layers with the oracle.</summary>
    private async Task EndAndCompareAsync(PrivateKafkaCluster cluster, KafkaFaultRun run, LambdaProcess speed, LambdaProcess serve, long resent)
    {
        await run.WaitForProcessedAsync(run.Lines.Length, speed, 300);
        Assert.Equal(0, await serve.StopAsync(60));
        Assert.Equal(0, await speed.StopAsync(120));
        await run.ArchiveAndRecomputeAsync();
        if (resent == 0)
        {
            await run.Views.AssertLogHoldsEachRecordOnceAsync(cluster.Bootstrap);
        }

        var batchRows = await run.Views.AssertBatchEqualsOracleAsync();
        var speedRows = await run.Views.AssertSpeedEqualsOracleAsync(resent);
        output.WriteLine($"{run.Lines.Length} records ({resent} sent again after a 503); batch {batchRows} rows and speed {speedRows} rows equal to the oracle");
    }
}
