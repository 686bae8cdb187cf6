namespace Lambda.Batch.Parquet;

/// <summary>
/// The footer of a file (parquet.thrift's FileMetaData, Thrift compact): the schema (a root of flat OPTIONAL
/// columns), the row groups with each column chunk's metadata and statistics, the writer's name, and
/// type-defined sort order for every column (so readers may use the min/max statistics).
/// </summary>
internal sealed class ParquetFooter(IReadOnlyList<ParquetColumn> columns)
{
    private const string CreatedBy = "Lambda batch layer (Lambda.Batch.Parquet) version 1.0.0";

    private readonly ThriftCompactWriter _thrift = new();

    /// <summary>The footer's bytes (valid until the next call).</summary>
    public ReadOnlySpan<byte> Write(IReadOnlyList<RowGroupMeta> rowGroups, long rows)
    {
        _thrift.Reset();
        _thrift.I32(1, 1);
        WriteSchema();
        _thrift.I64(3, rows);
        _thrift.ListOfStructs(4, rowGroups.Count);
        for (var g = 0; g < rowGroups.Count; g++)
        {
            WriteRowGroup(rowGroups[g], g);
        }

        _thrift.String(6, CreatedBy);
        _thrift.ListOfStructs(7, columns.Count);
        for (var i = 0; i < columns.Count; i++)
        {
            _thrift.BeginStructValue();
            _thrift.BeginStruct(1);
            _thrift.EndStruct();
            _thrift.EndStruct();
        }

        _thrift.End();
        return _thrift.Written;
    }

    private void WriteSchema()
    {
        _thrift.ListOfStructs(2, columns.Count + 1);
        _thrift.BeginStructValue();
        _thrift.I32(3, ParquetFormat.Required);
        _thrift.String(4, "schema");
        _thrift.I32(5, columns.Count);
        _thrift.EndStruct();
        foreach (var column in columns)
        {
            _thrift.BeginStructValue();
            _thrift.I32(1, column.PhysicalType);
            _thrift.I32(3, ParquetFormat.Optional);
            _thrift.String(4, column.Name);
            if (column.ConvertedType >= 0)
            {
                _thrift.I32(6, column.ConvertedType);
            }

            _thrift.EndStruct();
        }
    }

    private void WriteRowGroup(RowGroupMeta rowGroup, int ordinal)
    {
        _thrift.BeginStructValue();
        _thrift.ListOfStructs(1, rowGroup.Columns.Count);
        foreach (var chunk in rowGroup.Columns)
        {
            WriteColumnChunk(chunk);
        }

        _thrift.I64(2, rowGroup.Columns.Sum(c => c.UncompressedBytes));
        _thrift.I64(3, rowGroup.Rows);
        _thrift.I64(5, rowGroup.Columns[0].Offset);
        _thrift.I64(6, rowGroup.Columns.Sum(c => c.CompressedBytes));
        _thrift.I16(7, checked((short)ordinal));
        _thrift.EndStruct();
    }

    private void WriteColumnChunk(ColumnChunkMeta chunk)
    {
        _thrift.BeginStructValue();
        _thrift.I64(2, chunk.Offset);
        _thrift.BeginStruct(3);
        _thrift.I32(1, chunk.Column.PhysicalType);
        _thrift.ListOfI32(2, chunk.Encodings);
        _thrift.ListOfStrings(3, [chunk.Column.Name]);
        _thrift.I32(4, ParquetFormat.CodecZstd);
        _thrift.I64(5, chunk.Values);
        _thrift.I64(6, chunk.UncompressedBytes);
        _thrift.I64(7, chunk.CompressedBytes);
        _thrift.I64(9, chunk.DataPageOffset);
        if (chunk.DictionaryPageOffset is { } dictionary)
        {
            _thrift.I64(11, dictionary);
        }

        _thrift.BeginStruct(12);
        _thrift.I64(3, chunk.NullCount);
        if (chunk.Max is { } max && chunk.Min is { } min)
        {
            _thrift.Binary(5, max);
            _thrift.Binary(6, min);
        }

        _thrift.EndStruct();
        _thrift.EndStruct();
        _thrift.EndStruct();
    }
}
