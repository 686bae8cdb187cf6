using Lambda.Batch.Master;
using Lambda.SharedModel.IO;
using Microsoft.Extensions.Logging;

namespace Lambda.Batch.Backfill;

/// <summary>
/// The swaps. Each step is a rename (or a delete of something already moved aside) followed by an fsync of
/// the folders involved, and each state between steps is recognizable, so running a swap again after a
/// crash at any point finishes it. The plan is marked complete before the first step.
/// </summary>
public sealed partial class BackfillJob
{
    /// <summary>The rebuild is finished: give it the master's run history plus this run, and mark the plan complete.</summary>
    private void CompleteWhole(BackfillPlan plan, ArchiveManifest master)
    {
        var rebuilt = ArchiveManifest.Load(_rebuild);
        var dates = new SortedSet<DateOnly>();
        foreach (var topic in MasterDataset.TopicsArchived)
        {
            dates.UnionWith(MasterDataset.Dates(_rebuild, topic));
            dates.UnionWith(MasterDataset.Dates(_root, topic));
        }

        plan.Run = master.LastRun + 1;
        plan.Replace = [.. dates];
        var records = MasterDataset.TopicsArchived.Sum(t => MasterDataset.CountRows(_rebuild, t));
        rebuilt.ReplaceRuns([.. master.Runs, new ArchiveRun { Run = plan.Run, StartedAt = _options.Archive.Time.GetUtcNow(), Dates = plan.Replace, Records = records, Kind = "backfill" }]);
        rebuilt.Save(_rebuild);
        OnStep?.Invoke("whole:manifest");
        plan.Complete = true;
        plan.Save(_rebuild);
        OnStep?.Invoke("whole:complete");
    }

    /// <summary>master → master.old, master.backfill → master, delete master.old, delete the plan (now in master).</summary>
    private void SwapWhole(BackfillPlan plan)
    {
        var parent = Path.GetDirectoryName(_root)!;
        if (Directory.Exists(_rebuild))
        {
            if (Directory.Exists(_root))
            {
                DeleteTree(_aside);
                Directory.Move(_root, _aside);
                DurableFiles.FsyncDirectory(parent);
                OnStep?.Invoke("whole:aside");
            }

            Directory.Move(_rebuild, _root);
            DurableFiles.FsyncDirectory(parent);
            OnStep?.Invoke("whole:in");
        }

        DeleteTree(_aside);
        var planFile = BackfillPaths.Plan(_root);
        if (File.Exists(planFile))
        {
            File.Delete(planFile);
            DurableFiles.FsyncDirectory(_root);
        }

        DurableFiles.FsyncDirectory(parent);
        _logger.LogInformation(BatchLogEvents.BackfillMasterReplaced, "backfill run {Run}: the rebuilt master dataset replaced {Root}", plan.Run, _root);
    }

    /// <summary>
    /// The rebuild of a range is finished: an empty folder in the rebuild for every master date folder of the
    /// range the rebuild has none for (so the swap removes it), then the plan is marked complete.
    /// </summary>
    private void CompleteDates(BackfillPlan plan, EventDateRange range, ArchiveManifest master)
    {
        var dates = new SortedSet<DateOnly>();
        foreach (var topic in MasterDataset.TopicsArchived)
        {
            foreach (var date in MasterDataset.Dates(_root, topic).Where(range.Contains))
            {
                Directory.CreateDirectory(MasterDataset.DateDirectory(_rebuild, topic, date));
            }

            dates.UnionWith(MasterDataset.Dates(_rebuild, topic));
        }

        plan.Run = master.LastRun + 1;
        plan.Replace = [.. dates];
        plan.Complete = true;
        plan.Save(_rebuild);
        OnStep?.Invoke("dates:complete");
    }

    /// <summary>For each rebuilt date folder: master's folder → master.old, rebuilt folder → master, delete the old one; then record the run.</summary>
    private void SwapDates(BackfillPlan plan)
    {
        foreach (var topic in MasterDataset.TopicsArchived)
        {
            var topicDirectory = MasterDataset.TopicDirectory(_root, topic);
            foreach (var date in MasterDataset.Dates(_rebuild, topic))
            {
                var source = MasterDataset.DateDirectory(_rebuild, topic, date);
                var target = MasterDataset.DateDirectory(_root, topic, date);
                var aside = MasterDataset.DateDirectory(_aside, topic, date);
                if (Directory.Exists(target))
                {
                    DeleteTree(aside);
                    Directory.CreateDirectory(Path.GetDirectoryName(aside)!);
                    Directory.Move(target, aside);
                    OnStep?.Invoke("dates:aside");
                }

                if (Directory.EnumerateFileSystemEntries(source).Any())
                {
                    Directory.CreateDirectory(topicDirectory);
                    Directory.Move(source, target);
                }
                else
                {
                    Directory.Delete(source);
                }

                DurableFiles.FsyncDirectory(topicDirectory);
                DurableFiles.FsyncDirectory(MasterDataset.TopicDirectory(_rebuild, topic));
                OnStep?.Invoke("dates:in");
                DeleteTree(aside);
            }
        }

        var master = ArchiveManifest.Load(_root);
        if (master.LastRun < plan.Run)
        {
            master.RecordRun(new ArchiveRun { Run = plan.Run, StartedAt = _options.Archive.Time.GetUtcNow(), Dates = plan.Replace, Kind = "backfill-range" });
            master.Save(_root);
            OnStep?.Invoke("dates:manifest");
        }

        DeleteTree(_rebuild);
        DeleteTree(_aside);
        DurableFiles.FsyncDirectory(Path.GetDirectoryName(_root)!);
        _logger.LogInformation(BatchLogEvents.BackfillDatesReplaced, "backfill run {Run}: replaced {Dates} date folders of {Root}", plan.Run, plan.Replace.Count, _root);
    }

    private static void DeleteTree(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
