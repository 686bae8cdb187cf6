using System.Text;
using Lambda.SharedModel.Bots;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Sketches;
using Lambda.SharedModel.Views;
using Lambda.Speed.State;

namespace Lambda.Speed.Processing;

/// <summary>
/// The processor's state as a full checkpoint body, a base (format version 3; framing and checksum
/// are the <see cref="Checkpoints.CheckpointStore"/>'s). Everything that decides future output is
/// here: offsets, watermark, counters, campaigns, the ad map, pending joins, the dedupe window and
/// the windows with their sketches (or none, once released). The bytes depend only on the logical state (ads and dedupe ids
/// in arrival order, pending joins by ad hash, windows by bucket then campaign), so a state rebuilt
/// from a base and its deltas writes the same bytes as the live one. A change to this layout needs
/// a new version and the golden tests.
/// </summary>
internal sealed partial class PartitionProcessor
{
    /// <summary>
    /// The version this build writes: 4 added the owner-mismatch and future-time counters at the end of
    /// the scalars; 3 added windows without a sketch (a flags byte where 2 had the final flag).
    /// </summary>
    public const ushort CheckpointFormatVersion = 4;

    /// <summary>The oldest version this build reads: 2 is 3 without released sketches, 3 is 4 without two counters, read by the same code.</summary>
    public const ushort OldestReadableFormatVersion = 2;

    private const byte WindowFinal = 1;
    private const byte WindowSketchReleased = 2;

    /// <summary>
    /// Writes the full state. Call only when <see cref="HasChanges"/> is false (after a flush).
    /// Pure: call <see cref="MarkCheckpointed"/> once the bytes are durable.
    /// </summary>
    public void WriteState(BinaryWriter w)
    {
        ThrowIfUnflushed();
        WriteScalars(w);
        w.Write(_campaigns.Count);
        for (var i = 0; i < _campaigns.Count; i++)
        {
            WriteCampaign(w, _campaigns[i]);
        }

        w.Write(_ads.Count);
        for (var i = 0; i < _ads.Count; i++)
        {
            WriteAd(w, _ads[i]);
        }

        WritePending(w);
        var slices = _dedupe.Slices.ToList();
        w.Write(slices.Count);
        foreach (var (slice, ids) in slices)
        {
            WriteIds(w, slice, ids, 0);
        }

        var keys = _windows.Keys.ToArray();
        Array.Sort(keys, WindowKey.BucketOrder);
        w.Write(keys.Length);
        var sketch = new byte[HyperLogLog.MaxSerializedLength];
        foreach (var key in keys)
        {
            WriteWindow(w, key, _windows[key], sketch);
        }
    }

    /// <summary>
    /// Rebuilds a processor from a base written by <see cref="WriteState"/>. Apply the deltas that
    /// follow it with <see cref="ApplyDelta"/>, then call <see cref="FinishRestore"/>.
    /// </summary>
    public static PartitionProcessor ReadState(BinaryReader r, SpeedOptions options, BotRules bots, CampaignOwners owners, IDeadLetterSink deadLetters,
        ushort version = CheckpointFormatVersion)
    {
        var p = new PartitionProcessor(r.ReadInt32(), options, bots, owners, deadLetters);
        p.ReadScalars(r, version);
        var campaigns = ReadCount(r);
        for (var i = 0; i < campaigns; i++)
        {
            p._campaigns.Add(ReadCampaign(r));
        }

        var ads = ReadCount(r);
        for (var i = 0; i < ads; i++)
        {
            p._ads.Learn(ReadUInt128(r), CheckIndex(r.ReadInt32(), campaigns));
        }

        p.ReadPending(r);
        p._dedupe.BeginRestore();
        var slices = ReadCount(r);
        for (var i = 0; i < slices; i++)
        {
            var slice = r.ReadInt64();
            var ids = p._dedupe.AppendUnindexed(slice, ReadCount(r));
            for (var j = 0; j < ids.Length; j++)
            {
                ids[j] = r.ReadUInt64();
            }
        }

        var windows = ReadCount(r);
        for (var i = 0; i < windows; i++)
        {
            var (key, window) = ReadWindow(r, campaigns);
            if (!p._windows.TryAdd(key, window))
            {
                throw new InvalidDataException($"checkpoint holds window {key} twice");
            }
        }

        return p;
    }

