using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Lambda.SharedModel.Events;
using Lambda.Tests.Shared;

namespace Lambda.Cli.Tests.KafkaFaults;

/// <summary>
/// One fault run over a private 3-broker cluster: clean generated traffic (with its oracle) goes into
/// Kafka through `lambda ingest` and `POST /v1/events` of a `lambda serve`, a `lambda speed` consumes it
/// (a SQLite view store in the run's data directory), and the run ends with the archive, a full
/// recompute and the views compared with the oracle in both layers (<see cref="OracleViews"/>).
/// The test stages the fault between these steps.
/// </summary>
internal sealed class KafkaFaultRun(PrivateKafkaCluster cluster, string dataDir) : IDisposable
{
    private const int Partitions = 4;
    private readonly List<LambdaProcess> _children = [];
    private HttpClient? _http;

    public string[] Lines { get; private set; } = [];

    public OracleViews Views { get; private set; } = null!;

    /// <summary>`lambda generate --clean --oracle` to a file: <paramref name="events"/> records in the first hour of the day before yesterday (a complete day for the batch layer).</summary>
    public async Task GenerateAsync(int events, int eventRate = EventRate)
    {
        var file = Path.Combine(dataDir, "events.jsonl");
        var oracle = Path.Combine(dataDir, "oracle.csv");
        var start = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-2), TimeSpan.Zero);
        var generated = await CliRunner.RunAsync("generate", "--out", file, "--oracle", oracle, "--clean", "--seed", "11",
            "--campaigns", "10", "--users", "2000", "--events", events.ToString(CultureInfo.InvariantCulture),
            "--event-rate", eventRate.ToString(CultureInfo.InvariantCulture), "--start", start.ToString("O", CultureInfo.InvariantCulture));
        Assert.True(generated.ExitCode == 0, generated.Error);
        Lines = await File.ReadAllLinesAsync(file);
        var byTopic = Lines.GroupBy(l => JsonDocument.Parse(l).RootElement.GetProperty("type").GetString() switch
        {
            "served" => Topics.Served,
            "view" => Topics.Views,
            "click" => Topics.Clicks,
            var other => throw new InvalidDataException($"generated line of type {other}"),
        }).ToDictionary(g => g.Key, g => (long)g.Count());
        Views = new OracleViews(dataDir, oracle, byTopic);
    }

    /// <summary>
    /// The platform mid-stream, ready for a fault: <paramref name="events"/> generated, the topics created,
    /// `lambda speed` (and `lambda serve` if <paramref name="serve"/>) running with <paramref name="extra"/>,
    /// and the first 10,000 lines streamed through a `lambda ingest -` that stays open, until the speed layer
    /// has processed some of them.
    /// </summary>
    public async Task<MidStream> StartMidStreamAsync(int events, bool serve, params string[] extra)
    {
        await GenerateAsync(events);
        await IngestAsync([]);
        var speed = await StartSpeedAsync(extra);
        var server = serve ? await StartServeAsync(extra) : null;
        var ingest = StartStreamingIngest(); // disposed by the run
        await StreamAsync(ingest, Lines[..10_000]);
        await WaitForProcessedAsync(1, speed, 120);
        return new MidStream(speed, server, ingest);
    }

    /// <summary>`lambda ingest` of a file holding <paramref name="lines"/> at once; every line must be accepted (none: the topics are created).</summary>
    public async Task IngestAsync(IEnumerable<string> lines)
    {
        var file = Path.Combine(dataDir, $"part-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllLinesAsync(file, lines);
        using var ingest = Lambda("ingest", file);
        Assert.True(await ingest.WaitForExitAsync(300) == 0, string.Join('\n', ingest.Errors.TakeLast(20)));
        Assert.Contains(ingest.Output, l => l.StartsWith($"accepted {File.ReadLines(file).Count()}, rejected 0", StringComparison.Ordinal));
    }

    /// <summary>`lambda ingest -`: lines are written to its standard input by <see cref="StreamAsync"/>.</summary>
    public LambdaProcess StartStreamingIngest() => Track(LambdaProcess.WithInput(["ingest", "-", .. Common()]));

    /// <summary>
    /// Writes <paramref name="lines"/> to a streaming ingest at <see cref="LinesPerSecond"/>: 3 × the
    /// traffic's event rate, so event time runs about as fast as the wall clock, as in live traffic, and
    /// a fault staged between two calls falls mid-stream. (A burst is tested apart.)
    /// </summary>
    public static async Task StreamAsync(LambdaProcess ingest, IReadOnlyList<string> lines)
    {
        const int Chunk = 100;
        var started = DateTime.UtcNow;
        for (var i = 0; i < lines.Count; i += Chunk)
        {
            var due = started + TimeSpan.FromSeconds((double)i / LinesPerSecond);
            if (due > DateTime.UtcNow)
            {
                await Task.Delay(due - DateTime.UtcNow);
            }

            foreach (var line in lines.Skip(i).Take(Chunk))
            {
                await ingest.Input.WriteLineAsync(line);
            }

            await ingest.Input.FlushAsync();
        }
    }

    private const int EventRate = 200;
    private const int LinesPerSecond = 3 * EventRate;

    /// <summary>`lambda speed` in a consumer group, its session short so that a lost member is noticed in seconds.</summary>
    public async Task<LambdaProcess> StartSpeedAsync(params string[] extra)
    {
        var speed = StartSpeedMember(extra);
        await WaitForErrorLineAsync(speed, l => l.Contains("assigned to this process", StringComparison.Ordinal) && !l.Contains("Partitions [] ", StringComparison.Ordinal), 180);
        return speed;
    }

    /// <summary>`lambda serve` and an admin key for `POST /v1/events`.</summary>
    public async Task<LambdaProcess> StartServeAsync(params string[] extra)
    {
        using var keys = Lambda("keys", "create", "--admin");
        Assert.Equal(0, await keys.WaitForExitAsync(120));
        var url = $"http://127.0.0.1:{SplitApi.FreePort()}";
        var serve = Track(Lambda(["serve", "--urls", url, .. extra]));
        await serve.WaitForLineAsync("serving on", 120);
        _http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(2) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Assert.Single(keys.Output).Trim());
        return serve;
    }

    /// <summary>One `POST /v1/events` of <paramref name="lines"/> as a JSON array.</summary>
    public async Task<HttpResponseMessage> PostAsync(IEnumerable<string> lines)
    {
        var body = "[" + string.Join(",", lines) + "]";
        return await _http!.PostAsync("/v1/events", new StringContent(body, Encoding.UTF8, "application/json"));
    }

    /// <summary>Posts <paramref name="lines"/> in requests of <paramref name="perRequest"/>; every one must be accepted (202).</summary>
    public async Task PostAllAsync(IReadOnlyList<string> lines, int perRequest)
    {
        for (var i = 0; i < lines.Count; i += perRequest)
        {
            using var response = await PostAsync(lines.Skip(i).Take(perRequest));
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST of lines {i}.. answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>
    /// Posts <paramref name="lines"/> in requests of <paramref name="perRequest"/>, sending a refused request
    /// (503) again as its Retry-After says, for up to 3 minutes. Returns how many events were sent again: a
    /// refused request may have been written in part before its delivery timed out, so its resent events
    /// may sit in the log twice (both layers must count them once).
    /// </summary>
    public async Task<long> PostAllRetryingAsync(IReadOnlyList<string> lines, int perRequest)
    {
        long resent = 0;
        for (var i = 0; i < lines.Count; i += perRequest)
        {
            var request = lines.Skip(i).Take(perRequest).ToList();
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (true)
            {
                using var response = await PostAsync(request);
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    break;
                }

                Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable && DateTime.UtcNow < deadline,
                    $"POST of lines {i}.. answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                resent += request.Count;
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
            }
        }

        return resent;
    }

    /// <summary>`lambda speed` in the run's consumer group, without waiting for an assignment.</summary>
    public LambdaProcess StartSpeedMember(params string[] extra) =>
        Track(Lambda(["speed", "--consumer-group", "faults", "--workers", "1", .. extra]));

    /// <summary>Waits until the speed layer has processed <paramref name="records"/> records.</summary>
    public async Task WaitForProcessedAsync(long records, LambdaProcess speed, int seconds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        long processed;
        while ((processed = await Views.ProcessedAsync()) < records)
        {
            Assert.False(speed.HasExited, $"lambda speed exited; stderr:\n{string.Join('\n', speed.Errors.TakeLast(30))}");
            Assert.True(DateTime.UtcNow < deadline, $"the speed layer processed {processed} of {records} records within {seconds} s");
            await Task.Delay(250);
        }
    }

    /// <summary>Archives the Kafka log into the master dataset and recomputes every batch view from it.</summary>
    public async Task ArchiveAndRecomputeAsync()
    {
        var archive = await CliRunner.RunAsync(["archive", .. Common()]);
        Assert.True(archive.ExitCode == 0, archive.Output + archive.Error);
        var recompute = await CliRunner.RunAsync(["batch", "recompute", "--full", .. Common()]);
        Assert.True(recompute.ExitCode == 0, recompute.Output + recompute.Error);
    }

    public static async Task WaitForErrorLineAsync(LambdaProcess process, Func<string, bool> match, int seconds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!process.Errors.Any(match))
        {
            Assert.False(process.HasExited, $"lambda exited; stderr:\n{string.Join('\n', process.Errors.TakeLast(30))}");
            Assert.True(DateTime.UtcNow < deadline, $"the expected line was not logged within {seconds} s; stderr:\n{string.Join('\n', process.Errors.TakeLast(30))}");
            await Task.Delay(200);
        }
    }

    public void Dispose()
    {
        _http?.Dispose();
        foreach (var child in _children)
        {
            child.Dispose();
        }
    }

    private LambdaProcess Lambda(params string[] args) => new([.. args, .. Common()]);

    private string[] Common() =>
        ["--data-dir", dataDir, .. cluster.CliArguments(), "--partitions", Partitions.ToString(CultureInfo.InvariantCulture),
            // A member that vanished (its broker connection, or itself) is noticed within 10 s, not librdkafka's 45 s.
            "--kafka-config", "consumer.session.timeout.ms=10000,consumer.heartbeat.interval.ms=1000"];

    private LambdaProcess Track(LambdaProcess process)
    {
        _children.Add(process);
        return process;
    }
}

/// <summary>The processes of a run started by <see cref="KafkaFaultRun.StartMidStreamAsync"/>.</summary>
internal sealed record MidStream(LambdaProcess Speed, LambdaProcess? Serve, LambdaProcess Ingest);
