using System.Runtime.InteropServices;

namespace Lambda.Speed.State;

/// <summary>
/// The event ids seen recently, for dedupe with bounded memory. Ids are grouped in slices of
/// event time; a slice is forgotten once the watermark has passed it (any copy of its events
/// would be late anyway), or, oldest first, when the window holds more than its capacity.
/// Everything is driven by the input alone, so a replay rebuilds the same window.
/// A slice's ids only ever grow at the end until the slice is dropped, so a checkpoint delta is
/// "slices dropped" plus "ids appended past what the last checkpoint held".
/// The set of ids (the index that answers "seen?") is built only for a window that dedupes: a
/// window read from checkpoint files just to be written again (a compaction) never needs it.
/// </summary>
internal sealed class DedupeWindow
{
    /// <summary>Width of one slice of event time.</summary>
    public const long SliceMs = 10_000;

    private readonly EventKeySet _ids = new();
    private readonly SortedDictionary<long, Slice> _slices = [];
    // Id lists of dropped slices, cleared, for new slices to reuse: a steady window allocates nothing per id.
    private readonly Stack<List<ulong>> _spareLists = new();
    private readonly SortedSet<long> _droppedSinceCheckpoint = [];
    private readonly int _capacity;
    private bool _indexed = true;
    private int _count;
    private long _lastSliceStart;
    private Slice? _lastSlice;

    public DedupeWindow(int capacity) => _capacity = capacity;

    public int Count => _count;

    /// <summary>Slots of the id table (8 bytes each): its memory.</summary>
    public int TableSlots => _ids.Slots;

    /// <summary>Starts a restore: until <see cref="BuildIndex"/>, appended ids go to their slices only.</summary>
    public void BeginRestore()
    {
        if (_count != 0 || _slices.Count != 0)
        {
            throw new InvalidOperationException("a dedupe window can only be restored into when empty");
        }

        _indexed = false;
    }

    /// <summary>Indexes every held id (after a restore), so the window can dedupe.</summary>
    public void BuildIndex()
    {
        if (_indexed)
        {
            return;
        }

        // Every id of a checkpoint chain is held once (each was new when it was appended), so the
        // index holds exactly the ids of the slices.
        foreach (var slice in _slices.Values)
        {
            foreach (var id in slice.Ids)
            {
                _ids.Add(id);
            }
        }

        _indexed = true;
    }

    /// <summary>Starts loading what <see cref="IsDuplicate"/> of this key will read (see <see cref="EventKeySet.Prefetch"/>).</summary>
    public void Prefetch(ulong eventKey) => _ids.Prefetch(eventKey);

    /// <summary>
    /// True if the id was seen; otherwise remembers it and returns false. An id whose slice the
    /// watermark has already passed is only looked up, never remembered: re-creating a dropped
    /// slice would make what the window holds depend on when it was last tidied, and a processor
    /// restored from a checkpoint would then dedupe differently from the one that wrote it.
    /// </summary>
    public bool IsDuplicate(ulong eventKey, long eventTimeMs, long watermarkMs)
    {
        BuildIndex();
        var sliceStart = eventTimeMs - Modulo(eventTimeMs, SliceMs);
        if (sliceStart + SliceMs <= watermarkMs)
        {
            return _ids.Contains(eventKey);
        }

        if (!_ids.Add(eventKey))
        {
            return true;
        }

        // Consecutive events mostly share a slice: remember the last one instead of searching the tree.
        var slice = _lastSliceStart == sliceStart && _lastSlice is { } last ? last : SliceAt(sliceStart);
        slice.Ids.Add(eventKey);
        _count++;
        if (_count > _capacity)
        {
            ForgetOldestSlice();
        }

        return false;
    }

    /// <summary>Forgets every slice that ends at or before the watermark.</summary>
    public void Advance(long watermarkMs)
    {
        while (_slices.Count > 0)
        {
            var oldest = _slices.Keys.First();
            if (oldest + SliceMs > watermarkMs)
            {
                return;
            }

            ForgetOldestSlice();
        }
    }

