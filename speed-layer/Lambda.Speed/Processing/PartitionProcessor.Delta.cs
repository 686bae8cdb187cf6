using Lambda.SharedModel.Sketches;
using Lambda.SharedModel.Views;
using Lambda.Speed.State;

namespace Lambda.Speed.Processing;

/// <summary>
/// The processor's changes since the last checkpoint as a delta body (format version 3): the
/// scalar state in full, campaigns and ads added (both append-only), the pending joins in full
/// (bounded by the join horizon), dedupe slices dropped and ids appended, windows evicted and
/// windows changed (full values). Applied to the state of the previous checkpoint it gives the
/// state of this one. Changes are tracked apart from the flush's dirty list: a flush collects a
/// window into the changed list, so the per-record path pays nothing for it.
/// </summary>
internal sealed partial class PartitionProcessor
{
    private readonly List<WindowKey> _changedSinceCheckpoint = [];
    private readonly List<WindowKey> _evictedSinceCheckpoint = [];
    private int _campaignsCheckpointed;

    /// <summary>Windows changed since the last checkpoint (an upper bound: evicted ones are counted too).</summary>
    public int ChangedSinceCheckpoint => _changedSinceCheckpoint.Count;

    /// <summary>
    /// Writes the changes since the last checkpoint. Call only after a flush; pure: call
    /// <see cref="MarkCheckpointed"/> once the bytes are durable.
    /// </summary>
    public void WriteDelta(BinaryWriter w)
    {
        ThrowIfUnflushed();
        WriteScalars(w);
        w.Write(_campaignsCheckpointed);
        w.Write(_campaigns.Count - _campaignsCheckpointed);
        for (var i = _campaignsCheckpointed; i < _campaigns.Count; i++)
        {
            WriteCampaign(w, _campaigns[i]);
        }

        w.Write(_ads.Checkpointed);
        w.Write(_ads.Count - _ads.Checkpointed);
        for (var i = _ads.Checkpointed; i < _ads.Count; i++)
        {
            WriteAd(w, _ads[i]);
        }

        WritePending(w);
        w.Write(_dedupe.DroppedSinceCheckpoint.Count);
        foreach (var slice in _dedupe.DroppedSinceCheckpoint)
        {
            w.Write(slice);
        }

        var appended = _dedupe.AppendedSinceCheckpoint.ToList();
        w.Write(appended.Count);
        foreach (var (slice, ids, from) in appended)
        {
            WriteIds(w, slice, ids, from);
        }

        var evicted = Canonical(_evictedSinceCheckpoint, present: false);
        w.Write(evicted.Count);
        foreach (var key in evicted)
        {
            w.Write(key.CampaignIndex);
            w.Write(key.BucketStartMs);
        }

        var changed = Canonical(_changedSinceCheckpoint, present: true);
        w.Write(changed.Count);
        var sketch = new byte[HyperLogLog.MaxSerializedLength];
        foreach (var key in changed)
        {
            WriteWindow(w, key, _windows[key], sketch);
        }
    }

