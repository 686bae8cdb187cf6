namespace Lambda.Batch.Recompute;

/// <summary>Which dates a run computes and which it copies from its base version, for the watermark W.</summary>
internal sealed record RecomputePlan(
    long WatermarkMs,
    BatchVersionManifest? Base,
    string? BaseDirectory,
    IReadOnlyList<DateOnly> Recompute,
    IReadOnlyList<DateOnly> Copy)
{
    /// <summary>
    /// Plans against the current version: a date is dirty when a master file of it is new since the
    /// base, when it became complete since (it was at or after the base's W), when a new served record
    /// names an ad the base could not attribute on that date, when an archive or backfill run since the
    /// base touched it (the archive manifest's record of dates per run), or when it was asked for. Anything the
    /// base cannot explain (files gone, W moved back, no manifest) means a full run.
    /// </summary>
    public static RecomputePlan Make(MasterSnapshot snapshot, IReadOnlyList<DateOnly> completeDates, long watermarkMs,
        BatchVersionManifest? baseVersion, string? baseDirectory, RecomputeRequest request, Func<IReadOnlyList<MasterFile>, HashSet<string>> servedAds)
    {
        if (request.Full || baseVersion is null || baseDirectory is null || baseVersion.WatermarkMs > watermarkMs
            || (snapshot.Manifest is { } m && m.LastRun < baseVersion.ArchiveRun))
        {
            return new RecomputePlan(watermarkMs, null, null, completeDates, []);
        }

        var baseFiles = baseVersion.MasterFiles.ToHashSet(StringComparer.Ordinal);
        var current = snapshot.Files.Select(f => f.RelativePath).ToHashSet(StringComparer.Ordinal);
        if (!baseFiles.IsSubsetOf(current))
        {
            return new RecomputePlan(watermarkMs, null, null, completeDates, []);
        }

        var newFiles = snapshot.Files.Where(f => !baseFiles.Contains(f.RelativePath)).ToList();
        var dirty = newFiles.Select(f => f.Date).ToHashSet();
        foreach (var date in completeDates)
        {
            if (!BatchWatermark.IsBefore(date, baseVersion.WatermarkMs))
            {
                dirty.Add(date);
            }
        }

        if (snapshot.Manifest is { } manifest && baseVersion.ArchiveRun > 0)
        {
            dirty.UnionWith(manifest.DatesDirtiedSince(baseVersion.ArchiveRun));
        }

        foreach (var date in request.Dates ?? [])
        {
            dirty.Add(date);
        }

        var waiting = baseVersion.Days.Where(d => d.UnattributedAdIds.Count > 0).ToList();
        var newServed = newFiles.Where(f => f.Topic == Lambda.SharedModel.Events.Topics.Served).ToList();
        if (waiting.Count > 0 && newServed.Count > 0)
        {
            var announced = servedAds(newServed);
            foreach (var day in waiting.Where(d => d.UnattributedAdIds.Any(announced.Contains)))
            {
                dirty.Add(day.Date);
            }
        }

        var baseDates = baseVersion.Days.Select(d => d.Date).ToHashSet();
        var recompute = completeDates.Where(dirty.Contains).ToList();
        var copy = completeDates.Where(d => !dirty.Contains(d) && baseDates.Contains(d)).ToList();
        // A complete date neither dirty nor in the base has no data the base saw: compute it (it is cheap: empty or new).
        recompute.AddRange(completeDates.Where(d => !dirty.Contains(d) && !baseDates.Contains(d)));
        recompute.Sort();
        return new RecomputePlan(watermarkMs, baseVersion, baseDirectory, recompute, copy);
    }
}
