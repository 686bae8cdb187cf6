using System.Buffers;

namespace Lambda.Cli.Commands;

/// <summary>
/// Reads '\n'-separated lines from a stream as byte spans, without decoding or allocating per
/// line. A trailing '\r' is dropped; blank lines are reported as empty spans.
/// </summary>
internal sealed class LineReader : IDisposable
{
    private readonly Stream _stream;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
    private int _start;
    private int _end;
    private bool _eof;

    public LineReader(Stream stream) => _stream = stream;

    /// <summary>The next line, or false at the end of the stream. The span is valid until the next call.</summary>
    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = TrimCr(_buffer.AsSpan(_start, newline));
                _start += newline + 1;
                return true;
            }

            if (_eof)
            {
                if (_end > _start)
                {
                    line = TrimCr(_buffer.AsSpan(_start, _end - _start));
                    _start = _end;
                    return true;
                }

                line = default;
                return false;
            }

            Fill();
        }
    }

    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            // A line longer than the buffer: grow, so even an oversized line reaches the dead letters whole.
            var bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            Buffer.BlockCopy(_buffer, 0, bigger, 0, _end);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
    }

    private static ReadOnlySpan<byte> TrimCr(ReadOnlySpan<byte> line) =>
        line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