    /// <summary>Ends a restore: rebuilds the derived indexes and notes that the checkpoint holds the state.</summary>
    public void FinishRestore()
    {
        _openBuckets.Clear();
        _finalBuckets.Clear();
        var keys = _windows.Keys.ToArray();
        Array.Sort(keys, WindowKey.BucketOrder);
        foreach (var key in keys)
        {
            AddToBucket(_windows[key].Final ? _finalBuckets : _openBuckets, key.BucketStartMs, key);
        }

        _dedupe.BuildIndex();
        RecountSketches();
        MarkCheckpointed();
        _campaigns.ResolveOwners();
    }

    private void ThrowIfUnflushed()
    {
        if (HasChanges)
        {
            throw new InvalidOperationException("flush changed windows before writing a checkpoint");
        }
    }

    private void WriteScalars(BinaryWriter w)
    {
        w.Write(Partition);
        foreach (var offset in NextOffsets)
        {
            w.Write(offset);
        }

        w.Write(_watermark.Current);
        w.Write(_watermark.LogTimeMs);
        for (var t = 0; t < TopicCount; t++)
        {
            var (maxEventTime, lastLogTime, seen) = _watermark.GetTopic(t);
            w.Write(maxEventTime);
            w.Write(lastLogTime);
            w.Write(seen);
        }

        var c = Counters;
        w.Write(c.Processed);
        w.Write(c.BotFiltered);
        w.Write(c.Late);
        w.Write(c.Unattributed);
        w.Write(c.Duplicates);
        w.Write(c.DeadLettered);
        w.Write(c.WindowsEvicted);
        w.Write(c.OwnerMismatched);
        w.Write(c.FutureDated);
    }

    /// <summary>Reads what <see cref="WriteScalars"/> wrote after the partition number.</summary>
    private void ReadScalars(BinaryReader r, ushort version)
    {
        for (var t = 0; t < TopicCount; t++)
        {
            NextOffsets[t] = r.ReadInt64();
        }

        var current = r.ReadInt64();
        var logTime = r.ReadInt64();
        var topics = new (long, long, bool)[TopicCount];
        for (var t = 0; t < TopicCount; t++)
        {
            topics[t] = (r.ReadInt64(), r.ReadInt64(), r.ReadBoolean());
        }

        _watermark.Restore(current, logTime, topics);
        var c = Counters;
        c.Processed = r.ReadInt64();
        c.BotFiltered = r.ReadInt64();
        c.Late = r.ReadInt64();
        c.Unattributed = r.ReadInt64();
        c.Duplicates = r.ReadInt64();
        c.DeadLettered = r.ReadInt64();
        c.WindowsEvicted = r.ReadInt64();
        if (version >= 4)
        {
            c.OwnerMismatched = r.ReadInt64();
            c.FutureDated = r.ReadInt64();
        }
    }

    private void WritePending(BinaryWriter w)
    {
        var pendingAds = _pending.Entries.ToList();
        w.Write(pendingAds.Count);
        foreach (var (ad, events) in pendingAds)
        {
            WriteUInt128(w, ad);
            w.Write(events.Count);
            foreach (var p in events)
            {
                w.Write((byte)p.Kind);
                w.Write(p.EventTimeMs);
                w.Write(p.UserHash);
            }
        }
    }

    private void ReadPending(BinaryReader r)
    {
        var pendingAds = ReadCount(r);
        for (var i = 0; i < pendingAds; i++)
        {
            var ad = ReadUInt128(r);
            var count = ReadCount(r);
            for (var j = 0; j < count; j++)
            {
                _pending.Add(ad, new PendingEvent((EventKind)r.ReadByte(), r.ReadInt64(), r.ReadUInt64()));
            }
        }
    }

