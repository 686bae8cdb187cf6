namespace Lambda.Speed.State;

/// <summary>
/// The event ids seen recently, for dedupe with bounded memory. Ids are grouped in slices of
/// event time; a slice is forgotten once the watermark has passed it (any copy of its events
/// would be late anyway), or, oldest first, when the window holds more than its capacity.
/// Everything is driven by the input alone, so a replay rebuilds the same window.
/// </summary>
internal sealed class DedupeWindow
{
    /// <summary>Width of one slice of event time.</summary>
    public const long SliceMs = 10_000;

    private readonly Dictionary<ulong, long> _sliceById = [];
    private readonly SortedDictionary<long, List<ulong>> _idsBySlice = [];
    private readonly int _capacity;

    public DedupeWindow(int capacity) => _capacity = capacity;

    public int Count => _sliceById.Count;

    /// <summary>True if the id was seen; otherwise remembers it and returns false.</summary>
    public bool IsDuplicate(ulong eventKey, long eventTimeMs)
    {
        var slice = eventTimeMs - Modulo(eventTimeMs, SliceMs);
        if (!_sliceById.TryAdd(eventKey, slice))
        {
            return true;
        }

        if (!_idsBySlice.TryGetValue(slice, out var ids))
        {
            ids = [];
            _idsBySlice.Add(slice, ids);
        }

        ids.Add(eventKey);
        if (_sliceById.Count > _capacity)
        {
            ForgetOldestSlice();
        }

        return false;
    }

    /// <summary>Forgets every slice that ends at or before the watermark.</summary>
    public void Advance(long watermarkMs)
    {
        while (_idsBySlice.Count > 0)
        {
            var oldest = _idsBySlice.Keys.First();
            if (oldest + SliceMs > watermarkMs)
            {
                return;
            }

            ForgetOldestSlice();
        }
    }

    /// <summary>The slices in ascending order, for checkpoints.</summary>
    public IEnumerable<KeyValuePair<long, List<ulong>>> Slices => _idsBySlice;

    /// <summary>Restores one slice from a checkpoint.</summary>
    public void Restore(long slice, IReadOnlyList<ulong> ids)
    {
        var list = new List<ulong>(ids.Count);
        foreach (var id in ids)
        {
            if (_sliceById.TryAdd(id, slice))
            {
                list.Add(id);
            }
        }

        _idsBySlice[slice] = list;
    }

    private void ForgetOldestSlice()
    {
        var oldest = _idsBySlice.First();
        foreach (var id in oldest.Value)
        {
            _sliceById.Remove(id);
        }

        _idsBySlice.Remove(oldest.Key);
    }

    private static long Modulo(long value, long divisor)
    {
        var r = value % divisor;
        return r < 0 ? r + divisor : r;
    }
}
