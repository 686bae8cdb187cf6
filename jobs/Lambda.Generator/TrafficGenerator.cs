using Lambda.Generator.Json;
using Lambda.Generator.Oracle;
using Lambda.Generator.Randomness;
using Lambda.SharedModel.Events;

namespace Lambda.Generator;

/// <summary>
/// Deterministic ad traffic. Record n of the stream has the nominal arrival time
/// StartTime + n / EventsPerSecond; each new impression gets an event time a little before its arrival
/// (jitter), its views and clicks are scheduled at their own later event times, and duplicates, late
/// records, bots and views-before-served are injected at the configured rates. Output depends only on
/// the seed and options, never on batch sizes or pacing. Not thread-safe: one generator per producer.
/// </summary>
public sealed partial class TrafficGenerator
{
    private readonly TrafficCatalog _catalog;
    private readonly EventJsonWriter _json;
    private readonly AliasTable _campaignSampler;
    private readonly AliasTable _userSampler;
    private readonly PendingEvents _pending = new();
    private readonly long _startMs;
    private readonly long _rate;
    private readonly long _endSlot;
    private readonly ulong _viewChance;
    private readonly ulong _clickChance;
    private readonly ulong _botChance;
    private readonly ulong _duplicateChance;
    private readonly ulong _lateChance;
    private readonly ulong _beforeServedChance;
    private readonly long _jitterMs;
    private readonly long _latenessMs;
    private readonly long _viewDelayMs;
    private readonly long _clickDelayMs;
    private readonly long _duplicateDelaySlots;
    private Xoshiro256StarStar _rng;
    // The arrival slot of the next record: record times are StartTime + slot / EventsPerSecond.
    private long _slot;
    private long _emitted;
    private long _impressions;
    private int _ysbAnnounced;

    public TrafficGenerator(GeneratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _rng = new Xoshiro256StarStar(options.Seed);
        _catalog = new TrafficCatalog(options, ref _rng);
        _json = new EventJsonWriter(_catalog);
        _campaignSampler = AliasTable.Zipf(options.Campaigns, options.CampaignZipfExponent);
        _userSampler = AliasTable.Zipf(options.Users, options.UserZipfExponent);
        _startMs = options.StartTime.ToUnixTimeMilliseconds();
        _rate = options.EventsPerSecond;
        _endSlot = options.Duration is { } d ? (long)((Int128)d.Ticks * _rate / TimeSpan.TicksPerSecond) : long.MaxValue;
        _viewChance = Xoshiro256StarStar.Threshold(options.ViewRate);
        _clickChance = Xoshiro256StarStar.Threshold(options.ClickRate);
        _botChance = Xoshiro256StarStar.Threshold(options.BotShare);
        _duplicateChance = Xoshiro256StarStar.Threshold(options.DuplicateRate);
        _lateChance = Xoshiro256StarStar.Threshold(options.LateFraction);
        _beforeServedChance = Xoshiro256StarStar.Threshold(options.ViewsBeforeServedShare);
        _jitterMs = (long)options.Jitter.TotalMilliseconds;
        _latenessMs = (long)options.Lateness.TotalMilliseconds;
        _viewDelayMs = Math.Max(1, (long)options.MaxViewDelay.TotalMilliseconds);
        _clickDelayMs = Math.Max(1, (long)options.MaxClickDelay.TotalMilliseconds);
        _duplicateDelaySlots = SlotsFor((long)options.MaxDuplicateDelay.TotalMilliseconds);
        Oracle = options.ComputeOracle ? new TrafficOracle(_catalog) : null;
    }

    public GeneratorOptions Options { get; }

    /// <summary>The exact expected metrics of the records emitted so far; null unless <see cref="GeneratorOptions.ComputeOracle"/>.</summary>
    public TrafficOracle? Oracle { get; }

    /// <summary>Records emitted so far.</summary>
    public long Emitted => _emitted;

    /// <summary>Records scheduled but not yet emitted (views, clicks, duplicates, held-back served records).</summary>
    public int Pending => _pending.Count;

    /// <summary>True once a bounded run (<see cref="GeneratorOptions.Duration"/>) has emitted everything, pending records included.</summary>
    public bool IsCompleted => _slot >= _endSlot && _pending.Count == 0;

    /// <summary>Nominal arrival time of the record in slot <paramref name="sequence"/>, Unix epoch ms.</summary>
    public long ArrivalTimeMs(long sequence) => _startMs + (long)((Int128)sequence * 1000 / _rate);

    /// <summary>The slot of the record <see cref="TryNext(out GeneratedEvent)"/> would produce next; long.MaxValue when complete.</summary>
    internal long NextRecordSlot =>
        _slot < _endSlot ? _slot
        : _pending.TryPeekDue(out var due) ? Math.Max(_slot, due)
        : long.MaxValue;

