using Lambda.SharedModel.Views;
using Lambda.Speed.State;

namespace Lambda.Speed.Processing;

internal sealed partial class PartitionProcessor
{
    /// <summary>
    /// Appends a full-value row for every window changed since the last call and clears the
    /// changes: windows holding their sketch to <paramref name="rows"/>, windows whose sketch was
    /// released (it is in the store) to <paramref name="countRows"/>, to be written counters-only.
    /// Windows past retention are dropped from memory once their last change is out.
    /// </summary>
    public int CollectChanges(List<SpeedViewRow> rows, List<SpeedCountsRow> countRows)
    {
        var collected = 0;
        foreach (var key in _dirty)
        {
            if (!_windows.TryGetValue(key, out var window))
            {
                continue;
            }

            window.Dirty = false;
            NoteChanged(key, window);
            var campaign = _campaigns[key.CampaignIndex].CampaignId;
            if (window.Uniques is { } uniques)
            {
                AccountSketch(window);
                rows.Add(new SpeedViewRow(campaign, key.BucketStartMs, Partition, window.Counts, uniques.ToBytes(), window.Final));
            }
            else
            {
                countRows.Add(new SpeedCountsRow(campaign, key.BucketStartMs, Partition, window.Counts, window.Final));
            }

            collected++;
            if (window.Final && key.BucketStartMs + MinuteMs + _retentionMs <= _watermark.Current)
            {
                NoteEvicted(key);
            }
        }

        _dirty.Clear();
        return collected;
    }

    /// <summary>True if some window changed since the last <see cref="CollectChanges"/>.</summary>
    public bool HasChanges => _dirty.Count > 0;

    /// <summary>Campaigns first seen since the last call, to register in the view store.</summary>
}
