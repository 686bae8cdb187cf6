using System.Globalization;
using Lambda.Store.Sqlite;

namespace Lambda.Cli.Tests.Chaos;

/// <summary>
/// Runs `lambda run --demo` over one data directory with a bounded, deterministic stream and kills it
/// with kill -9 again and again, each time aimed at a phase (append, checkpoint, flush, archive,
/// recompute: the host logs a line when each starts) plus a random delay; then starts it once more,
/// lets the stream complete and the speed layer catch up, and stops it cleanly. The archive and
/// recompute run every few seconds (cron) so that kills land inside them.
/// </summary>
internal sealed class ChaosRun(string dataDir, ChaosSettings settings, Action<string> say)
{
    private readonly Random _random = new(20261122);

    public List<ChaosKill> Kills { get; } = [];

    /// <summary>Event time of the first record: midnight two days ago, so every day of the stream is complete for the batch layer.</summary>
    public DateTimeOffset StreamStart { get; } = new(DateTime.UtcNow.Date.AddDays(-2), TimeSpan.Zero);

    public async Task KillRepeatedlyAsync()
    {
        for (var k = 1; k <= settings.Kills; k++)
        {
            var phase = ChaosPhase.All[(k - 1) % ChaosPhase.All.Count];
            using var host = Start();
            var started = DateTime.UtcNow;
            var seen = await WaitForMarkerAsync(host, phase.StartMarker, 0, TimeSpan.FromSeconds(60));
            var delay = _random.Next(0, phase.MaxDelayMs + 1);
            await Task.Delay(delay);
            Assert.False(host.HasExited, $"lambda run exited by itself before kill {k}; stderr:\n{Tail(host)}");
            var linesAtKill = host.Errors.ToArray();
            await host.KillAsync();
            bool? inside = phase.EndMarker is null || seen < 0
                ? null
                : !linesAtKill.Skip(seen + 1).Any(l => l.Contains(phase.EndMarker, StringComparison.Ordinal));
            var kill = new ChaosKill(k, phase, seen >= 0, inside, delay, (DateTime.UtcNow - started).TotalSeconds);
            if (seen < 0)
            {
                say($"  no '{phase.StartMarker}' line; the jobs said:\n  " + string.Join("\n  ", linesAtKill.Where(IsJobLine).TakeLast(12)));
            }

            Kills.Add(kill);
            say($"kill {k}: {phase.Name} (line seen: {kill.PhaseSeen}, inside: {inside?.ToString() ?? "?"}, +{delay} ms, up {kill.UptimeSeconds:F1} s)");
        }
    }

    /// <summary>The last start: waits for the stream to complete and the speed layer to process <paramref name="records"/>, then Ctrl-C.</summary>
    public async Task FinishCleanlyAsync(long records)
    {
        using var host = Start();
        await host.WaitForLineAsync("demo: stream complete", 600);
        if (!await WaitForStdoutAsync(host, "demo: batch view", TimeSpan.FromMinutes(5)))
        {
            Assert.Fail("the demo's recompute did not end within 5 minutes; the jobs said:\n" + string.Join('\n', host.Errors.Where(IsJobLine).TakeLast(40)));
        }

        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (await ProcessedAsync() < records)
        {
            Assert.False(host.HasExited, $"lambda run exited during the final run; stderr:\n{Tail(host)}");
            Assert.True(DateTime.UtcNow < deadline, $"the speed layer did not catch up: {await ProcessedAsync()} of {records} records");
            await Task.Delay(250);
        }

        Assert.Equal(0, await host.StopAsync(120));
        Assert.Contains(host.Errors, l => l.Contains("stopped cleanly", StringComparison.Ordinal));
    }

    private LambdaProcess Start()
    {
        var environment = new Dictionary<string, string>
        {
            ["LAMBDA_LOG_LEVEL"] = "Debug",
            ["LAMBDA_DEMO_START"] = StreamStart.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["LAMBDA_DEMO_RATE"] = "20",
            ["LAMBDA_DEMO_CAMPAIGNS"] = "20",
            ["LAMBDA_DEMO_SEED"] = "7",
            ["LAMBDA_DEMO_DURATION"] = settings.Duration.ToString("c", CultureInfo.InvariantCulture),
            ["LAMBDA_DEMO_SEND_RATE"] = settings.SendRate.ToString(CultureInfo.InvariantCulture),
        };
        return new LambdaProcess(environment,
            "run", "--demo", "--data-dir", dataDir, "--urls", $"http://127.0.0.1:{SplitApi.FreePort()}", "--partitions", "2",
            "--workers", "2", "--flush-interval", "00:00:00.200", "--checkpoint-interval", "00:00:01",
            "--archive-cron", "0/3 * * * * ?", "--recompute-cron", "1/7 * * * * ?",
            // Speed rows must outlive the run: the comparison reads them all.
            "--retention-grace", "30.00:00:00", "--batch-threads", "1");
    }

    /// <summary>Index of the first stderr line at or after <paramref name="from"/> holding <paramref name="marker"/>, or -1 on timeout.</summary>
    private static async Task<int> WaitForMarkerAsync(LambdaProcess host, string marker, int from, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var scanned = from;
        while (DateTime.UtcNow < deadline && !host.HasExited)
        {
            var index = 0;
            foreach (var line in host.Errors)
            {
                if (index++ >= scanned && line.Contains(marker, StringComparison.Ordinal))
                {
                    return index - 1;
                }
            }

            scanned = index;
            await Task.Delay(2);
        }

        return -1;
    }

    private static async Task<bool> WaitForStdoutAsync(LambdaProcess host, string prefix, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!host.Output.Any(l => l.StartsWith(prefix, StringComparison.Ordinal)))
        {
            if (DateTime.UtcNow > deadline || host.HasExited)
            {
                return false;
            }

            await Task.Delay(250);
        }

        return true;
    }

    private async Task<long> ProcessedAsync()
    {
        await using var store = new SqliteViewStore(Path.Combine(dataDir, "views.db"));
        await store.InitializeAsync();
        return (await store.ListPartitionStatusAsync()).Sum(s => s.Processed);
    }

    private static bool IsJobLine(string line) =>
        line.Contains("Lambda.Jobs", StringComparison.Ordinal) || line.Contains("Lambda.Batch", StringComparison.Ordinal)
        || line.Contains("fail", StringComparison.Ordinal) || line.Contains("crit", StringComparison.Ordinal);

    private static string Tail(LambdaProcess host) => string.Join('\n', host.Errors.TakeLast(40));
}
