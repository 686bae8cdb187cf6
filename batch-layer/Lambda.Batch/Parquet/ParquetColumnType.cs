namespace Lambda.Batch.Parquet;

/// <summary>The column types the writer knows, each with the physical and converted type DuckDB reads back as the named SQL type.</summary>
internal enum ParquetColumnType
{
    /// <summary>BYTE_ARRAY, UTF8 (VARCHAR); dictionary-encoded while it has few distinct values.</summary>
    Utf8,

    /// <summary>BYTE_ARRAY (BLOB), always PLAIN.</summary>
    Blob,

    /// <summary>INT32, INT_32 (INTEGER).</summary>
    Int32,

    /// <summary>INT64, INT_64 (BIGINT).</summary>
    Int64,

    /// <summary>INT64, UINT_64 (UBIGINT).</summary>
    UInt64,

    /// <summary>DOUBLE.</summary>
    Double,
}
