using Lambda.Speed.State;

namespace Lambda.Speed.Processing;

/// <summary>
/// Releasing the sketches of settled windows. A final window's unique users can still change until
/// every view or click of its bucket waiting for its ad has expired (the join horizon after the
/// bucket's end); after that only late, bot and duplicate events reach it, and they change counters
/// only. Once its row (with the sketch) is also in the store, the sketch is dead weight for the rest
/// of the window's retention: it is dropped, and the window is written counters-only from then on.
/// </summary>
internal sealed partial class PartitionProcessor
{
    private long _windowSketches;
    private long _sketchBytes;
    // Final buckets before this one have had their sketches released (a scan at a checkpoint starts here).
    private long _releasedBefore = long.MinValue;

    /// <summary>
    /// Releases the sketch of every window that is settled and not changed since it was collected.
    /// Call only when every row collected so far is durable in the store (after a checkpoint's flush).
    /// Deterministic output either way: a released sketch could not have changed again. The release
    /// is a change for the next checkpoint, so a restored state holds the same windows without sketches.
    /// Returns how many sketches were released.
    /// </summary>
    public int ReleaseSettledSketches()
    {
        var released = 0;
        var complete = true;
        foreach (var (bucket, keys) in _finalBuckets)
        {
            if (!SketchSettled(bucket))
            {
                break;
            }

            if (bucket < _releasedBefore)
            {
                continue;
            }

            foreach (var key in keys)
            {
                if (!_windows.TryGetValue(key, out var window) || window.SketchReleased)
                {
                    continue;
                }

                if (window.Dirty)
                {
                    // Its newest sketch is not in the store yet: the next pass takes it.
                    complete = false;
                    continue;
                }

                ForgetSketch(window);
                window.Uniques = null;
                NoteChanged(key, window);
                released++;
            }

            if (complete)
            {
                _releasedBefore = bucket + MinuteMs;
            }
        }

        return released;
    }

    /// <summary>No event can add to the sketch of a window of this bucket any more.</summary>
    private bool SketchSettled(long bucket) => bucket + MinuteMs + _joinHorizonMs <= _watermark.Current;

    /// <summary>Accounts a collected window's sketch at its current size.</summary>
    private void AccountSketch(CampaignWindow window)
    {
        var bytes = window.Uniques!.MemoryBytes;
        _sketchBytes += bytes - window.SketchBytesCounted;
        window.SketchBytesCounted = bytes;
    }

    /// <summary>Takes a window's sketch out of the state size (released or evicted).</summary>
    private void ForgetSketch(CampaignWindow window)
    {
        if (!window.SketchReleased)
        {
            _windowSketches--;
            _sketchBytes -= window.SketchBytesCounted;
            window.SketchBytesCounted = 0;
        }
    }

    /// <summary>Recounts the sketches after a restore.</summary>
    private void RecountSketches()
    {
        (_windowSketches, _sketchBytes, _releasedBefore) = (0, 0, long.MinValue);
        foreach (var window in _windows.Values)
        {
            if (!window.SketchReleased)
            {
                _windowSketches++;
                window.SketchBytesCounted = 0;
                AccountSketch(window);
            }
        }
    }
}
