using Lambda.SharedModel.Bots;
using Lambda.SharedModel.Codec;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Log;
using Lambda.SharedModel.Sketches;
using Lambda.SharedModel.Time;
using Lambda.SharedModel.Views;
using Lambda.Speed.State;

namespace Lambda.Speed.Processing;

/// <summary>
/// The speed layer's logic for one partition: decode → bot filter → dedupe → project → join by
/// ad_id → per (campaign, minute) aggregation. Deterministic: the same records in the same order
/// give the same state and rows, which is what lets a restored checkpoint replay to identical views.
/// It does no I/O and takes no locks; one worker thread owns it.
/// </summary>
internal sealed partial class PartitionProcessor
{
    public const int TopicCount = 3;
    private const long MinuteMs = 60_000;

    private readonly SpeedOptions _options;
    private readonly BotRules _bots;
    private readonly BotFilter _botFilter;
    private readonly IDeadLetterSink _deadLetters;
    private readonly EventDecoder _decoder;
    private readonly CampaignOwners _owners;
    private readonly CampaignTable _campaigns;
    private readonly AdDirectory _ads = new();
    private readonly DedupeWindow _dedupe;
    private readonly PendingJoins _pending;
    private readonly EventTimeWatermark _watermark;
    private readonly Dictionary<WindowKey, CampaignWindow> _windows = [];
    private readonly List<WindowKey> _dirty = [];
    // Buckets with windows not yet final, and final buckets waiting for eviction, by bucket start.
    private readonly SortedDictionary<long, List<WindowKey>> _openBuckets = [];
    private readonly SortedDictionary<long, List<WindowKey>> _finalBuckets = [];
    private readonly long _retentionMs;
    private readonly long _joinHorizonMs;
    private readonly string[] _topics;
    private long _housekeptSlice = long.MinValue;

    /// <param name="owners">Who owns each campaign: the process's view of the store's owner pairs.</param>
    public PartitionProcessor(int partition, SpeedOptions options, BotRules bots, CampaignOwners owners, IDeadLetterSink deadLetters)
    {
        _owners = owners;
        _campaigns = new CampaignTable(owners);
        Partition = partition;
        _options = options;
        _bots = bots;
        _botFilter = new BotFilter(bots);
        _deadLetters = deadLetters;
        _decoder = new EventDecoder((long)options.MaxFutureSkew.TotalMilliseconds);
        _dedupe = new DedupeWindow(options.DedupeCapacity);
        _pending = new PendingJoins(options.JoinHorizon);
        _watermark = new EventTimeWatermark(TopicCount, options.AllowedLateness, options.IdleTimeout, options.MaxFutureSkew);
        _retentionMs = (long)options.WindowRetention.TotalMilliseconds;
        _joinHorizonMs = (long)options.JoinHorizon.TotalMilliseconds;
        _topics = [.. Topics.EventTopics];
    }

    public int Partition { get; }

    /// <summary>Next offset to process, per topic, in the order of <see cref="Topics.EventTopics"/>.</summary>
    public long[] NextOffsets { get; } = new long[TopicCount];

    public PartitionCounters Counters { get; } = new();

    public long WatermarkMs => _watermark.Current;

    public long LogTimeMs => _watermark.LogTimeMs;

    public int WindowCount => _windows.Count;

    public int AdCount => _ads.Count;

    public int PendingCount => _pending.Count;

    public int DedupeCount => _dedupe.Count;

    /// <summary>What the state holds (for watching memory; read racily from another thread).</summary>
    public SpeedStateSize StateSize =>
        new(_windows.Count, _windowSketches, _sketchBytes, _dedupe.Count, _dedupe.TableSlots, _pending.Count, _ads.Count);

