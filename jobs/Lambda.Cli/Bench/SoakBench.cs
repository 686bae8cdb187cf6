using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Lambda.Store.Sqlite;

namespace Lambda.Cli.Bench;

/// <summary>
/// `lambda bench soak`: the all-in-one host (`lambda run --demo`, a child process) under live traffic at
/// a fixed open-loop rate, with queries against its API all along. Every sample interval a CSV row
/// records the host's RSS and GC heap (which it logs itself, see Hosting.ProcessStats), the speed
/// layer's lag and rate, and the queries' p50/p99 latency; at the end <see cref="SoakVerdict"/> checks that
/// they stayed flat. Exit code 1 if not.
/// </summary>
internal static partial class SoakBench
{
    public static async Task<int> RunAsync(long rate, TimeSpan duration, TimeSpan window, TimeSpan sample, string outPath, string? parent,
        TextWriter output, CancellationToken cancellationToken)
    {
        var dataDir = Directory.CreateDirectory(Path.Combine(parent ?? Path.GetTempPath(), $"lambda-soak-{Guid.NewGuid():N}")).FullName;
        var url = $"http://127.0.0.1:{FreePort()}";
        var stats = new ConcurrentQueue<string>();
        using var host = StartHost(dataDir, url, rate, sample, stats);
        try
        {
            var (key, campaign) = await WaitForAdvertiserKeyAsync(host, TimeSpan.FromMinutes(3), cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync($"soak: {rate} events/s for {duration} through lambda run ({dataDir}); querying campaign {campaign}").ConfigureAwait(false);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var queries = new ConcurrentQueue<(double Ms, bool Ok)>();
            var queryTask = QueryAsync(url, key, campaign, queries, stop.Token);
            var samples = new List<SoakSample>();
            await using var csv = new StreamWriter(outPath);
            await csv.WriteLineAsync(SoakSample.CsvHeader).ConfigureAwait(false);
            var clock = Stopwatch.StartNew();
            long processedBefore = 0;
            var lastAt = TimeSpan.Zero;
            using var timer = new PeriodicTimer(sample);
            while (clock.Elapsed < duration && await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                if (host.HasExited)
                {
                    throw new InvalidOperationException($"lambda run exited with code {host.ExitCode}");
                }

                var (lag, processed) = await SpeedStatusAsync(dataDir, cancellationToken).ConfigureAwait(false);
                var (rss, heap) = LatestStats(stats);
                var latencies = Drain(queries);
                var now = clock.Elapsed;
                var row = new SoakSample(now.TotalSeconds, rss, heap, lag, (processed - processedBefore) / (now - lastAt).TotalSeconds,
                    latencies.Count, latencies.Count(l => !l.Ok), Percentile(latencies, 0.5), Percentile(latencies, 0.99));
                processedBefore = processed;
                lastAt = now;
                samples.Add(row);
                await csv.WriteLineAsync(row.ToCsv()).ConfigureAwait(false);
                await csv.FlushAsync(cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync(row.ToCsv()).ConfigureAwait(false);
            }

            await stop.CancelAsync().ConfigureAwait(false);
            await queryTask.ConfigureAwait(false);
            var problems = SoakVerdict.Problems(samples, window, rate);
            await output.WriteLineAsync(problems.Count == 0
                ? $"soak: flat (memory and p99 within {SoakVerdict.Tolerance:P0} of the first stable window, lag under {SoakVerdict.MaxLagSeconds} s of input); CSV in {outPath}"
                : $"soak: NOT flat: {string.Join("; ", problems)}; CSV in {outPath}").ConfigureAwait(false);
            return problems.Count == 0 ? 0 : 1;
        }
        finally
        {
            await StopAsync(host).ConfigureAwait(false);
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static Process StartHost(string dataDir, string url, long rate, TimeSpan sample, ConcurrentQueue<string> stats)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(SoakBench).Assembly.Location);
        }

        foreach (var arg in new[] { "run", "--demo", "--data-dir", dataDir, "--urls", url })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["LAMBDA_LOG_FORMAT"] = "text";
        start.Environment["LAMBDA_STATS_INTERVAL"] = ((int)Math.Max(1, sample.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        // Live traffic only: event time follows the clock from now, at the soak's rate.
        start.Environment["LAMBDA_DEMO_START"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        start.Environment["LAMBDA_DEMO_RATE"] = rate.ToString(CultureInfo.InvariantCulture);
        start.Environment["LAMBDA_DEMO_CAMPAIGNS"] = "100";
        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.Contains("[7100]", StringComparison.Ordinal))
            {
                stats.Enqueue(line);
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

    private static async Task QueryAsync(string url, string key, string campaign, ConcurrentQueue<(double, bool)> results, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = DateTime.UtcNow;
            var query = $"/v1/campaigns/{campaign}/metrics?granularity=minute&from={Iso(now.AddHours(-1))}&to={Iso(now.AddMinutes(1))}";
            var watch = Stopwatch.StartNew();
            try
            {
                using var response = await http.GetAsync(query, cancellationToken).ConfigureAwait(false);
                _ = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                results.Enqueue((watch.Elapsed.TotalMilliseconds, response.StatusCode == HttpStatusCode.OK));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException)
            {
                results.Enqueue((watch.Elapsed.TotalMilliseconds, false));
            }

            try
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task<(long Lag, long Processed)> SpeedStatusAsync(string dataDir, CancellationToken cancellationToken)
    {
        await using var store = new SqliteViewStore(Path.Combine(dataDir, "views.db"));
        var status = await store.ListPartitionStatusAsync(cancellationToken).ConfigureAwait(false);
        return (status.Sum(s => s.Lag), status.Sum(s => s.Processed));
    }

    private static (long Rss, long Heap) LatestStats(ConcurrentQueue<string> stats)
    {
        string? latest = null;
        while (stats.TryDequeue(out var line))
        {
            latest = line;
        }

        if (latest is null || StatsLine().Match(latest) is not { Success: true } m)
        {
            return (0, 0);
        }

        return (long.Parse(m.Groups["rss"].Value, CultureInfo.InvariantCulture), long.Parse(m.Groups["heap"].Value, CultureInfo.InvariantCulture));
    }

    private static List<(double Ms, bool Ok)> Drain(ConcurrentQueue<(double Ms, bool Ok)> queue)
    {
        var list = new List<(double, bool)>();
        while (queue.TryDequeue(out var item))
        {
            list.Add(item);
        }

        return list;
    }

    private static double Percentile(List<(double Ms, bool Ok)> latencies, double quantile)
    {
        if (latencies.Count == 0)
        {
            return 0;
        }

        var sorted = latencies.Select(l => l.Ms).Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];
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

    [GeneratedRegex(@"rss_bytes=(?<rss>\d+) gc_heap_bytes=(?<heap>\d+)")]
    private static partial Regex StatsLine();
}
