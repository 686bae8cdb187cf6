using Parquet.Schema;

namespace Lambda.Batch.ParquetFiles;

/// <summary>One column of a file the platform writes: every column is nullable and flat.</summary>
internal sealed record ParquetColumn(string Name, ParquetColumnType Type)
{
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

    /// <summary>The Parquet.Net field: OPTIONAL (strings and byte arrays are nullable, value types declared so), with its logical type.</summary>
    public DataField ToField() => Type switch
    {
        ParquetColumnType.Utf8 => new DataField<string>(Name),
        ParquetColumnType.Blob => new DataField<byte[]>(Name),
        ParquetColumnType.Int32 => new DataField<int?>(Name),
        ParquetColumnType.Int64 => new DataField<long?>(Name),
        ParquetColumnType.UInt64 => new DataField<ulong?>(Name),
        _ => new DataField<double?>(Name),
    };
}