    /// <summary>The slices in ascending order with their ids in arrival order, for full checkpoints.</summary>
    public IEnumerable<(long Slice, List<ulong> Ids)> Slices => _slices.Select(s => (s.Key, s.Value.Ids));

    /// <summary>Slices dropped since the last checkpoint, ascending (a slice may have been re-created since).</summary>
    public IReadOnlyCollection<long> DroppedSinceCheckpoint => _droppedSinceCheckpoint;

    /// <summary>Per slice, the ids appended since the last checkpoint (those still held): a range of <c>Ids</c>.</summary>
    public IEnumerable<(long Slice, List<ulong> Ids, int From)> AppendedSinceCheckpoint =>
        _slices.Where(s => s.Value.Ids.Count > s.Value.Checkpointed).Select(s => (s.Key, s.Value.Ids, s.Value.Checkpointed));

    /// <summary>Restores or extends one slice from a checkpoint: appends the ids to it.</summary>
    public void Append(long sliceStart, IReadOnlyList<ulong> ids)
    {
        var slice = SliceAt(sliceStart);
        if (!_indexed)
        {
            slice.Ids.AddRange(ids);
            _count += ids.Count;
            return;
        }

        foreach (var id in ids)
        {
            if (_ids.Add(id))
            {
                slice.Ids.Add(id);
                _count++;
            }
        }
    }

    /// <summary>
    /// During a restore (before <see cref="BuildIndex"/>): appends <paramref name="count"/> ids to a slice and
    /// returns the span to read them into, so a base's ids go straight into the slice with no array in between.
    /// </summary>
    public Span<ulong> AppendUnindexed(long sliceStart, int count)
    {
        if (_indexed)
        {
            throw new InvalidOperationException("ids are appended unindexed only while restoring");
        }

        var ids = SliceAt(sliceStart).Ids;
        var from = ids.Count;
        CollectionsMarshal.SetCount(ids, from + count);
        _count += count;
        return CollectionsMarshal.AsSpan(ids)[from..];
    }

    /// <summary>Drops a slice named by a checkpoint delta, if present.</summary>
    public void Drop(long sliceStart)
    {
        if (_slices.Remove(sliceStart, out var slice))
        {
            if (ReferenceEquals(slice, _lastSlice))
            {
                _lastSlice = null;
            }

            if (_indexed)
            {
                foreach (var id in slice.Ids)
                {
                    _ids.Remove(id);
                }
            }

            _count -= slice.Ids.Count;

            slice.Ids.Clear();
            _spareLists.Push(slice.Ids);
        }
    }

    /// <summary>Notes that a checkpoint now holds the whole window.</summary>
    public void MarkCheckpointed()
    {
        _droppedSinceCheckpoint.Clear();
        foreach (var slice in _slices.Values)
        {
            slice.Checkpointed = slice.Ids.Count;
        }
    }

    /// <summary>The slice starting at <paramref name="sliceStart"/>, created if missing; becomes the remembered one.</summary>
    private Slice SliceAt(long sliceStart)
    {
        if (!_slices.TryGetValue(sliceStart, out var slice))
        {
            slice = new Slice(_spareLists.TryPop(out var ids) ? ids : []);
            _slices.Add(sliceStart, slice);
        }

        (_lastSliceStart, _lastSlice) = (sliceStart, slice);
        return slice;
    }

    private void ForgetOldestSlice()
    {
        var oldest = _slices.Keys.First();
        Drop(oldest);
        _droppedSinceCheckpoint.Add(oldest);
    }

    private static long Modulo(long value, long divisor)
    {
        var r = value % divisor;
        return r < 0 ? r + divisor : r;
    }

    private sealed class Slice(List<ulong> ids)
    {
        public List<ulong> Ids { get; } = ids;

        /// <summary>How many of <see cref="Ids"/> the last checkpoint holds.</summary>
        public int Checkpointed { get; set; }
    }
}
