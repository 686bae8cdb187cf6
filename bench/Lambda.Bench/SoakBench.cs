using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Lambda.Store.Sqlite;

namespace Lambda.Bench;

/// <summary>
/// `lambda bench soak`: the all-in-one host (`lambda run --demo`, a child process) under live traffic at
/// a fixed open-loop rate, with queries against its API all along. Every sample interval a CSV row
/// records the host's RSS and GC heap (which it logs itself, see jobs/Lambda.Cli/Hosting/ProcessStats.cs), the speed
/// layer's lag and rate, and the queries' p50/p99 latency; at the end <see cref="SoakVerdict"/> checks that
/// they stayed flat. Exit code 1 if not. The host runs without its scheduler and with a log retention guarded by
/// the speed layer's group only, so the log's size (a CSV column) is bounded by the rate, not by the run's length;
/// the archive and recompute are measured by their own benchmarks (see docs/reliability.md).
/// </summary>
public static partial class SoakBench
{
    /// <summary>
    /// Runs the soak with <paramref name="lambda"/> as the host: the warm-up, then the judged part, checked by
    /// <see cref="SoakVerdict"/>; 0 if flat, 1 if not. The caller has checked the settings
    /// (<see cref="SoakSettings.Problem"/>, <see cref="DiskProblem"/>).
    /// </summary>
    public static async Task<int> RunAsync(SoakSettings settings, LambdaExecutable lambda, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(lambda);
        ArgumentNullException.ThrowIfNull(output);
        var parent = settings.Parent ?? Path.GetTempPath();
        var dataDir = Directory.CreateDirectory(Path.Combine(parent, $"lambda-soak-{Guid.NewGuid():N}")).FullName;
        var url = $"http://127.0.0.1:{FreePort()}";
        var stats = new ConcurrentQueue<string>();
        var hostLines = new ConcurrentQueue<string>();
        using var host = StartHost(lambda, dataDir, url, settings, stats, hostLines);
        try
        {
            var (key, campaign) = await WaitForAdvertiserKeyAsync(host, TimeSpan.FromMinutes(3), cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"soak: {settings.Rate} events/s for {settings.Warmup} of warm-up and {settings.Duration} judged, through lambda run ({dataDir}); {settings.QueriesPerSecond} queries/s on campaign {campaign}"))
                .ConfigureAwait(false);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var queries = new ConcurrentQueue<SoakQuery>();
            var clock = Stopwatch.StartNew();
            var queryTask = QueryAsync(url, key, campaign, settings.QueriesPerSecond, clock, queries, stop.Token);
            var samples = new List<SoakSample>();
            var allQueries = new List<SoakQuery>();
            await using var csv = new StreamWriter(settings.OutPath);
            await csv.WriteLineAsync(SoakSample.CsvHeader).ConfigureAwait(false);
            // Every line the host logs, with the soak's clock, and each slow query: to line spikes up with GC pauses, flushes and jobs.
            await using var hostLog = new StreamWriter(HostLogPath(settings.OutPath));
            long processedBefore = 0;
            var lastAt = TimeSpan.Zero;
            var total = settings.Warmup + settings.Duration;
            using var timer = new PeriodicTimer(settings.Sample);
            while (clock.Elapsed < total && await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                if (host.HasExited)
                {
                    throw new InvalidOperationException($"lambda run exited with code {host.ExitCode}");
                }

                var (lag, processed) = await SpeedStatusAsync(dataDir, cancellationToken).ConfigureAwait(false);
                var hostStats = HostStats.Parse(Latest(stats));
                var latencies = Drain(queries);
                allQueries.AddRange(latencies);
                var now = clock.Elapsed;
                await WriteHostLogAsync(hostLog, hostLines, latencies, now, cancellationToken).ConfigureAwait(false);
                var row = new SoakSample(now.TotalSeconds, (long)hostStats["rss_bytes"], (long)hostStats["gc_heap_bytes"], lag,
                    (processed - processedBefore) / (now - lastAt).TotalSeconds, latencies.Count, latencies.Count(l => !l.Ok),
                    SoakVerdict.Percentile(latencies.Select(l => l.Ms), 0.5), SoakVerdict.Percentile(latencies.Select(l => l.Ms), 0.99))
                {
                    LiveHeapBytes = (long)(hostStats["live_after_gen2_mb"] * 1048576),
                    GcPauseMaxMs = hostStats["gc_pause_max_ms"],
                    HostCpuCores = hostStats["cpu_cores"],
                    Windows = (long)hostStats["windows"],
                    DedupeIds = (long)hostStats["dedupe_ids"],
                    LogBytes = DirectoryBytes(Path.Combine(dataDir, "log")),
                };
                processedBefore = processed;
                lastAt = now;
                samples.Add(row);
                await csv.WriteLineAsync(row.ToCsv()).ConfigureAwait(false);
                await csv.FlushAsync(cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync(row.ToCsv()).ConfigureAwait(false);
            }

            await stop.CancelAsync().ConfigureAwait(false);
            await queryTask.ConfigureAwait(false);
            var problems = SoakVerdict.Problems(samples, allQueries, settings.Warmup, settings.Window, settings.Rate);
            await output.WriteLineAsync($"soak: {SoakVerdict.Summary(samples, allQueries, settings.Warmup, settings.Window)}").ConfigureAwait(false);
            await output.WriteLineAsync(problems.Count == 0
                ? $"soak: flat (RSS, live heap and pooled p99 within {SoakVerdict.Tolerance:P0} of the first window after the warm-up, lag under {SoakVerdict.MaxLagSeconds} s of input); CSV in {settings.OutPath}"
                : $"soak: NOT flat: {string.Join("; ", problems)}; CSV in {settings.OutPath}").ConfigureAwait(false);
            return problems.Count == 0 ? 0 : 1;
        }
        finally
        {
            await StopAsync(host).ConfigureAwait(false);
            Directory.Delete(dataDir, recursive: true);
        }
    }

