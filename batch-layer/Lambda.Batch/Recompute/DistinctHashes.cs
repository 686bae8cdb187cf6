namespace Lambda.Batch.Recompute;

/// <summary>
/// Counts the distinct 64-bit user hashes of one bucket: an open-addressing set that is emptied after
/// each bucket, touching only the slots it used (a day's set holds thousands, a minute's a few). The
/// hashes are already uniformly mixed (<see cref="SharedModel.Sketches.UserHash"/>), so their low bits
/// pick the slot.
/// </summary>
internal sealed class DistinctHashes
{
    private ulong[] _slots = new ulong[64];
    private int[] _used = new int[33];
    private int _count;

    // 0 marks an empty slot, so the hash 0 is counted aside.
    private bool _hasZero;

    /// <summary>Adds a hash (a repeat changes nothing).</summary>
    public void Add(ulong hash)
    {
        if (hash == 0)
        {
            _hasZero = true;
            return;
        }

        var mask = _slots.Length - 1;
        var slot = (int)hash & mask;
        while (_slots[slot] != 0)
        {
            if (_slots[slot] == hash)
            {
                return;
            }

            slot = (slot + 1) & mask;
        }

        _slots[slot] = hash;
        _used[_count++] = slot;
        if (_count * 2 > _slots.Length)
        {
            Grow();
        }
    }

    /// <summary>The number of distinct hashes added since the last call; empties the set.</summary>
    public long TakeCount()
    {
        long distinct = _count + (_hasZero ? 1 : 0);
        foreach (var slot in _used.AsSpan(0, _count))
        {
            _slots[slot] = 0;
        }

        _count = 0;
        _hasZero = false;
        return distinct;
    }

    private void Grow()
    {
        var (slots, used, count) = (_slots, _used, _count);
        _slots = new ulong[slots.Length * 2];
        _used = new int[(_slots.Length / 2) + 1];
        _count = 0;
        foreach (var slot in used.AsSpan(0, count))
        {
            Add(slots[slot]);
        }
    }
}
