namespace Lambda.Generator;

/// <summary>
/// Records scheduled for a later slot, ordered by (due slot, insertion order). The heap holds only a
/// slab index and the key, so sifting moves 24-byte entries rather than whole records; with hundreds of
/// thousands pending (high rates, long lateness) that keeps the heap cache-friendly.
/// </summary>
internal sealed class PendingEvents
{
    // Insertion order breaks ties deterministically and keeps a held-back served record behind the
    // views and clicks scheduled before it.
    private readonly PriorityQueue<int, (long Due, long Order)> _queue = new();
    private readonly Stack<int> _free = new();
    private GeneratedEvent[] _events = new GeneratedEvent[1024];
    private int _used;
    private long _order;

    public int Count => _queue.Count;

    public void Add(in GeneratedEvent e, long dueSlot)
    {
        if (!_free.TryPop(out var index))
        {
            index = _used++;
            if (index == _events.Length)
            {
                Array.Resize(ref _events, _events.Length * 2);
            }
        }

        _events[index] = e;
        _queue.Enqueue(index, (dueSlot, _order++));
    }

    public bool TryPeekDue(out long dueSlot)
    {
        if (_queue.TryPeek(out _, out var key))
        {
            dueSlot = key.Due;
            return true;
        }

        dueSlot = 0;
        return false;
    }

    public GeneratedEvent Take()
    {
        var index = _queue.Dequeue();
        _free.Push(index);
        return _events[index];
    }
}
