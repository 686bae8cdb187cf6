using System.Numerics;
using System.Runtime.Intrinsics.X86;

namespace Lambda.Speed.State;

/// <summary>
/// A set of 64-bit event keys for the dedupe window: open addressing with linear probing in one
/// flat <c>ulong[]</c>, so a lookup or insert of a random key costs one cache miss (a
/// <see cref="Dictionary{TKey,TValue}"/> costs two: bucket, then entry) and 8–24 bytes an id instead of
/// about 28–56. Removal shifts the following run back (no tombstones), so the table never degrades.
/// The keys are XxHash3 values, already uniform; a Fibonacci multiply spreads them anyway.
/// </summary>
internal sealed class EventKeySet
{
    private const int MinCapacity = 1024;

    // 0 marks an empty slot; the key 0 itself is held in _hasZero.
    private ulong[] _slots = new ulong[MinCapacity];
    private int _shift = 64 - BitOperations.Log2(MinCapacity);
    private bool _hasZero;

    public int Count { get; private set; }

    /// <summary>Slots of the table (8 bytes each); grows by doubling at 3/4 load, never shrinks.</summary>
    public int Slots => _slots.Length;

    public bool Contains(ulong key)
    {
        if (key == 0)
        {
            return _hasZero;
        }

        var slots = _slots;
        var mask = slots.Length - 1;
        for (var i = Home(key); ; i = (i + 1) & mask)
        {
            var found = slots[i];
            if (found == key)
            {
                return true;
            }

            if (found == 0)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// Starts loading the key's slot into the cache without waiting for it: a caller with other
    /// work to do first hides most of the memory latency of the <see cref="Add"/> that follows.
    /// </summary>
    public unsafe void Prefetch(ulong key)
    {
        if (Sse.IsSupported)
        {
            fixed (ulong* slot = &_slots[Home(key)])
            {
                Sse.Prefetch0(slot);
            }
        }
    }

    /// <summary>Adds the key; false if it was already present.</summary>
    public bool Add(ulong key)
    {
        if (key == 0)
        {
            if (_hasZero)
            {
                return false;
            }

            _hasZero = true;
            Count++;
            return true;
        }

        // Grow at 3/4 load: linear probing stays short there, and a probe run mostly stays in one cache line.
        if ((Count + 1) * 4L > _slots.Length * 3L)
        {
            Grow();
        }

        var slots = _slots;
        var mask = slots.Length - 1;
        for (var i = Home(key); ; i = (i + 1) & mask)
        {
            var found = slots[i];
            if (found == key)
            {
                return false;
            }

            if (found == 0)
            {
                slots[i] = key;
                Count++;
                return true;
            }
        }
    }

    /// <summary>Removes the key if present.</summary>
    public void Remove(ulong key)
    {
        if (key == 0)
        {
            if (_hasZero)
            {
                _hasZero = false;
                Count--;
            }

            return;
        }

        var slots = _slots;
        var mask = slots.Length - 1;
        var i = Home(key);
        while (slots[i] != key)
        {
            if (slots[i] == 0)
            {
                return;
            }

            i = (i + 1) & mask;
        }

        // Backward-shift deletion: move each later key of the run into the hole unless its home
        // lies cyclically after the hole (then it must stay where a lookup from its home finds it).
        var hole = i;
        for (var j = (i + 1) & mask; slots[j] != 0; j = (j + 1) & mask)
        {
            var home = Home(slots[j]);
            if (((j - home) & mask) >= ((j - hole) & mask))
            {
                slots[hole] = slots[j];
                hole = j;
            }
        }

        slots[hole] = 0;
        Count--;
    }

    private int Home(ulong key) => (int)((key * 0x9E3779B97F4A7C15UL) >> _shift);

    private void Grow()
    {
        var old = _slots;
        _slots = new ulong[old.Length * 2];
        _shift--;
        var mask = _slots.Length - 1;
        foreach (var key in old)
        {
            if (key != 0)
            {
                var i = Home(key);
                while (_slots[i] != 0)
                {
                    i = (i + 1) & mask;
                }

                _slots[i] = key;
            }
        }
    }
}
