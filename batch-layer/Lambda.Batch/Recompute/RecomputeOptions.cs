using Lambda.Batch.ParquetFiles;
using Lambda.SharedModel.Bots;

namespace Lambda.Batch.Recompute;

/// <summary>
/// Knobs of the exact recompute. <see cref="Validate"/> is the one place they are checked; its
/// messages name the option.
/// </summary>
public sealed class RecomputeOptions
{
    /// <summary>The platform's data directory: the master dataset is <c>master/</c> in it, batch output <c>batch/</c>.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>
    /// How long after a UTC day's end the newest archived log time must be before the day counts as
    /// complete and goes into a version. Longer waits take more late data into the exact view, but keep
    /// the watermark W (and the speed layer's share of every answer) further back.
    /// </summary>
    public TimeSpan CompletenessCutoff { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Versions kept (store and disk); older ones are deleted after each successful run. The current one is always kept.</summary>
    public int KeepVersions { get; init; } = 7;

    /// <summary>Rows per <c>AppendBatchRowsAsync</c> call: larger chunks load faster but hold more sketches in memory.</summary>
    public int StoreChunkRows { get; init; } = 5_000;

    /// <summary>The bot rules; the speed layer must use the same ones or the layers disagree.</summary>
    public BotRules BotRules { get; init; } = BotRules.Default;

    /// <summary>DuckDB worker threads; null = all cores. Lower it to leave cores to the speed layer.</summary>
    public int? Threads { get; init; }

    /// <summary>DuckDB memory cap such as "4GB" (null = DuckDB's default, 80% of RAM); above it, joins and aggregates spill to <c>batch/tmp</c>.</summary>
    public string? MemoryLimit { get; init; }

    /// <summary>
    /// Freed memory DuckDB keeps for the next statement instead of returning it to the OS, such as "2GB"
    /// (null = DuckDB's defaults, 128 MB): at 100M events the days' hash tables were handed back and
    /// faulted in again every day (<see cref="RecomputeDatabase"/>). Only memory actually used is kept.
    /// While set, DuckDB's allocator also keeps every freed page until the run ends
    /// (<see cref="RecomputeDatabase.HoldFreedMemory"/>); null turns both off.
    /// </summary>
    public string? RetainedMemory { get; init; } = "2GB";

    /// <summary>Whether to compare the speed layer's rows with the new exact rows after a successful run.</summary>
    public bool ComputeDrift { get; init; } = true;

    /// <summary>
    /// zstd level of the view files: 1, 3 or 19 (the levels Parquet.Net writes). Level 1 costs about a third
    /// less CPU than level 3 for ~10 % more bytes (10M events).
    /// </summary>
    public int ZstdLevel { get; init; } = 1;

    /// <summary>The view files' codec: zstd (at <see cref="ZstdLevel"/>), or snappy for readers without zstd.</summary>
    public ParquetCompression Compression { get; init; } = ParquetCompression.Zstd;

    /// <summary>Rows per row group of the view files (fewer when rows of large sketches pass 64 MiB).</summary>
    public int RowGroupSize { get; init; } = 122_880;

    /// <summary>How the view files are written.</summary>
    internal ParquetFileFormat FileFormat => new(Compression, ZstdLevel, RowGroupSize);

    /// <summary>Where the files live.</summary>
    public BatchPaths Paths => new(DataDirectory);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            throw new ArgumentException($"recompute option {nameof(DataDirectory)} must not be empty", nameof(DataDirectory));
        }

        if (CompletenessCutoff < TimeSpan.Zero)
        {
            throw new ArgumentException($"recompute option {nameof(CompletenessCutoff)} must be zero or more (got {CompletenessCutoff})", nameof(CompletenessCutoff));
        }

        if (KeepVersions < 1)
        {
            throw new ArgumentException($"recompute option {nameof(KeepVersions)} must be at least 1 (got {KeepVersions})", nameof(KeepVersions));
        }

        if (StoreChunkRows is < 1 or > 1_000_000)
        {
            throw new ArgumentException($"recompute option {nameof(StoreChunkRows)} must be between 1 and 1000000 (got {StoreChunkRows})", nameof(StoreChunkRows));
        }

        if (RetainedMemory is not null && string.IsNullOrWhiteSpace(RetainedMemory))
        {
            throw new ArgumentException($"recompute option {nameof(RetainedMemory)} must be a size such as 2GB, or null", nameof(RetainedMemory));
        }

        ParquetFileFormat.ValidateZstdLevel(ZstdLevel, $"recompute option {nameof(ZstdLevel)}");
        if (RowGroupSize < 1)
        {
            throw new ArgumentException($"recompute option {nameof(RowGroupSize)} must be at least 1 (got {RowGroupSize})", nameof(RowGroupSize));
        }

        if (Threads is <= 0)
        {
            throw new ArgumentException($"recompute option {nameof(Threads)} must be positive (got {Threads})", nameof(Threads));
        }
    }
}