    /// <summary>Produces the next record, or false when a bounded run is complete.</summary>
    public bool TryNext(out GeneratedEvent next) => TryNext(long.MaxValue, out next);

    /// <summary>As <see cref="TryNext(out GeneratedEvent)"/>, but produces nothing at or after <paramref name="slotLimit"/>.</summary>
    internal bool TryNext(long slotLimit, out GeneratedEvent next)
    {
        // While draining a bounded run, time skips ahead to the next pending record's due slot, so that
        // no record arrives before its event time.
        var n = NextRecordSlot;
        if (n >= slotLimit || !TryProduce(n, out var e))
        {
            next = default;
            return false;
        }

        var arrival = ArrivalTimeMs(n);
        // Late means "arrived Lateness or more after its event time", whatever the cause: an injected
        // delay, or a record held back behind a backlog or behind its views.
        e = e with { Sequence = n, ArrivalTimeMs = arrival, IsLate = e.IsLate || arrival - e.EventTimeMs >= _latenessMs };
        if (!e.IsDuplicate && _rng.Chance(_duplicateChance))
        {
            Schedule(e with { IsDuplicate = true }, n + 1 + _rng.NextLong(_duplicateDelaySlots + 1));
        }

        Oracle?.Record(e);
        _slot = n + 1;
        _emitted++;
        next = e;
        return true;
    }

    /// <summary>
    /// Fills <paramref name="batch"/> (after clearing it) with up to <paramref name="maxEvents"/> records
    /// (default: its capacity) as JSON values with their ad_id keys, and returns how many.
    /// </summary>
    public int NextBatch(GeneratedBatch batch, int maxEvents = int.MaxValue) => NextBatch(batch, maxEvents, long.MaxValue);

    /// <summary>As <see cref="NextBatch(GeneratedBatch, int)"/>, stopping before slot <paramref name="slotLimit"/>.</summary>
    internal int NextBatch(GeneratedBatch batch, int maxEvents, long slotLimit)
    {
        ArgumentNullException.ThrowIfNull(batch);
        batch.Reset(_catalog);
        var limit = Math.Min(maxEvents, batch.Capacity);
        while (batch.Count < limit && TryNext(slotLimit, out var e))
        {
            batch.Append(e, _json);
        }

        return batch.Count;
    }

    /// <summary>The records one by one, until a bounded run completes (endless otherwise).</summary>
    public IEnumerable<GeneratedEvent> Events()
    {
        while (TryNext(out var e))
        {
            yield return e;
        }
    }

    /// <summary>
    /// Writes <paramref name="e"/> as one JSON object into <paramref name="dest"/> (at least
    /// <see cref="MaxRecordBytes"/> long) and returns its length. With <paramref name="includeType"/> the
    /// object starts with "type": "served", "view" or "click", for mixed JSON Lines files.
    /// </summary>
    public int WriteJson(in GeneratedEvent e, Span<byte> dest, bool includeType = false) => _json.Write(e, includeType, dest);

    /// <summary>An upper bound on the JSON size of one record.</summary>
    public static int MaxRecordBytes => EventJsonWriter.MaxRecordBytes;

    /// <summary>The ad_id of ad <paramref name="adIndex"/> as UTF-8: the record key.</summary>
    public ReadOnlySpan<byte> AdKey(int adIndex) => _catalog.AdId(adIndex);

    /// <summary>The campaign_id of campaign <paramref name="campaignIndex"/>.</summary>
    public string CampaignId(int campaignIndex) => TrafficCatalog.Utf8String(_catalog.CampaignId(campaignIndex));

    private bool TryProduce(long n, out GeneratedEvent e)
    {
        var creating = n < _endSlot;
        while (true)
        {
            if (_pending.TryPeekDue(out var due) && (due <= n || !creating))
            {
                e = _pending.Take();
                return true;
            }

            if (!creating)
            {
                e = default;
                return false;
            }

            // A new impression may hold its served record back (views-before-served), and a YSB
            // purchase is dropped: then try again for this slot.
            if (Options.YsbMode ? TryCreateYsbEvent(n, out e) : TryCreateImpression(n, out e))
            {
                return true;
            }
        }
    }

    private void Schedule(in GeneratedEvent e, long dueSlot) => _pending.Add(e, dueSlot);

    /// <summary>The first slot whose arrival time is at or after <paramref name="timeMs"/>.</summary>
    private long SlotAt(long timeMs)
    {
        var offset = timeMs - _startMs;
        return offset <= 0 ? 0 : (long)(((Int128)offset * _rate + 999) / 1000);
    }

    private long SlotsFor(long ms) => (long)((Int128)ms * _rate / 1000);
}