    /// <summary>Where the host's log goes beside the CSV: soak.csv → soak.host.log.</summary>
    public static string HostLogPath(string outPath) => Path.ChangeExtension(outPath, ".host.log");

    /// <summary>Queries slower than this are listed in the host log with their send time.</summary>
    private const double SlowQueryMs = 100;

    private static async Task WriteHostLogAsync(StreamWriter hostLog, ConcurrentQueue<string> hostLines, List<SoakQuery> latencies, TimeSpan now,
        CancellationToken cancellationToken)
    {
        while (hostLines.TryDequeue(out var hostLine))
        {
            await hostLog.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"[t={now.TotalSeconds:F0}] {hostLine}")).ConfigureAwait(false);
        }

        foreach (var slow in latencies.Where(l => l.Ms >= SlowQueryMs))
        {
            await hostLog.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"[t={now.TotalSeconds:F0}] soak: slow query {slow.Ms:F0} ms, sent at t={slow.AtSeconds:F2} ({TimeProvider.System.GetUtcNow().UtcDateTime - (now - TimeSpan.FromSeconds(slow.AtSeconds)):HH:mm:ss.fff})"))
                .ConfigureAwait(false);
        }

        await hostLog.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Why the run cannot fit in <paramref name="parent"/>'s free space, or null if it can.</summary>
    public static string? DiskProblem(SoakSettings settings, string parent)
    {
        Directory.CreateDirectory(parent);
        var free = new DriveInfo(Path.GetFullPath(parent)).AvailableFreeSpace;
        var needed = settings.DiskBytesNeeded();
        return free >= needed ? null : string.Create(CultureInfo.InvariantCulture,
            $"soak: not enough disk in {parent}: the run needs about {needed / 1e9:F1} GB ({settings.Rate} events/s x {SoakSettings.LogBytesPerEvent} B x the {settings.LogRetention} log retention plus slack, x 1.5), {free / 1e9:F1} GB are free; use a shorter --log-retention, a lower --rate or another --dir");
    }

    /// <summary>Bytes of the files under <paramref name="directory"/> (segments vanish while it counts: retention).</summary>
    private static long DirectoryBytes(string directory)
    {
        long bytes = 0;
        var files = new DirectoryInfo(directory).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true });
        foreach (var file in files)
        {
            try
            {
                bytes += file.Length;
            }
            catch (FileNotFoundException)
            {
            }
        }

        return bytes;
    }

    private static Process StartHost(LambdaExecutable lambda, string dataDir, string url, SoakSettings settings, ConcurrentQueue<string> stats,
        ConcurrentQueue<string> hostLines)
    {
        // No scheduler (its archive and recompute have their own benchmarks), so the speed layer's group is the only guard.
        var start = lambda.StartInfo(["run", "--demo", "--no-scheduler", "--data-dir", dataDir, "--urls", url]);
        start.Environment["LAMBDA_LOG_FORMAT"] = "text";
        start.Environment["LAMBDA_STATS_INTERVAL"] = ((int)Math.Max(1, settings.Sample.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        start.Environment["LAMBDA_LOG_RETENTION"] = ((long)settings.LogRetention.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s";
        start.Environment["LAMBDA_LOG_RETENTION_GUARDS"] = new Speed.SpeedOptions().ConsumerGroup;
        start.Environment["LAMBDA_LOG_SEGMENT_MB"] = settings.LogSegmentMb.ToString(CultureInfo.InvariantCulture);
        // Live traffic only: event time follows the clock from now, at the soak's rate.
        start.Environment["LAMBDA_DEMO_START"] = TimeProvider.System.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        start.Environment["LAMBDA_DEMO_RATE"] = settings.Rate.ToString(CultureInfo.InvariantCulture);
        start.Environment["LAMBDA_DEMO_CAMPAIGNS"] = "100";
        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                hostLines.Enqueue(line);
                if (line.Contains("[7100]", StringComparison.Ordinal))
                {
                    stats.Enqueue(line);
                }
            }
        };
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<(string Key, string Campaign)> WaitForAdvertiserKeyAsync(Process host, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (await host.StandardOutput.ReadLineAsync(deadline.Token).ConfigureAwait(false) is { } line)
        {
            if (AdvertiserLine().Match(line) is { Success: true } m)
            {
                // Keep draining stdout so the host never blocks on a full pipe.
                _ = host.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
                return (m.Groups["key"].Value, m.Groups["campaign"].Value);
            }
        }

        throw new InvalidOperationException($"lambda run printed no advertiser key (exited: {host.HasExited})");
    }

    /// <summary>
    /// Queries at a fixed rate, open loop: each query is sent on its tick whatever the earlier ones are doing,
    /// so a stalled host shows as slow queries rather than as fewer queries (no coordinated omission).
    /// </summary>
    private static async Task QueryAsync(string url, string key, string campaign, double perSecond, Stopwatch clock, ConcurrentQueue<SoakQuery> results,
        CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var interval = TimeSpan.FromSeconds(1 / perSecond);
        var inFlight = new List<Task>();
        var sent = 0L;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                // An absolute schedule: a late tick sends what fell due at once.
                var due = interval * sent;
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed, cancellationToken).ConfigureAwait(false);
                }

                sent++;
                inFlight.RemoveAll(t => t.IsCompleted);
                inFlight.Add(QueryOnceAsync(http, campaign, clock, results, cancellationToken));
            }
        }
        catch (OperationCanceledException)
        {
        }

        await Task.WhenAll(inFlight).ConfigureAwait(false);
    }

    private static async Task QueryOnceAsync(HttpClient http, string campaign, Stopwatch clock, ConcurrentQueue<SoakQuery> results, CancellationToken cancellationToken)
    {
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var query = $"/v1/campaigns/{campaign}/metrics?granularity=minute&from={Iso(now.AddHours(-1))}&to={Iso(now.AddMinutes(1))}";
        var at = clock.Elapsed;
        try
        {
            using var response = await http.GetAsync(query, cancellationToken).ConfigureAwait(false);
            _ = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            results.Enqueue(new SoakQuery(at.TotalSeconds, (clock.Elapsed - at).TotalMilliseconds, response.StatusCode == HttpStatusCode.OK));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Cut off by the end of the run: not a result.
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            results.Enqueue(new SoakQuery(at.TotalSeconds, (clock.Elapsed - at).TotalMilliseconds, false));
        }
    }

    private static async Task<(long Lag, long Processed)> SpeedStatusAsync(string dataDir, CancellationToken cancellationToken)
    {
        await using var store = new SqliteViewStore(Path.Combine(dataDir, "views.db"));
        var status = await store.ListPartitionStatusAsync(cancellationToken).ConfigureAwait(false);
        return (status.Sum(s => s.Lag), status.Sum(s => s.Processed));
    }

    private static string? Latest(ConcurrentQueue<string> stats)
    {
        string? latest = null;
        while (stats.TryDequeue(out var line))
        {
            latest = line;
        }

        return latest;
    }

    private static List<SoakQuery> Drain(ConcurrentQueue<SoakQuery> queue)
    {
        var list = new List<SoakQuery>();
        while (queue.TryDequeue(out var item))
        {
            list.Add(item);
        }

        return list;
    }

    private static async Task StopAsync(Process host)
    {
        if (!host.HasExited)
        {
            using (var interrupt = Process.Start("kill", ["-INT", host.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await interrupt.WaitForExitAsync().ConfigureAwait(false);
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            try
            {
                await host.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                host.Kill(entireProcessTree: true);
            }
        }
    }

    private static string Iso(DateTime time) => time.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"demo: advertiser key (?<key>\S+) \(advertiser \S+, e\.g\. campaign (?<campaign>[^)]+)\)")]
    private static partial Regex AdvertiserLine();
}
