namespace Lambda.Batch.Archive;

/// <summary>The stages of archiving a chunk, as timed by <see cref="ArchiveTimings"/>.</summary>
public enum ArchiveStage
{
    /// <summary>Positional reads of the log partition.</summary>
    LogRead,

    /// <summary>JSON decoding, written column by column into DuckDB data chunks per event date.</summary>
    Decode,

    /// <summary>DuckDB's COPY of those chunks to Parquet: encoding and zstd compression, into the staging folder.</summary>
    Parquet,

    /// <summary>fsync of the files, the renames into their date folders and the folder fsyncs.</summary>
    Durable,

    /// <summary>The manifest commit (an atomic replace of <c>_manifest.json</c>).</summary>
    Manifest,
}
