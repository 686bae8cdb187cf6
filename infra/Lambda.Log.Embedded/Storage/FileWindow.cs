using Microsoft.Win32.SafeHandles;

namespace Lambda.Log.Embedded.Storage;

/// <summary>
/// A reusable buffer over a range of one segment file, refilled by large positional reads, so that
/// walking batch headers and records costs one read per chunk rather than one per batch.
/// </summary>
internal sealed class FileWindow(int chunkBytes)
{
    private byte[] _buffer = new byte[chunkBytes];
    private Segment? _segment;
    private long _start;
    private int _length;

    /// <summary>
    /// Makes bytes [position, position + count) of <paramref name="segment"/> available, reading a chunk
    /// that stops at <paramref name="limit"/>. Returns false if the file ends before them.
    /// </summary>
    public bool TryGet(Segment segment, long position, int count, long limit, out ReadOnlySpan<byte> bytes)
    {
        if (!ReferenceEquals(segment, _segment) || position < _start || position + count > _start + _length)
        {
            if (position + count > limit)
            {
                bytes = default;
                return false;
            }

            if (count > _buffer.Length)
            {
                _buffer = new byte[Math.Max(count, _buffer.Length * 2)];
            }

            var wanted = (int)Math.Min(_buffer.Length, limit - position);
            _segment = null;
            _length = ReadFully(segment.Handle, position, _buffer.AsSpan(0, wanted));
            _segment = segment;
            _start = position;
            if (_length < count)
            {
                bytes = default;
                return false;
            }
        }

        bytes = _buffer.AsSpan((int)(position - _start), count);
        return true;
    }

    /// <summary>Forgets the cached bytes (after a file was truncated).</summary>
    public void Invalidate() => _segment = null;

    private static int ReadFully(SafeFileHandle handle, long position, Span<byte> destination)
    {
        var total = 0;
        while (total < destination.Length)
        {
            var read = RandomAccess.Read(handle, destination[total..], position + total);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }
}
