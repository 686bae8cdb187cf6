namespace Lambda.Batch.Parquet;

/// <summary>
/// Writes pages to a file: the Thrift page header, then the page body compressed with zstd. Tracks the
/// file position (the column chunks' offsets). One per writer, reused file after file.
/// </summary>
internal sealed class ParquetPageWriter : IDisposable
{
    // Room kept in front of a compressed page for its header (at most about 30 bytes).
    private const int HeaderRoom = 64;

    private readonly ZstdCompressor _zstd;
    private readonly ThriftCompactWriter _header = new();
    private byte[] _compressed = new byte[64 * 1024];
    private Stream? _stream;

    public ParquetPageWriter(int zstdLevel) => _zstd = new ZstdCompressor(zstdLevel);

    /// <summary>Bytes written to the current file so far.</summary>
    public long Position { get; private set; }

    /// <summary>Starts writing to <paramref name="stream"/> at position 0.</summary>
    public void Start(Stream stream)
    {
        _stream = stream;
        Position = 0;
    }

    /// <summary>Writes bytes as they are (magic, footer).</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        _stream!.Write(bytes);
        Position += bytes.Length;
    }

    /// <summary>A v1 data page of <paramref name="rows"/> rows (nulls included); returns its uncompressed and compressed bytes, header included.</summary>
    public (long Uncompressed, long Compressed) WriteDataPage(ReadOnlySpan<byte> body, int rows, int encoding) =>
        WritePage(ParquetFormat.PageData, body, rows, encoding);

    /// <summary>A dictionary page of <paramref name="entries"/> PLAIN values.</summary>
    public (long Uncompressed, long Compressed) WriteDictionaryPage(ReadOnlySpan<byte> body, int entries) =>
        WritePage(ParquetFormat.PageDictionary, body, entries, ParquetFormat.EncodingPlainDictionary);

    private (long Uncompressed, long Compressed) WritePage(int type, ReadOnlySpan<byte> body, int values, int encoding)
    {
        var bound = HeaderRoom + ZstdCompressor.Bound(body.Length);
        if (_compressed.Length < bound)
        {
            _compressed = new byte[Math.Max(bound, _compressed.Length * 2)];
        }

        var compressed = _zstd.Compress(body, _compressed.AsSpan(HeaderRoom));
        _header.Reset();
        _header.I32(1, type);
        _header.I32(2, body.Length);
        _header.I32(3, compressed);
        if (type == ParquetFormat.PageData)
        {
            _header.BeginStruct(5);
            _header.I32(1, values);
            _header.I32(2, encoding);
            _header.I32(3, ParquetFormat.EncodingRle);
            _header.I32(4, ParquetFormat.EncodingRle);
            _header.EndStruct();
        }
        else
        {
            _header.BeginStruct(7);
            _header.I32(1, values);
            _header.I32(2, encoding);
            _header.EndStruct();
        }

        _header.End();
        // The header goes right in front of the compressed body: the page is one write.
        var header = _header.Written;
        header.CopyTo(_compressed.AsSpan(HeaderRoom - header.Length));
        WriteRaw(_compressed.AsSpan(HeaderRoom - header.Length, header.Length + compressed));
        return (header.Length + body.Length, header.Length + compressed);
    }

    public void Dispose() => _zstd.Dispose();
}
