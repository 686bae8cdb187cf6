using Lambda.SharedModel.Views;

namespace Lambda.Batch.Recompute;

/// <summary>
/// The batch view versions of one data directory, in the store and on disk: listing, rollback,
/// pruning to the newest N, and removal of what a crashed run left behind.
/// </summary>
public sealed class BatchVersionCatalog(IViewStore store, BatchPaths paths)
{
    /// <summary>Every version in the store, newest first, with the current one marked.</summary>
    public async Task<IReadOnlyList<BatchVersionEntry>> ListAsync(CancellationToken cancellationToken = default)
    {
        var versions = await store.ListBatchVersionsAsync(cancellationToken).ConfigureAwait(false);
        var current = await store.GetCurrentBatchVersionAsync(cancellationToken).ConfigureAwait(false);
        return [.. versions.Select(v => new BatchVersionEntry(v, v.VersionId == current?.VersionId))];
    }

    /// <summary>
    /// Makes <paramref name="versionId"/> current again, or, when null, the newest ready version older
    /// than the current one. Throws <see cref="InvalidOperationException"/> if there is no such kept version.
    /// </summary>
    public async Task<BatchVersionInfo> RollbackAsync(long? versionId, CancellationToken cancellationToken = default)
    {
        var versions = await store.ListBatchVersionsAsync(cancellationToken).ConfigureAwait(false);
        var current = await store.GetCurrentBatchVersionAsync(cancellationToken).ConfigureAwait(false);
        var ready = versions.Where(v => v.State == BatchVersionStates.Ready).ToList();
        var target = versionId is { } id
            ? ready.FirstOrDefault(v => v.VersionId == id)
                ?? throw new InvalidOperationException($"version {id} is not a kept, ready batch version")
            : ready.FirstOrDefault(v => current is null || v.VersionId < current.VersionId)
                ?? throw new InvalidOperationException("there is no older ready batch version to roll back to");
        await store.SetCurrentBatchVersionAsync(target.VersionId, cancellationToken).ConfigureAwait(false);
        return target;
    }

    /// <summary>
    /// Keeps the newest <paramref name="keep"/> ready versions (and always the current one); deletes the
    /// rest from the store and their folders and drift reports from disk. Returns the ids deleted.
    /// </summary>
    public async Task<IReadOnlyList<long>> PruneAsync(int keep, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        var versions = await store.ListBatchVersionsAsync(cancellationToken).ConfigureAwait(false);
        var current = await store.GetCurrentBatchVersionAsync(cancellationToken).ConfigureAwait(false);
        var kept = versions.Where(v => v.State == BatchVersionStates.Ready).Take(keep).Select(v => v.VersionId).ToHashSet();
        var deleted = new List<long>();
        foreach (var version in versions.Where(v => v.State == BatchVersionStates.Ready))
        {
            if (kept.Contains(version.VersionId) || version.VersionId == current?.VersionId)
            {
                continue;
            }

            await store.DeleteBatchVersionAsync(version.VersionId, cancellationToken).ConfigureAwait(false);
            DeleteFiles(version.VersionId);
            deleted.Add(version.VersionId);
        }

        return deleted;
    }

    /// <summary>
    /// Removes what an interrupted run left: versions still loading in the store, version folders the
    /// store does not know as ready, and scratch files. Call only while holding <see cref="BatchJobLock"/>.
    /// </summary>
    public async Task CleanUpAbandonedAsync(CancellationToken cancellationToken = default)
    {
        var versions = await store.ListBatchVersionsAsync(cancellationToken).ConfigureAwait(false);
        foreach (var version in versions.Where(v => v.State != BatchVersionStates.Ready))
        {
            await store.DeleteBatchVersionAsync(version.VersionId, cancellationToken).ConfigureAwait(false);
        }

        var ready = versions.Where(v => v.State == BatchVersionStates.Ready).Select(v => v.VersionId).ToHashSet();
        if (Directory.Exists(paths.ViewsRoot))
        {
            foreach (var directory in Directory.EnumerateDirectories(paths.ViewsRoot))
            {
                if (!BatchPaths.TryParseVersionName(Path.GetFileName(directory), out var id) || !ready.Contains(id))
                {
                    Directory.Delete(directory, recursive: true);
                }
            }
        }

        if (Directory.Exists(paths.TempRoot))
        {
            Directory.Delete(paths.TempRoot, recursive: true);
        }
    }

    /// <summary>The next version id: above every version in the store and every recorded failure.</summary>
    public async Task<long> NextVersionIdAsync(CancellationToken cancellationToken = default)
    {
        var versions = await store.ListBatchVersionsAsync(cancellationToken).ConfigureAwait(false);
        var max = versions.Count == 0 ? 0 : versions.Max(v => v.VersionId);
        if (Directory.Exists(paths.FailuresRoot))
        {
            foreach (var file in Directory.EnumerateFiles(paths.FailuresRoot, "v*.json"))
            {
                if (BatchPaths.TryParseVersionName(Path.GetFileNameWithoutExtension(file), out var failed))
                {
                    max = Math.Max(max, failed);
                }
            }
        }

        return max + 1;
    }

    private void DeleteFiles(long versionId)
    {
        var directory = paths.VersionDirectory(versionId);
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        // A version whose recompute was killed between its flip and its drift report has none, and
        // before any report there is no drift directory, where File.Delete would throw.
        if (File.Exists(paths.DriftFile(versionId)))
        {
            File.Delete(paths.DriftFile(versionId));
        }
    }
}
