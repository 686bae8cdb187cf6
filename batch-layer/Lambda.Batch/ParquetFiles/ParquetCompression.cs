namespace Lambda.Batch.ParquetFiles;

/// <summary>The codec of the platform's Parquet files.</summary>
public enum ParquetCompression
{
    /// <summary>zstd at the level the options give: the default.</summary>
    Zstd,

    /// <summary>snappy, for readers without zstd.</summary>
    Snappy,
}
