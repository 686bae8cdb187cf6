namespace Lambda.Batch.Parquet;

/// <summary>
/// Writes Parquet files of a fixed list of flat, nullable columns, row by row: append each column's value
/// (<see cref="Column"/>), then <see cref="EndRow"/>. Every <see cref="RowGroupRows"/> rows (fewer for
/// rows of large blobs: <see cref="MaxRowGroupBytes"/>) become a row group (v1 data pages, zstd, dictionary-encoded strings while they have few distinct values,
/// min/max statistics for integers and dictionary strings); <see cref="Complete"/> writes the footer.
/// The writer and its buffers are reused file after file (<see cref="Start"/>); one thread at a time.
/// </summary>
internal sealed class ParquetFileWriter : IDisposable
{
    private readonly ParquetColumnBuffer[] _columns;
    private readonly ParquetPageWriter _pages;
    private readonly List<RowGroupMeta> _rowGroups = [];
    private readonly ParquetFooter _footer;
    private Stream? _stream;
    private int _rows;

    public ParquetFileWriter(IReadOnlyList<ParquetColumn> columns, int zstdLevel, int rowGroupRows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rowGroupRows, 1);
        RowGroupRows = rowGroupRows;
        _columns = [.. columns.Select(c => new ParquetColumnBuffer(c))];
        _pages = new ParquetPageWriter(zstdLevel);
        _footer = new ParquetFooter(columns);
    }

    public int RowGroupRows { get; }

    /// <summary>Starts a file on <paramref name="stream"/> (the caller owns and disposes it).</summary>
    public void Start(Stream stream)
    {
        if (_stream is not null)
        {
            throw new InvalidOperationException("the previous file is not complete");
        }

        _stream = stream;
        _rowGroups.Clear();
        _rows = 0;
        _pages.Start(stream);
        _pages.WriteRaw(ParquetFormat.Magic);
    }

    /// <summary>The buffer of column <paramref name="ordinal"/>, to append the current row's value to.</summary>
    public ParquetColumnBuffer Column(int ordinal) => _columns[ordinal];

    /// <summary>
    /// Whether <see cref="EndRow"/> will write the row group: at <see cref="RowGroupRows"/> rows, or earlier
    /// once the buffered values pass <see cref="MaxRowGroupBytes"/> (rows of large blobs; checked every
    /// <see cref="BytesCheckRows"/> rows).
    /// </summary>
    public bool EndRowWritesRowGroup =>
        _rows + 1 == RowGroupRows || ((_rows + 1) % BytesCheckRows == 0 && BufferedBytes() >= MaxRowGroupBytes);

    /// <summary>Ends the current row: every column must have had exactly one value (or null) appended.</summary>
    public void EndRow()
    {
        var full = EndRowWritesRowGroup;
        _rows++;
        if (full)
        {
            FlushRowGroup();
        }
    }

    /// <summary>The most value bytes a row group buffers before it is written, whatever its rows.</summary>
    public const long MaxRowGroupBytes = 64L << 20;

    private const int BytesCheckRows = 64;

    private long BufferedBytes()
    {
        long bytes = 0;
        foreach (var column in _columns)
        {
            bytes += column.BufferedBytes;
        }

        return bytes;
    }

    /// <summary>Writes the last row group and the footer; returns the file's bytes. The stream is left open.</summary>
    public long Complete()
    {
        if (_stream is null)
        {
            throw new InvalidOperationException("no file started");
        }

        if (_rows > 0)
        {
            FlushRowGroup();
        }

        var footer = _footer.Write(_rowGroups, _rowGroups.Sum(g => (long)g.Rows));
        _pages.WriteRaw(footer);
        Span<byte> length = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(length, footer.Length);
        _pages.WriteRaw(length);
        _pages.WriteRaw(ParquetFormat.Magic);
        _stream = null;
        return _pages.Position;
    }

    /// <summary>Drops the current file's buffered rows (after a failure), so the writer can start another.</summary>
    public void Abandon()
    {
        foreach (var column in _columns)
        {
            column.Discard();
        }

        _stream = null;
        _rows = 0;
    }

    private void FlushRowGroup()
    {
        var chunks = new ColumnChunkMeta[_columns.Length];
        for (var i = 0; i < _columns.Length; i++)
        {
            if (_columns[i].Rows != _rows)
            {
                throw new InvalidOperationException(
                    $"column '{_columns[i].Column.Name}' has {_columns[i].Rows} values for {_rows} rows");
            }

            chunks[i] = _columns[i].Flush(_pages);
        }

        _rowGroups.Add(new RowGroupMeta(chunks, _rows));
        _rows = 0;
    }

    public void Dispose() => _pages.Dispose();
}
