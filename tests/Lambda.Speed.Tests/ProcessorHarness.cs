using System.Text;
using Lambda.SharedModel.Bots;
using Lambda.SharedModel.Codec;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Log;
using Lambda.SharedModel.Sketches;
using Lambda.SharedModel.Views;
using Lambda.Speed.Processing;
using Lambda.Speed.State;

namespace Lambda.Speed.Tests;

/// <summary>
/// Feeds hand-made events to a <see cref="PartitionProcessor"/> as log records of partition 0
/// and reads back the rows it emits. Log time advances one millisecond per record unless given.
/// </summary>
internal sealed class ProcessorHarness
{
    public static readonly long T0 = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private readonly EventEncoder _encoder = new();
    private readonly RecordBatch _batch = new();
    private long _logTime = T0;
    private int _sequence;

    /// <param name="maxFutureSkew">
    /// The future-time bound; by default a day, because the harness's log clock runs from T0 one ms per
    /// record whatever event times a test picks. Tests of the bound give it, and move the log clock
    /// with <see cref="AdvanceLogTimeTo"/>.
    /// </param>
    public ProcessorHarness(SpeedOptions? options = null, BotRules? bots = null, TimeSpan? maxFutureSkew = null)
    {
        Options = options ?? new SpeedOptions();
        Options.MaxFutureSkew = maxFutureSkew ?? TimeSpan.FromDays(1);
        Processor = new PartitionProcessor(0, Options, bots ?? BotRules.Default, Owners, DeadLetters);
    }

    public SpeedOptions Options { get; }
    public CampaignOwners Owners { get; } = CampaignOwners.InProcess();
    public RecordingDeadLetters DeadLetters { get; } = new();
    public PartitionProcessor Processor { get; set; }

    /// <summary>Every row emitted so far, latest value per (campaign, bucket).</summary>
    public Dictionary<(string Campaign, long Bucket), SpeedViewRow> Rows { get; } = [];

    public void Served(string ad, string campaign, long eventTimeMs, string user = "u1", long cost = 1000,
        string? eventId = null, string ip = "10.0.0.1", string userAgent = "Mozilla/5.0", string advertiser = "adv-1")
    {
        Send(new AdEventRecord
        {
            Kind = EventKind.Served,
            EventId = eventId ?? NextId(),
            AdId = ad,
            CampaignId = campaign,
            AdvertiserId = advertiser,
            UserId = user,
            Ip = ip,
            UserAgent = userAgent,
            Placement = "top",
            Score = 0.5,
            CostMicros = cost,
            EventTimeMs = eventTimeMs,
        });
    }

    public void View(string ad, long eventTimeMs, string user = "u1", string? eventId = null, string ip = "10.0.0.1", string userAgent = "Mozilla/5.0") =>
        Send(Interaction(EventKind.View, ad, eventTimeMs, user, eventId, ip, userAgent));

    public void Click(string ad, long eventTimeMs, string user = "u1", string? eventId = null) =>
        Send(Interaction(EventKind.Click, ad, eventTimeMs, user, eventId, "10.0.0.1", "Mozilla/5.0"));

    /// <summary>Moves the log clock: the next record is appended at <paramref name="logTimeMs"/> (or later).</summary>
    public void AdvanceLogTimeTo(long logTimeMs) => _logTime = Math.Max(_logTime, logTimeMs - 1);

    /// <summary>
    /// Moves the log clock past the idle timeout, so that topics silent since (or without a record
    /// until) now stop holding the watermark: tests that feed one topic call it before the record
    /// meant to move the watermark.
    /// </summary>
    public void AfterIdleTimeout() => AdvanceLogTimeTo(_logTime + (long)Options.IdleTimeout.TotalMilliseconds + 2);

    public void Send(AdEventRecord record) => SendRaw((int)record.Kind, _encoder.Encode(record), Encoding.UTF8.GetBytes(record.AdId));

    /// <param name="headers">Encoded record headers, e.g. <c>RequestId.Headers(...)</c>.</param>
    public void SendRaw(int topic, byte[] value, byte[]? key = null, long? logTimeMs = null, byte[]? headers = null)
    {
        // Continue from the processor's own position, so a restored processor is fed like the original.
        _logTime = logTimeMs ?? Math.Max(_logTime, Processor.LogTimeMs) + 1;
        var offset = Processor.NextOffsets[topic];
        _batch.Reset(offset);
        _batch.Add(offset, _logTime, key ?? [], value, new RecordHeaders(headers));
        Processor.Process(topic, _batch[0]);
    }

    /// <summary>Counters-only rows collected so far (windows whose sketch was released).</summary>
    public int CountRowsCollected { get; private set; }

    /// <summary>
    /// Collects the processor's changed rows into <see cref="Rows"/>, as the view store keeps them: a
    /// counters-only row replaces the counters and keeps the stored sketch (an empty one if none).
    /// </summary>
    public void Flush()
    {
        var rows = new List<SpeedViewRow>();
        var countRows = new List<SpeedCountsRow>();
        Processor.CollectChanges(rows, countRows);
        foreach (var row in rows)
        {
            Rows[(row.CampaignId, row.BucketStartMs)] = row;
        }

        foreach (var row in countRows)
        {
            var sketch = Rows.TryGetValue((row.CampaignId, row.BucketStartMs), out var stored) ? stored.UniquesSketch : EmptySketch;
            Rows[(row.CampaignId, row.BucketStartMs)] = new SpeedViewRow(row.CampaignId, row.BucketStartMs, row.Partition, row.Counts, sketch, row.Final);
        }

        CountRowsCollected += countRows.Count;
    }

    private static readonly byte[] EmptySketch = new HyperLogLog().ToBytes();

    public MetricCounts Counts(string campaign, long bucket)
    {
        Flush();
        return Rows.TryGetValue((campaign, bucket), out var row) ? row.Counts : default;
    }

    public static long Minute(int n) => T0 + (n * 60_000L);

    private string NextId() => $"e-{++_sequence}";

    private AdEventRecord Interaction(EventKind kind, string ad, long eventTimeMs, string user, string? eventId, string ip, string userAgent) => new()
    {
        Kind = kind,
        EventId = eventId ?? NextId(),
        AdId = ad,
        UserId = user,
        Ip = ip,
        UserAgent = userAgent,
        EventTimeMs = eventTimeMs,
    };
}
