using System.Text;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Sketches;
using Lambda.SharedModel.Views;
using Lambda.Speed.State;

namespace Lambda.Speed.Processing;

/// <summary>
/// The processor's state as a checkpoint body (format version 1; framing and checksum are the
/// <see cref="Checkpoints.CheckpointStore"/>'s). Everything that decides future output is here:
/// offsets, watermark, counters, campaigns, the ad map, pending joins, the dedupe window and the
/// windows with their sketches. A change to this layout needs a new version and the golden test.
/// </summary>
internal sealed partial class PartitionProcessor
{
    public const ushort CheckpointFormatVersion = 1;

    /// <summary>Writes the state. Call only when <see cref="HasChanges"/> is false (after a flush).</summary>
    public void WriteState(BinaryWriter w)
    {
        if (HasChanges)
        {
            throw new InvalidOperationException("flush changed windows before writing a checkpoint");
        }

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
        foreach (var v in (long[])[c.Processed, c.BotFiltered, c.Late, c.Unattributed, c.Duplicates, c.DeadLettered, c.WindowsEvicted])
        {
            w.Write(v);
        }

        w.Write(_campaigns.Count);
        for (var i = 0; i < _campaigns.Count; i++)
        {
            WriteString(w, _campaigns[i].CampaignId);
            WriteString(w, _campaigns[i].AdvertiserId);
        }

        w.Write(_ads.Count);
        foreach (var (ad, campaign) in _ads.Entries)
        {
            WriteUInt128(w, ad);
            w.Write(campaign);
        }

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

        var slices = _dedupe.Slices.ToList();
        w.Write(slices.Count);
        foreach (var (slice, ids) in slices)
        {
            w.Write(slice);
            w.Write(ids.Count);
            foreach (var id in ids)
            {
                w.Write(id);
            }
        }

        w.Write(_windows.Count);
        foreach (var (key, window) in _windows)
        {
            w.Write(key.CampaignIndex);
            w.Write(key.BucketStartMs);
            foreach (var v in (long[])[window.Impressions, window.Views, window.Clicks, window.SpendMicros, window.BotFiltered, window.Late, window.Duplicates])
            {
                w.Write(v);
            }

            w.Write(window.Final);
            var sketch = window.Uniques.ToBytes();
            w.Write(sketch.Length);
            w.Write(sketch);
        }
    }

    /// <summary>Rebuilds a processor from a checkpoint body written by <see cref="WriteState"/>.</summary>
    public static PartitionProcessor ReadState(BinaryReader r, SpeedOptions options, Lambda.SharedModel.Bots.BotRules bots, IDeadLetterSink deadLetters)
    {
        var p = new PartitionProcessor(r.ReadInt32(), options, bots, deadLetters);
        for (var t = 0; t < TopicCount; t++)
        {
            p.NextOffsets[t] = r.ReadInt64();
        }

        var current = r.ReadInt64();
        var logTime = r.ReadInt64();
        var topics = new (long, long, bool)[TopicCount];
        for (var t = 0; t < TopicCount; t++)
        {
            topics[t] = (r.ReadInt64(), r.ReadInt64(), r.ReadBoolean());
        }

        p._watermark.Restore(current, logTime, topics);
        var c = p.Counters;
        c.Processed = r.ReadInt64();
        c.BotFiltered = r.ReadInt64();
        c.Late = r.ReadInt64();
        c.Unattributed = r.ReadInt64();
        c.Duplicates = r.ReadInt64();
        c.DeadLettered = r.ReadInt64();
        c.WindowsEvicted = r.ReadInt64();

        var campaigns = ReadCount(r);
        for (var i = 0; i < campaigns; i++)
        {
            p._campaigns.Add(new CampaignInfo(ReadString(r), ReadString(r)));
        }

        var ads = ReadCount(r);
        for (var i = 0; i < ads; i++)
        {
            p._ads.Learn(ReadUInt128(r), CheckIndex(r.ReadInt32(), campaigns));
        }

        var pendingAds = ReadCount(r);
        for (var i = 0; i < pendingAds; i++)
        {
            var ad = ReadUInt128(r);
            var count = ReadCount(r);
            for (var j = 0; j < count; j++)
            {
                p._pending.Add(ad, new PendingEvent((EventKind)r.ReadByte(), r.ReadInt64(), r.ReadUInt64()));
            }
        }

        var slices = ReadCount(r);
        for (var i = 0; i < slices; i++)
        {
            var slice = r.ReadInt64();
            var ids = new ulong[ReadCount(r)];
            for (var j = 0; j < ids.Length; j++)
            {
                ids[j] = r.ReadUInt64();
            }

            p._dedupe.Restore(slice, ids);
        }

        var windows = ReadCount(r);
        for (var i = 0; i < windows; i++)
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
                Final = r.ReadBoolean(),
            };
            window.Uniques = HyperLogLog.FromBytes(r.ReadBytes(ReadCount(r)));
            p._windows.Add(key, window);
            AddToBucket(window.Final ? p._finalBuckets : p._openBuckets, key.BucketStartMs, key);
        }

        p._campaigns.MarkAllUnreported();
        return p;
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
