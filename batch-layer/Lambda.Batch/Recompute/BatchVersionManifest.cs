using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lambda.Batch.Recompute;

/// <summary>
/// <c>version.json</c> of a version folder: what the version was computed from and how. The next
/// incremental run reads it to find what changed (new master files, days newly complete, ads newly
/// announced) and which days it may copy.
/// </summary>
/// <param name="BaseVersionId">The version whose untouched days were copied; null for a full run.</param>
/// <param name="RecomputedDates">Dates computed from the master dataset by this run.</param>
/// <param name="MasterFiles">Every master file the version covers (paths relative to the master root).</param>
/// <param name="CoveredOffsets">Per topic and partition, the end of the offsets covered.</param>
/// <param name="ArchiveRun">The archive manifest's last run when the version was computed (0 without a manifest).</param>
/// <param name="Days">Totals of every complete date the version covers.</param>
public sealed record BatchVersionManifest(
    long VersionId,
    long WatermarkMs,
    DateTimeOffset CreatedAt,
    long? BaseVersionId,
    IReadOnlyList<DateOnly> RecomputedDates,
    IReadOnlyList<string> MasterFiles,
    JsonElement CoveredOffsets,
    long ArchiveRun,
    IReadOnlyList<DayTotals> Days,
    long MinuteRows,
    long HourRows,
    long DayRows)
{
    /// <summary>The file name inside a version folder.</summary>
    public const string FileName = "version.json";

    /// <summary>The JSON conventions of every batch-layer file: snake_case names, indented.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Reads the manifest of the version folder <paramref name="versionDirectory"/>, or null if it has none.</summary>
    public static BatchVersionManifest? TryRead(string versionDirectory)
    {
        var path = Path.Combine(versionDirectory, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        using var stream = File.OpenRead(path);
        try
        {
            return JsonSerializer.Deserialize<BatchVersionManifest>(stream, JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"the batch version manifest '{path}' is not valid JSON: {ex.Message}", ex);
        }
    }

    /// <summary>Writes the manifest into <paramref name="versionDirectory"/>.</summary>
    public void Write(string versionDirectory)
    {
        using var stream = File.Create(Path.Combine(versionDirectory, FileName));
        JsonSerializer.Serialize(stream, this, JsonOptions);
        stream.Flush(flushToDisk: true);
    }
}