    private static void WriteCampaign(BinaryWriter w, CampaignInfo campaign)
    {
        WriteString(w, campaign.CampaignId);
        WriteString(w, campaign.AdvertiserId);
    }

    private static CampaignInfo ReadCampaign(BinaryReader r) => new(ReadString(r), ReadString(r));

    private static void WriteAd(BinaryWriter w, (UInt128 Ad, int CampaignIndex) ad)
    {
        WriteUInt128(w, ad.Ad);
        w.Write(ad.CampaignIndex);
    }

    private static void WriteIds(BinaryWriter w, long slice, List<ulong> ids, int from)
    {
        w.Write(slice);
        w.Write(ids.Count - from);
        for (var i = from; i < ids.Count; i++)
        {
            w.Write(ids[i]);
        }
    }

    private static (long Slice, ulong[] Ids) ReadIds(BinaryReader r)
    {
        var slice = r.ReadInt64();
        var ids = new ulong[ReadCount(r)];
        for (var j = 0; j < ids.Length; j++)
        {
            ids[j] = r.ReadUInt64();
        }

        return (slice, ids);
    }

    private static void WriteWindow(BinaryWriter w, WindowKey key, CampaignWindow window, byte[] sketchBuffer)
    {
        w.Write(key.CampaignIndex);
        w.Write(key.BucketStartMs);
        w.Write(window.Impressions);
        w.Write(window.Views);
        w.Write(window.Clicks);
        w.Write(window.SpendMicros);
        w.Write(window.BotFiltered);
        w.Write(window.Late);
        w.Write(window.Duplicates);
        w.Write((byte)((window.Final ? WindowFinal : 0) | (window.SketchReleased ? WindowSketchReleased : 0)));
        if (window.Uniques is { } uniques)
        {
            var length = uniques.WriteTo(sketchBuffer);
            w.Write(length);
            w.Write(sketchBuffer, 0, length);
        }
    }

    private static (WindowKey Key, CampaignWindow Window) ReadWindow(BinaryReader r, int campaigns)
    {
        var key = new WindowKey(CheckIndex(r.ReadInt32(), campaigns), r.ReadInt64());
        var window = new CampaignWindow
        {
            Impressions = r.ReadInt64(),
            Views = r.ReadInt64(),
            Clicks = r.ReadInt64(),
            SpendMicros = r.ReadInt64(),
            BotFiltered = r.ReadInt64(),
            Late = r.ReadInt64(),
            Duplicates = r.ReadInt64(),
        };
        // Version 2 wrote the final flag as a bool here: the same byte, never with a released sketch.
        var flags = r.ReadByte();
        if (flags > (WindowFinal | WindowSketchReleased))
        {
            throw new InvalidDataException($"checkpoint window {key} has unknown flags {flags}");
        }

        window.Final = (flags & WindowFinal) != 0;
        window.Uniques = (flags & WindowSketchReleased) != 0 ? null : HyperLogLog.FromBytes(r.ReadBytes(ReadCount(r)));
        return (key, window);
    }

    private static void WriteUInt128(BinaryWriter w, UInt128 value)
    {
        w.Write((ulong)(value >> 64));
        w.Write((ulong)value);
    }

    private static UInt128 ReadUInt128(BinaryReader r)
    {
        var upper = r.ReadUInt64();
        return new UInt128(upper, r.ReadUInt64());
    }

    private static void WriteString(BinaryWriter w, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        w.Write(bytes.Length);
        w.Write(bytes);
    }

    private static string ReadString(BinaryReader r) => Encoding.UTF8.GetString(r.ReadBytes(ReadCount(r)));

    private static int ReadCount(BinaryReader r)
    {
        var count = r.ReadInt32();
        if (count < 0 || count > 1 << 28)
        {
            throw new InvalidDataException($"checkpoint has an impossible count {count}");
        }

        return count;
    }

    private static int CheckIndex(int index, int campaigns) =>
        (uint)index < (uint)campaigns ? index : throw new InvalidDataException($"checkpoint names campaign index {index} of {campaigns}");
}
