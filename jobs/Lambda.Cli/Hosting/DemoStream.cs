using System.Text.Json;
using System.Text.Json.Serialization;
using Lambda.Generator;
using Lambda.SharedModel.IO;
using Lambda.SharedModel.Log;

namespace Lambda.Cli.Hosting;

/// <summary>
/// The demo's traffic stream, fixed at its first start in <c>&lt;data-dir&gt;/demo/stream.json</c>, so that
/// every later start (after Ctrl-C or a crash) continues the same stream: same seed, same event times,
/// same send schedule, from the log offsets where it began. Settings changed later do not alter a
/// stream that exists; delete the file (or the data directory) to start another.
/// </summary>
internal sealed record DemoStream
{
    public const string FileName = "stream.json";
    public const string OracleFileName = "oracle.csv";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public required ulong Seed { get; init; }
    public required int Campaigns { get; init; }
    public required long StartMs { get; init; }
    public required int EventsPerSecond { get; init; }
    public long? DurationMs { get; init; }
    /// <summary>Wall-clock instant slot 0 is due, and records per second from then on.</summary>
    public required long FirstDueMs { get; init; }
    public required long SendRate { get; init; }
    /// <summary>End offsets, "topic/partition", when the stream began: the log may hold other records before them.</summary>
    public required Dictionary<string, long> BaseOffsets { get; init; }

    [JsonIgnore]
    public bool IsBounded => DurationMs is not null;

    /// <summary>The stream's generator options; bounded streams compute their oracle.</summary>
    [JsonIgnore]
    public GeneratorOptions GeneratorOptions => new()
    {
        Seed = Seed,
        Campaigns = Campaigns,
        AdsPerCampaign = 5,
        Advertisers = Math.Max(1, Campaigns / 5),
        Users = 20_000,
        EventsPerSecond = EventsPerSecond,
        StartTime = DateTimeOffset.FromUnixTimeMilliseconds(StartMs),
        Duration = DurationMs is { } d ? TimeSpan.FromMilliseconds(d) : null,
        ComputeOracle = IsBounded,
    };

    [JsonIgnore]
    public IReadOnlyDictionary<TopicPartition, long> BaseOffsetsByPartition => BaseOffsets.ToDictionary(
        kv => new TopicPartition(kv.Key[..kv.Key.LastIndexOf('/')], int.Parse(kv.Key[(kv.Key.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture)),
        kv => kv.Value);

    /// <summary>The stream in <paramref name="directory"/>, or null if none was started there.</summary>
    public static DemoStream? TryRead(string directory)
    {
        var path = Path.Combine(directory, FileName);
        return File.Exists(path) ? JsonSerializer.Deserialize<DemoStream>(File.ReadAllBytes(path), Json) : null;
    }

    /// <summary>A new stream from <paramref name="settings"/>, beginning at the log's current ends; written before any record is sent.</summary>
    public static DemoStream Create(string directory, DemoSettings settings, DateTimeOffset now, IReadOnlyDictionary<TopicPartition, long> ends)
    {
        var start = settings.Start ?? now.AddDays(-settings.HistoryDays);
        var stream = new DemoStream
        {
            Seed = settings.Seed,
            Campaigns = settings.Campaigns,
            StartMs = start.ToUnixTimeMilliseconds(),
            EventsPerSecond = settings.EventsPerSecond,
            DurationMs = settings.Duration is { } d ? (long)d.TotalMilliseconds : null,
            // Without a send rate a record goes out when the clock reaches its slot's time: history at once, then live.
            FirstDueMs = settings.SendRate is null ? start.ToUnixTimeMilliseconds() : now.ToUnixTimeMilliseconds(),
            SendRate = settings.SendRate ?? settings.EventsPerSecond,
            BaseOffsets = ends.ToDictionary(kv => $"{kv.Key.Topic}/{kv.Key.Partition}", kv => kv.Value, StringComparer.Ordinal),
        };
        Directory.CreateDirectory(directory);
        DurableFiles.Replace(Path.Combine(directory, FileName), JsonSerializer.SerializeToUtf8Bytes(stream, Json));
        return stream;
    }
}