    /// <summary>Processes one record of topic index <paramref name="topic"/> (0 served, 1 views, 2 clicks).</summary>
    public void Process(int topic, in LogRecord record)
    {
        NextOffsets[topic] = record.Offset + 1;
        Counters.Processed++;
        // Let the clock reach this record first: whether it is late must not depend on whether a
        // frontier advanced the clock before it arrived (a replay may not see the same frontiers).
        AdvanceLogTime(record.TimestampMs);
        var kind = (EventKind)topic;
        // The record's log time stands in for "now" so that the future-time check replays alike.
        var result = _decoder.Decode(kind, record.Value, record.TimestampMs, out var ev);
        if (!result.IsOk)
        {
            Counters.DeadLettered++;
            if (result.Reason == RejectReason.EventTimeInFuture)
            {
                Counters.FutureDated++;
            }

            _deadLetters.Reject(new TopicPartition(_topics[topic], Partition), record, result);
            return;
        }

        // The dedupe probe is a likely cache miss in a table of millions of ids: start it now and
        // let the ad lookup and the bot filter run while it loads.
        var eventKey = IdHash.EventKey(kind, ev.EventId);
        _dedupe.Prefetch(eventKey);
        var adHash = IdHash.Of128(ev.AdId);
        var campaign = kind == EventKind.Served ? ServedCampaign(ref ev, adHash) : _ads.Find(adHash);
        if (campaign == NotOwner)
        {
            // Like a record that does not decode: it touches no state, and the batch layer leaves it out.
            Counters.DeadLettered++;
            Counters.OwnerMismatched++;
            _deadLetters.Reject(new TopicPartition(_topics[topic], Partition), record,
                new DecodeResult(RejectReason.CampaignOwnerMismatch, EventFields.AdvertiserId));
            return;
        }

        _watermark.Observe(topic, ev.EventTimeMs, record.TimestampMs);
        Apply(kind, ref ev, eventKey, adHash, campaign);
        if (_watermark.Recompute())
        {
            OnWatermarkAdvanced();
        }
    }

    /// <summary>
    /// Moves the processing clock to a log time before which the log promises no further record,
    /// so idle topics stop holding the watermark back even with no new input.
    /// </summary>
    public void AdvanceLogTime(long logTimeMs)
    {
        _watermark.AdvanceLogTime(logTimeMs);
        if (_watermark.Recompute())
        {
            OnWatermarkAdvanced();
        }
    }

    /// <summary>What <see cref="ServedCampaign"/> returns for a record whose advertiser does not own its campaign.</summary>
    private const int NotOwner = -2;

    /// <summary>
    /// The campaign a served record counts for, learning its ad if new; <see cref="NotOwner"/> if the
    /// record names an advertiser that does not own the campaign (then nothing is learned).
    /// </summary>
    private int ServedCampaign(ref AdEvent ev, UInt128 adHash)
    {
        // Mostly a known ad of the campaign it names: one probe and a byte compare. Otherwise the
        // record's campaign counts, and only a new ad is learned.
        var known = _ads.Find(adHash);
        var sameCampaign = known >= 0 && _campaigns.HasId(known, ev.CampaignId);
        var campaign = sameCampaign ? known : _campaigns.GetOrAdd(ev.CampaignId, ev.AdvertiserId);
        if (!_campaigns.Accepts(campaign, ev.AdvertiserId))
        {
            return NotOwner;
        }

        if (known < 0)
        {
            _ads.Learn(adHash, campaign);
        }

        return campaign;
    }

    private void Apply(EventKind kind, ref AdEvent ev, ulong eventKey, UInt128 adHash, int campaign)
    {
        var bucket = TimeBucket.Floor(ev.EventTimeMs, Granularity.Minute).StartMs;
        if (_botFilter.IsBot(ev.Ip, ev.UserAgent))
        {
            Counters.BotFiltered++;
            if (campaign >= 0)
            {
                Touch(campaign, bucket).BotFiltered++;
            }

            return;
        }

        if (_dedupe.IsDuplicate(eventKey, ev.EventTimeMs, _watermark.Current))
        {
            Counters.Duplicates++;
            if (campaign >= 0)
            {
                Touch(campaign, bucket).Duplicates++;
            }

            return;
        }

        var userHash = UserHash.Of(ev.UserId);
        if (ev.EventTimeMs < _watermark.Current)
        {
            Counters.Late++;
            if (campaign >= 0 && TryTouchRetained(campaign, bucket, out var lateWindow))
            {
                lateWindow.Late++;
            }

            if (kind == EventKind.Served)
            {
                ReleasePending(adHash, campaign);
            }

            return;
        }

        if (kind == EventKind.Served)
        {
            var window = Touch(campaign, bucket);
            window.Impressions++;
            window.SpendMicros += ev.CostMicros;
            // An event on time is never in a final window, so its sketch is held.
            window.Uniques!.Add(userHash);
            ReleasePending(adHash, campaign);
        }
        else if (campaign >= 0)
        {
            Count(kind, userHash, Touch(campaign, bucket));
        }
        else
        {
            _pending.Add(adHash, new PendingEvent(kind, ev.EventTimeMs, userHash));
        }
    }

