namespace Lambda.Batch.Archive;

/// <summary>Settings of <see cref="ArchiveJob"/>. <see cref="Validate"/> checks them all in one place.</summary>
public sealed class ArchiveOptions
{
    /// <summary>The master dataset's root folder (the CLI uses <c>&lt;data-dir&gt;/master</c>). Required.</summary>
    public string MasterRoot { get; init; } = "";

    /// <summary>
    /// Offsets per chunk. A chunk is streamed into one file per event date and committed on its own:
    /// larger chunks mean fewer, larger files; smaller ones lose less work to a crash and bound the memory
    /// of records set aside for a second date (≈ 500 B each, per worker; none within one day). Chunks are
    /// aligned to multiples of this size, so a resumed run cuts files exactly where an uninterrupted one does.
    /// </summary>
    public int ChunkRecords { get; init; } = 1_000_000;

    /// <summary>
    /// Records per positional read from the log. A few thousand amortize the read; more only grows the
    /// worker's read buffer (≈ 600 B per record, allocated per partition), which measured slower.
    /// </summary>
    public int ReadBatchRecords { get; init; } = 8192;

    /// <summary>
    /// Partitions archived at once, each by its own worker (reader, decoder, DuckDB connection). Defaults
    /// to the core count; lower it to leave cores to the speed layer.
    /// </summary>
    public int MaxParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// zstd level of the Parquet files (1-22). Measured on generated traffic: level 1 costs about half the
    /// CPU of DuckDB's default (3) for files about 6% larger; higher levels buy little on UUID-heavy rows.
    /// </summary>
    public int ZstdLevel { get; init; } = 1;

    /// <summary>
    /// Rows per Parquet row group. DuckDB's default (122,880) measured best: larger groups give smaller
    /// files (bigger dictionaries) but cost more CPU per row; smaller ones gain nothing.
    /// </summary>
    public int RowGroupSize { get; init; } = 122_880;

    /// <summary>DuckDB's memory cap for staging, e.g. "2GB"; null for DuckDB's default (80% of RAM). Above it DuckDB spills to the staging folder.</summary>
    public string? DuckDbMemoryLimit { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(MasterRoot))
        {
            throw new ArgumentException($"{nameof(MasterRoot)} must name a directory", nameof(MasterRoot));
        }

        Require(ChunkRecords >= 1, nameof(ChunkRecords), ChunkRecords);
        Require(ReadBatchRecords >= 1, nameof(ReadBatchRecords), ReadBatchRecords);
        Require(MaxParallelism >= 1, nameof(MaxParallelism), MaxParallelism);
        Require(RowGroupSize >= 1, nameof(RowGroupSize), RowGroupSize);
        if (ZstdLevel is < 1 or > 22)
        {
            throw new ArgumentException($"{nameof(ZstdLevel)} must be between 1 and 22 (was {ZstdLevel})", nameof(ZstdLevel));
        }
    }

    private static void Require(bool condition, string option, int value)
    {
        if (!condition)
        {
            throw new ArgumentException($"{option} must be at least 1 (was {value})", option);
        }
    }
}
