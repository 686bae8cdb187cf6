using System.Text.Json;
using Lambda.Batch.Recompute;

namespace Lambda.Batch.Drift;

/// <summary>Reads and writes drift reports (snake_case JSON, one file per version).</summary>
public static class DriftReports
{
    /// <summary>Writes the report of its version, replacing any older one.</summary>
    public static void Write(BatchPaths paths, DriftReport report)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(report);
        Directory.CreateDirectory(paths.DriftRoot);
        var path = paths.DriftFile(report.VersionId);
        var staging = path + ".tmp";
        File.WriteAllText(staging, JsonSerializer.Serialize(report, BatchVersionManifest.JsonOptions));
        File.Move(staging, path, overwrite: true);
    }

    /// <summary>The report of <paramref name="versionId"/>, or null if it has none.</summary>
    public static DriftReport? Read(BatchPaths paths, long versionId)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var path = paths.DriftFile(versionId);
        if (!File.Exists(path))
        {
            return null;
        }

        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<DriftReport>(stream, BatchVersionManifest.JsonOptions);
    }
}
