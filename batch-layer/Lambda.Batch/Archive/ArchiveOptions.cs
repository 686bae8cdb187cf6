using Lambda.Batch.ParquetFiles;

namespace Lambda.Batch.Archive;

/// <summary>Settings of <see cref="ArchiveJob"/>. <see cref="Validate"/> checks them all in one place.</summary>
public sealed class ArchiveOptions
{
    /// <summary>The master dataset's root folder (the CLI uses <c>&lt;data-dir&gt;/master</c>). Required.</summary>
    public string MasterRoot { get; init; } = "";

    /// <summary>The clock that dates archive and backfill runs in the manifest (tests give a fake one).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// Offsets per chunk. A chunk is streamed into one file per event date and committed on its own:
    /// larger chunks mean fewer, larger files; smaller ones lose less work to a crash. Chunks are aligned
    /// to multiples of this size, so a resumed run cuts files exactly where an uninterrupted one does.
    /// </summary>
    public int ChunkRecords { get; init; } = 1_000_000;

    /// <summary>
    /// Records per positional read from the log. A few thousand amortize the read; more only grows the
    /// worker's read buffer (≈ 600 B per record, allocated per partition), which measured slower.
    /// </summary>
    public int ReadBatchRecords { get; init; } = 8192;

    /// <summary>
    /// Partitions archived at once, each by its own worker (reader, decoder, Parquet writers). Defaults
    /// to the core count; lower it to leave cores to the speed layer.
    /// </summary>
    public int MaxParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// zstd level of the Parquet files: 1, 3 or 19, the levels Parquet.Net writes (<see cref="ParquetFileFormat"/>).
    /// Measured on generated traffic: level 1 costs about half the CPU of level 3 for files about 6% larger;
    /// higher levels buy little on UUID-heavy rows.
    /// </summary>
    public int ZstdLevel { get; init; } = 1;

    /// <summary>The files' codec: zstd (at <see cref="ZstdLevel"/>), or snappy for readers without zstd.</summary>
    public ParquetCompression Compression { get; init; } = ParquetCompression.Zstd;

    /// <summary>
    /// Rows per Parquet row group: DuckDB's default (122,880), the unit its reader parallelizes over.
    /// Each worker buffers one row group per event date it is writing (≈ 20 MB of served rows).
    /// </summary>
    public int RowGroupSize { get; init; } = 122_880;

    /// <summary>
    /// How far an event time may lie ahead of its record's log time; records further ahead are left out
    /// of the master dataset, as the speed layer dead-letters them. Must equal the speed layer's
    /// <c>MaxFutureSkew</c> for the two layers to agree.
    /// </summary>
    public TimeSpan MaxFutureSkew { get; init; } = TimeSpan.FromMilliseconds(Lambda.SharedModel.Codec.EventDecoder.DefaultMaxFutureSkewMs);

    /// <summary>How the master files are written.</summary>
    internal ParquetFileFormat FileFormat => new(Compression, ZstdLevel, RowGroupSize);

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
        if (MaxFutureSkew < TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(MaxFutureSkew)} must not be negative (was {MaxFutureSkew})", nameof(MaxFutureSkew));
        }
        ParquetFileFormat.ValidateZstdLevel(ZstdLevel, nameof(ZstdLevel));
    }

    private static void Require(bool condition, string option, int value)
    {
        if (!condition)
        {
            throw new ArgumentException($"{option} must be at least 1 (was {value})", option);
        }
    }
}