    private void ReleasePending(UInt128 adHash, int campaign)
    {
        var released = _pending.Release(adHash);
        if (released is null)
        {
            return;
        }

        foreach (var p in released)
        {
            var bucket = TimeBucket.Floor(p.EventTimeMs, Granularity.Minute).StartMs;
            if (!TryTouchRetained(campaign, bucket, out var window))
            {
                // Its window was already evicted: it can no longer be applied.
                Counters.Late++;
            }
            else if (window.SketchReleased)
            {
                // Only if the join horizon grew across a restart (a window's sketch is released after
                // every event of its bucket still waiting has expired): late, as for an evicted window.
                Counters.Late++;
                window.Late++;
            }
            else
            {
                Count(p.Kind, p.UserHash, window);
            }
        }
    }

    /// <summary>Counts a view or click. Unique users are those of any attributed event: served, viewed or clicked.</summary>
    private static void Count(EventKind kind, ulong userHash, CampaignWindow window)
    {
        window.Uniques!.Add(userHash);
        if (kind == EventKind.View)
        {
            window.Views++;
        }
        else
        {
            window.Clicks++;
        }
    }

    private void OnWatermarkAdvanced()
    {
        var watermark = _watermark.Current;
        Counters.Unattributed += _pending.Expire(watermark);
        // Dedupe slices, window ends and evictions all fall on slice boundaries (a minute is six
        // slices), so the ordered structures need a look only when the watermark crosses one.
        var slice = Math.DivRem(watermark, DedupeWindow.SliceMs, out var remainder) - (remainder < 0 ? 1 : 0);
        if (slice == _housekeptSlice)
        {
            return;
        }

        _housekeptSlice = slice;
        _dedupe.Advance(watermark);
        FinalizeBuckets(watermark);
        EvictBuckets(watermark);
    }

    /// <summary>The window of (campaign, bucket), created if missing, marked dirty.</summary>
    private CampaignWindow Touch(int campaign, long bucket)
    {
        var key = new WindowKey(campaign, bucket);
        if (!_windows.TryGetValue(key, out var window))
        {
            window = new CampaignWindow();
            _windows.Add(key, window);
            if (SketchSettled(bucket))
            {
                // Only late, bot and duplicate events reach it: it never needs a sketch (an empty one is stored).
                window.Uniques = null;
            }
            else
            {
                _windowSketches++;
            }

            var final = bucket + MinuteMs <= _watermark.Current;
            window.Final = final;
            AddToBucket(final ? _finalBuckets : _openBuckets, bucket, key);
        }

        if (!window.Dirty)
        {
            window.Dirty = true;
            _dirty.Add(key);
        }

        return window;
    }

    /// <summary>Like <see cref="Touch"/>, unless the bucket is older than window retention.</summary>
    private bool TryTouchRetained(int campaign, long bucket, out CampaignWindow window)
    {
        if (_watermark.Current != EventTimeWatermark.Start && bucket + MinuteMs + _retentionMs <= _watermark.Current)
        {
            window = null!;
            return false;
        }

        window = Touch(campaign, bucket);
        return true;
    }

    private void FinalizeBuckets(long watermark)
    {
        while (_openBuckets.Count > 0)
        {
            var (bucket, keys) = _openBuckets.First();
            if (bucket + MinuteMs > watermark)
            {
                return;
            }

            _openBuckets.Remove(bucket);
            foreach (var key in keys)
            {
                var window = _windows[key];
                window.Final = true;
                if (!window.Dirty)
                {
                    window.Dirty = true;
                    _dirty.Add(key);
                }

                AddToBucket(_finalBuckets, bucket, key);
            }
        }
    }

    private void EvictBuckets(long watermark)
    {
        while (_finalBuckets.Count > 0)
        {
            var (bucket, keys) = _finalBuckets.First();
            if (bucket + MinuteMs + _retentionMs > watermark)
            {
                return;
            }

            _finalBuckets.Remove(bucket);
            foreach (var key in keys)
            {
                // A dirty window is written once more before it goes (see CollectChanges).
                if (_windows.TryGetValue(key, out var window) && !window.Dirty)
                {
                    NoteEvicted(key);
                }
            }
        }
    }

    private static void AddToBucket(SortedDictionary<long, List<WindowKey>> buckets, long bucket, WindowKey key)
    {
        if (!buckets.TryGetValue(bucket, out var keys))
        {
            keys = [];
            buckets.Add(bucket, keys);
        }

        keys.Add(key);
    }
}
