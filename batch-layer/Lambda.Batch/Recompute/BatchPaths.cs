using System.Globalization;
using Lambda.SharedModel.IO;

namespace Lambda.Batch.Recompute;

/// <summary>
/// The batch layer's files under the data directory: <c>master/</c> (the master dataset),
/// <c>batch/views/v&lt;N&gt;/</c> (one folder per view version), <c>batch/drift/v&lt;N&gt;.json</c>,
/// <c>batch/failures/v&lt;N&gt;.json</c> (failed validations), <c>batch/tmp/</c> (work and spill space).
/// </summary>
public sealed class BatchPaths(string dataDirectory)
{
    /// <summary>The data directory.</summary>
    public string DataDirectory { get; } = dataDirectory;

    /// <summary>The master dataset's root.</summary>
    public string MasterRoot => Path.Combine(DataDirectory, "master");

    /// <summary>The batch layer's root.</summary>
    public string BatchRoot => Path.Combine(DataDirectory, "batch");

    /// <summary>The folder holding one folder per view version.</summary>
    public string ViewsRoot => Path.Combine(BatchRoot, "views");

    /// <summary>Drift reports.</summary>
    public string DriftRoot => Path.Combine(BatchRoot, "drift");

    /// <summary>Records of failed validations.</summary>
    public string FailuresRoot => Path.Combine(BatchRoot, "failures");

    /// <summary>Scratch space: half-written versions and DuckDB's spill files.</summary>
    public string TempRoot => Path.Combine(BatchRoot, "tmp");

    /// <summary>Held exclusively by the one recompute or rollback running at a time.</summary>
    public string LockFile => Path.Combine(BatchRoot, ".lock");

    /// <summary>One recompute, rollback or prune at a time per data directory.</summary>
    /// <exception cref="FileLockHeldException">Another batch job holds it.</exception>
    public FileLock LockBatchJobs() => FileLock.Acquire(LockFile, $"the batch layer of {DataDirectory} (a recompute, rollback or prune)");

    /// <summary>The folder of version <paramref name="versionId"/>.</summary>
    public string VersionDirectory(long versionId) => Path.Combine(ViewsRoot, VersionName(versionId));

    /// <summary>The drift report of version <paramref name="versionId"/>.</summary>
    public string DriftFile(long versionId) => Path.Combine(DriftRoot, VersionName(versionId) + ".json");

    /// <summary>The failure record of attempted version <paramref name="versionId"/>.</summary>
    public string FailureFile(long versionId) => Path.Combine(FailuresRoot, VersionName(versionId) + ".json");

    /// <summary>"v" and the id, e.g. <c>v12</c>.</summary>
    public static string VersionName(long versionId) => "v" + versionId.ToString(CultureInfo.InvariantCulture);

    /// <summary>Parses a name made by <see cref="VersionName"/>.</summary>
    public static bool TryParseVersionName(string name, out long versionId)
    {
        versionId = 0;
        return name.Length > 1 && name[0] == 'v'
            && long.TryParse(name.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out versionId);
    }
}
