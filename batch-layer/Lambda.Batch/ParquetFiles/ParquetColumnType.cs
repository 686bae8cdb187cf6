namespace Lambda.Batch.ParquetFiles;

/// <summary>The column types the platform's files use, each read by DuckDB as the SQL type named.</summary>
internal enum ParquetColumnType
{
    /// <summary>BYTE_ARRAY, String logical type (VARCHAR); dictionary-encoded where few values repeat.</summary>
    Utf8,

    /// <summary>BYTE_ARRAY (BLOB): the sketches.</summary>
    Blob,

    /// <summary>INT32, signed Int(32) (INTEGER).</summary>
    Int32,

    /// <summary>INT64, signed Int(64) (BIGINT).</summary>
    Int64,

    /// <summary>INT64, unsigned Int(64) (UBIGINT): statistics in unsigned order.</summary>
    UInt64,

    /// <summary>DOUBLE.</summary>
    Double,
}