    /// <summary>
    /// Applies a delta written by <see cref="WriteDelta"/> of the checkpoint that follows this state.
    /// The whole delta is read and checked before anything changes, so a bad one leaves the state as it was.
    /// </summary>
    public void ApplyDelta(BinaryReader r, ushort version = CheckpointFormatVersion)
    {
        var partition = r.ReadInt32();
        if (partition != Partition)
        {
            throw new InvalidDataException($"checkpoint delta of partition {partition} does not belong to partition {Partition}");
        }

        var scalars = new PartitionProcessor(partition, _options, _bots, _owners, _deadLetters);
        scalars.ReadScalars(r, version);
        CheckContinues(r.ReadInt32(), _campaigns.Count, "campaigns");
        var campaigns = new CampaignInfo[ReadCount(r)];
        for (var i = 0; i < campaigns.Length; i++)
        {
            campaigns[i] = ReadCampaign(r);
        }

        var campaignCount = _campaigns.Count + campaigns.Length;
        CheckContinues(r.ReadInt32(), _ads.Count, "ads");
        var ads = new (UInt128, int)[ReadCount(r)];
        for (var i = 0; i < ads.Length; i++)
        {
            ads[i] = (ReadUInt128(r), CheckIndex(r.ReadInt32(), campaignCount));
        }

        scalars.ReadPending(r);
        var dropped = new long[ReadCount(r)];
        for (var i = 0; i < dropped.Length; i++)
        {
            dropped[i] = r.ReadInt64();
        }

        var appended = new (long, ulong[])[ReadCount(r)];
        for (var i = 0; i < appended.Length; i++)
        {
            appended[i] = ReadIds(r);
        }

        var evicted = new WindowKey[ReadCount(r)];
        for (var i = 0; i < evicted.Length; i++)
        {
            evicted[i] = new WindowKey(CheckIndex(r.ReadInt32(), campaignCount), r.ReadInt64());
        }

        var changed = new (WindowKey, CampaignWindow)[ReadCount(r)];
        for (var i = 0; i < changed.Length; i++)
        {
            changed[i] = ReadWindow(r, campaignCount);
        }

        // Everything read and checked: now change the state, in the order the delta was taken.
        ReplaceScalars(scalars);
        foreach (var campaign in campaigns)
        {
            _campaigns.Add(campaign);
        }

        foreach (var (ad, campaign) in ads)
        {
            _ads.Learn(ad, campaign);
        }

        // Drops come before appends: a slice dropped and re-created since the last checkpoint
        // holds only what was appended after its re-creation.
        foreach (var slice in dropped)
        {
            _dedupe.Drop(slice);
        }

        foreach (var (slice, ids) in appended)
        {
            _dedupe.Append(slice, ids);
        }

        // Likewise evictions before changes: an evicted window may have been created again.
        foreach (var key in evicted)
        {
            _windows.Remove(key);
        }

        foreach (var (key, window) in changed)
        {
            _windows[key] = window;
        }
    }

    /// <summary>Notes that the last checkpoint written (base or delta) is durable: changes start from here.</summary>
    public void MarkCheckpointed()
    {
        foreach (var key in _changedSinceCheckpoint)
        {
            if (_windows.TryGetValue(key, out var window))
            {
                window.Changed = false;
            }
        }

        _changedSinceCheckpoint.Clear();
        _evictedSinceCheckpoint.Clear();
        _campaignsCheckpointed = _campaigns.Count;
        _ads.MarkCheckpointed();
        _dedupe.MarkCheckpointed();
    }

    /// <summary>Called by a flush for each window it collects.</summary>
    private void NoteChanged(WindowKey key, CampaignWindow window)
    {
        if (!window.Changed)
        {
            window.Changed = true;
            _changedSinceCheckpoint.Add(key);
        }
    }

    private void NoteEvicted(WindowKey key)
    {
        if (_windows.Remove(key, out var window))
        {
            ForgetSketch(window);
        }

        Counters.WindowsEvicted++;
        _evictedSinceCheckpoint.Add(key);
    }

    private void ReplaceScalars(PartitionProcessor from)
    {
        from.NextOffsets.CopyTo(NextOffsets, 0);
        var topics = new (long, long, bool)[TopicCount];
        for (var t = 0; t < TopicCount; t++)
        {
            topics[t] = from._watermark.GetTopic(t);
        }

        _watermark.Restore(from._watermark.Current, from._watermark.LogTimeMs, topics);
        var (c, f) = (Counters, from.Counters);
        (c.Processed, c.BotFiltered, c.Late, c.Unattributed, c.Duplicates, c.DeadLettered, c.WindowsEvicted, c.OwnerMismatched, c.FutureDated) =
            (f.Processed, f.BotFiltered, f.Late, f.Unattributed, f.Duplicates, f.DeadLettered, f.WindowsEvicted, f.OwnerMismatched, f.FutureDated);
        _pending.Clear();
        foreach (var (ad, events) in from._pending.Entries)
        {
            foreach (var p in events)
            {
                _pending.Add(ad, p);
            }
        }
    }

    /// <summary>The distinct keys in canonical order, keeping those present in (or absent from) the windows.</summary>
    private List<WindowKey> Canonical(List<WindowKey> keys, bool present)
    {
        var sorted = keys.Where(k => _windows.ContainsKey(k) == present).ToArray();
        Array.Sort(sorted, WindowKey.BucketOrder);
        var distinct = new List<WindowKey>(sorted.Length);
        foreach (var key in sorted)
        {
            if (distinct.Count == 0 || distinct[^1] != key)
            {
                distinct.Add(key);
            }
        }

        return distinct;
    }

    private static void CheckContinues(int first, int count, string what)
    {
        if (first != count)
        {
            throw new InvalidDataException($"checkpoint delta adds {what} from index {first}, but the state holds {count}");
        }
    }
}
