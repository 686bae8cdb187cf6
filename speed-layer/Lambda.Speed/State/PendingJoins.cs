using Lambda.SharedModel.Events;

namespace Lambda.Speed.State;

/// <summary>A view or click waiting for its ad's served record.</summary>
internal readonly record struct PendingEvent(EventKind Kind, long EventTimeMs, ulong UserHash);

/// <summary>
/// Views and clicks whose ad is not known yet. Each waits until the watermark passes its event
/// time plus the join horizon; then it expires and is counted unattributed. Expiry is found with
/// a min-heap of deadlines; entries released by a join are skipped lazily when popped.
/// </summary>
internal sealed class PendingJoins
{
    private readonly Dictionary<UInt128, List<PendingEvent>> _byAd = [];
    private readonly PriorityQueue<UInt128, long> _deadlines = new();
    private readonly long _horizonMs;

    public PendingJoins(TimeSpan horizon) => _horizonMs = (long)horizon.TotalMilliseconds;

    public int Count { get; private set; }

    public void Add(UInt128 adHash, PendingEvent pending)
    {
        if (!_byAd.TryGetValue(adHash, out var list))
        {
            list = [];
            _byAd.Add(adHash, list);
        }

        list.Add(pending);
        _deadlines.Enqueue(adHash, pending.EventTimeMs + _horizonMs);
        Count++;
    }

    /// <summary>Removes and returns the events waiting for an ad, or null.</summary>
    public List<PendingEvent>? Release(UInt128 adHash)
    {
        if (!_byAd.Remove(adHash, out var list))
        {
            return null;
        }

        Count -= list.Count;
        return list;
    }

    /// <summary>Removes the events whose deadline the watermark has passed; returns how many.</summary>
    public int Expire(long watermarkMs)
    {
        var expired = 0;
        while (_deadlines.TryPeek(out var adHash, out var deadline) && deadline < watermarkMs)
        {
            _deadlines.Dequeue();
            if (!_byAd.TryGetValue(adHash, out var list))
            {
                continue; // released by a join since it was queued
            }

            var before = list.Count;
            list.RemoveAll(p => p.EventTimeMs + _horizonMs < watermarkMs);
            expired += before - list.Count;
            if (list.Count == 0)
            {
                _byAd.Remove(adHash);
            }
        }

        Count -= expired;
        return expired;
    }

    /// <summary>Every waiting event, by ad in ascending hash order (canonical for checkpoints), each ad's in arrival order.</summary>
    public IEnumerable<KeyValuePair<UInt128, List<PendingEvent>>> Entries => _byAd.OrderBy(e => e.Key);

    /// <summary>Forgets every waiting event (a checkpoint delta replaces them all).</summary>
    public void Clear()
    {
        _byAd.Clear();
        _deadlines.Clear();
        Count = 0;
    }
}
