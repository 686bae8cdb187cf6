namespace Lambda.Batch.Archive;

/// <summary>Settings of <see cref="ArchiveJob"/>. <see cref="Validate"/> checks them all in one place.</summary>
public sealed class ArchiveOptions
{
    /// <summary>The master dataset's root folder (the CLI uses <c>&lt;data-dir&gt;/master</c>). Required.</summary>
    public string MasterRoot { get; init; } = "";

    /// <summary>
    /// Offsets per chunk. A chunk is staged in memory, written as one file per event date and committed
    /// on its own: larger chunks mean fewer, larger files; smaller ones bound memory (≈ 300 B per record
    /// staged, per worker) and lose less work to a crash. Chunks are aligned to multiples of this size,
    /// so a resumed run cuts files exactly where an uninterrupted one does.
    /// </summary>
    public int ChunkRecords { get; init; } = 1_000_000;

    /// <summary>Records per positional read from the log.</summary>
    public int ReadBatchRecords { get; init; } = 65_536;

    /// <summary>
    /// Partitions archived at once, each by its own worker (reader, decoder, DuckDB connection). Defaults
    /// to the core count; lower it to leave cores to the speed layer.
    /// </summary>
    public int MaxParallelism { get; init; } = Environment.ProcessorCount;

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
    }

    private static void Require(bool condition, string option, int value)
    {
        if (!condition)
        {
            throw new ArgumentException($"{option} must be at least 1 (was {value})", option);
        }
    }
}
