namespace Lambda.Batch.Parquet;

/// <summary>One column of a file the writer makes: every column is OPTIONAL (nullable), not nested.</summary>
internal sealed record ParquetColumn(string Name, ParquetColumnType Type)
{
    public int PhysicalType => Type switch
    {
        ParquetColumnType.Utf8 or ParquetColumnType.Blob => ParquetFormat.TypeByteArray,
        ParquetColumnType.Int32 => ParquetFormat.TypeInt32,
        ParquetColumnType.Int64 or ParquetColumnType.UInt64 => ParquetFormat.TypeInt64,
        _ => ParquetFormat.TypeDouble,
    };

    /// <summary>The converted type, or -1 for none.</summary>
    public int ConvertedType => Type switch
    {
        ParquetColumnType.Utf8 => ParquetFormat.ConvertedUtf8,
        ParquetColumnType.Int32 => ParquetFormat.ConvertedInt32,
        ParquetColumnType.Int64 => ParquetFormat.ConvertedInt64,
        ParquetColumnType.UInt64 => ParquetFormat.ConvertedUInt64,
        _ => -1,
    };

    /// <summary>The SQL type DuckDB reads the column as.</summary>
    public string SqlType => Type switch
    {
        ParquetColumnType.Utf8 => "VARCHAR",
        ParquetColumnType.Blob => "BLOB",
        ParquetColumnType.Int32 => "INTEGER",
        ParquetColumnType.Int64 => "BIGINT",
        ParquetColumnType.UInt64 => "UBIGINT",
        _ => "DOUBLE",
    };

    public bool IsByteArray => Type is ParquetColumnType.Utf8 or ParquetColumnType.Blob;
}
