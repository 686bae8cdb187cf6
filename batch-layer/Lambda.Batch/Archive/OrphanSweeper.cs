using Lambda.Batch.Master;
using Lambda.SharedModel.IO;

namespace Lambda.Batch.Archive;

/// <summary>
/// Removes what a crashed run left: files in the master folders that the manifest does not cover
/// (a file starting at or past its partition's archived-up-to offset was renamed into place but never
/// committed), date folders left empty, the staging folder and a half-written manifest temp file.
/// After it, the folders hold exactly the committed files.
/// </summary>
internal static class OrphanSweeper
{
    /// <summary>Sweeps <paramref name="root"/>; returns the number of orphan files deleted.</summary>
    public static int Sweep(string root, ArchiveManifest manifest)
    {
        var deleted = 0;
        var staging = MasterDataset.StagingDirectory(root);
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        var manifestTemp = ArchiveManifest.PathOf(root) + ".tmp";
        if (File.Exists(manifestTemp))
        {
            File.Delete(manifestTemp);
        }

        foreach (var topic in MasterDataset.TopicsArchived)
        {
            var topicDirectory = MasterDataset.TopicDirectory(root, topic);
            var topicChanged = false;
            foreach (var date in MasterDataset.Dates(root, topic))
            {
                var directory = MasterDataset.DateDirectory(root, topic, date);
                var changed = false;
                foreach (var file in Directory.EnumerateFiles(directory))
                {
                    var name = Path.GetFileName(file);
                    if (MasterDataset.TryParseFileName(name, out var partition, out var from, out _)
                        && from >= manifest.ArchivedUpTo(topic, partition))
                    {
                        File.Delete(file);
                        deleted++;
                        changed = true;
                    }
                }

                if (!Directory.EnumerateFileSystemEntries(directory).Any())
                {
                    Directory.Delete(directory);
                    topicChanged = true;
                }
                else if (changed)
                {
                    DurableFiles.FsyncDirectory(directory);
                }
            }

            if (topicChanged)
            {
                DurableFiles.FsyncDirectory(topicDirectory);
            }
        }

        return deleted;
    }
}
