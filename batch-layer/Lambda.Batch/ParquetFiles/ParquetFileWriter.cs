using Parquet;
using Parquet.Schema;

namespace Lambda.Batch.ParquetFiles;

/// <summary>
/// Writes Parquet files of a fixed list of flat, nullable columns through Parquet.Net, row by row: append
/// each column's value (<see cref="Column"/>), then <see cref="EndRow"/>. The rows are buffered column by
/// column (<see cref="ColumnValues"/>) and every <see cref="ParquetFileFormat.RowGroupRows"/> rows (fewer for
/// rows of large blobs: <see cref="MaxRowGroupBytes"/>) handed to Parquet.Net as one row group, one
/// <see cref="ReadOnlyMemory{T}"/> per column; <see cref="Complete"/> writes the footer. The writer and its
/// buffers are reused file after file (<see cref="Start"/>); one thread at a time.
/// </summary>
internal sealed class ParquetFileWriter
{
    private readonly ColumnValues[] _columns;
    private readonly ParquetSchema _schema;
    private readonly ParquetOptions _options;
    private Stream? _stream;
    private ParquetWriter? _writer;
    private int _rows;

    public ParquetFileWriter(IReadOnlyList<ParquetColumn> columns, ParquetFileFormat format)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(format.RowGroupRows, 1);
        RowGroupRows = format.RowGroupRows;
        _columns = [.. columns.Select(ColumnValues.For)];
        _schema = new ParquetSchema(_columns.Select(c => c.Field));
        _options = format.ToOptions(columns);
    }

    public int RowGroupRows { get; }

    /// <summary>The most value bytes a row group buffers before it is written, whatever its rows.</summary>
    public const long MaxRowGroupBytes = 64L << 20;

    private const int BytesCheckRows = 64;

    /// <summary>Starts a file on <paramref name="stream"/> (the caller owns and disposes it).</summary>
    public void Start(Stream stream)
    {
        if (_stream is not null)
        {
            throw new InvalidOperationException("the previous file is not complete");
        }

        _stream = stream;
        _rows = 0;
        // Parquet.Net's API is asynchronous; on a FileStream it completes inline, so the worker's thread writes.
        _writer = ParquetWriter.CreateAsync(_schema, stream, _options).GetAwaiter().GetResult();
    }

    /// <summary>The buffer of column <paramref name="ordinal"/>, to append the current row's value to.</summary>
    public ColumnValues Column(int ordinal) => _columns[ordinal];

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
            WriteRowGroup();
        }
    }

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
        var writer = _writer ?? throw new InvalidOperationException("no file started");
        if (_rows > 0)
        {
            WriteRowGroup();
        }

        // Disposing Parquet.Net's writer writes the footer.
        writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        var bytes = _stream!.Position;
        _writer = null;
        _stream = null;
        return bytes;
    }

    /// <summary>
    /// Drops the current file's buffered rows (after a failure), so the writer can start another. Parquet.Net's
    /// writer is dropped undisposed: disposing it would write a footer to a file that is thrown away.
    /// </summary>
    public void Abandon()
    {
        foreach (var column in _columns)
        {
            column.Clear();
        }

        _writer = null;
        _stream = null;
        _rows = 0;
    }

    private void WriteRowGroup()
    {
        foreach (var column in _columns)
        {
            if (column.Rows != _rows)
            {
                throw new InvalidOperationException($"column '{column.Column.Name}' has {column.Rows} values for {_rows} rows");
            }
        }

        using (var rowGroup = _writer!.CreateRowGroup())
        {
            foreach (var column in _columns)
            {
                column.WriteAsync(rowGroup, CancellationToken.None).GetAwaiter().GetResult();
            }

            rowGroup.CompleteValidate();
        }

        _rows = 0;
    }
}
