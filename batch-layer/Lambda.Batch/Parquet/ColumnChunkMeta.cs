namespace Lambda.Batch.Parquet;

/// <summary>What the footer says about one written column chunk (parquet.thrift's ColumnMetaData and its Statistics).</summary>
internal sealed record ColumnChunkMeta(
    ParquetColumn Column,
    int[] Encodings,
    long Values,
    long UncompressedBytes,
    long CompressedBytes,
    long DataPageOffset,
    long? DictionaryPageOffset,
    long NullCount,
    byte[]? Min,
    byte[]? Max)
{
    /// <summary>Where the chunk starts: its dictionary page, if any, else its first data page.</summary>
    public long Offset => DictionaryPageOffset ?? DataPageOffset;
}
