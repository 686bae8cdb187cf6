using System.Text.Json;
using Lambda.Generator;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Partitioning;

namespace Lambda.Batch.Tests.Recompute.Fixtures;

/// <summary>
/// Places records in a log as the real one would (partition by murmur2 of the ad id, offsets counting up
/// per topic-partition, log time never decreasing), without running one. Records come from the
/// generator's JSON, parsed with System.Text.Json.
/// </summary>
public sealed class SimulatedLog(int partitions = 4)
{
    private readonly Dictionary<(string Topic, int Partition), long> _next = [];
    private long _logTimeMs;

    public int Partitions { get; } = partitions;

    /// <summary>Appends one record at log time <paramref name="logTimeMs"/> (raised to the log's clock if earlier).</summary>
    public MasterRecord Append(AdEventRecord e, long logTimeMs)
    {
        var topic = Topics.ForKind(e.Kind);
        var partition = KafkaPartitioner.PartitionFor(System.Text.Encoding.UTF8.GetBytes(e.AdId), Partitions);
        var offset = _next.GetValueOrDefault((topic, partition));
        _next[(topic, partition)] = offset + 1;
        _logTimeMs = Math.Max(_logTimeMs, logTimeMs);
        return new MasterRecord(e, partition, offset, _logTimeMs);
    }

    /// <summary>Every record of a bounded generator run, logged at its arrival time.</summary>
    public List<MasterRecord> AppendGenerated(GeneratorOptions options, out TrafficGenerator generator)
    {
        generator = new TrafficGenerator(options);
        var batch = new GeneratedBatch(1000);
        var records = new List<MasterRecord>();
        while (generator.NextBatch(batch) > 0)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                records.Add(Append(Parse(batch.Kind(i), batch.Value(i)), batch.Event(i).ArrivalTimeMs));
            }
        }

        return records;
    }

    /// <summary>A wire JSON object as an event record.</summary>
    public static AdEventRecord Parse(EventKind kind, ReadOnlySpan<byte> json)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        var root = document.RootElement;
        string? Text(string name) => root.TryGetProperty(name, out var value) ? value.GetString() : null;
        return new AdEventRecord
        {
            Kind = kind,
            EventId = Text("event_id")!,
            AdId = Text("ad_id")!,
            CampaignId = Text("campaign_id"),
            AdvertiserId = Text("advertiser_id"),
            UserId = Text("user_id")!,
            Ip = Text("ip")!,
            UserAgent = Text("user_agent")!,
            Placement = Text("placement"),
            Score = root.TryGetProperty("score", out var score) ? score.GetDouble() : 0,
            CostMicros = root.TryGetProperty("cost_micros", out var cost) ? cost.GetInt64() : 0,
            EventTimeMs = root.GetProperty("event_time").GetInt64(),
        };
    }
}
