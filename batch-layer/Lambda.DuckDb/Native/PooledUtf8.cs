using System.Buffers;
using System.Text;

namespace Lambda.DuckDb.Native;

/// <summary>A string encoded as UTF-8 into a caller's stack buffer, or a pooled array when it does not fit.</summary>
internal ref struct PooledUtf8
{
    internal const int StackBytes = 256;

    private byte[]? _rented;

    private PooledUtf8(ReadOnlySpan<byte> bytes, byte[]? rented)
    {
        Bytes = bytes;
        _rented = rented;
    }

    internal ReadOnlySpan<byte> Bytes { get; }

    internal static PooledUtf8 Encode(string value, Span<byte> stackBuffer)
    {
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (max <= stackBuffer.Length)
        {
            var length = Encoding.UTF8.GetBytes(value, stackBuffer);
            return new PooledUtf8(stackBuffer[..length], null);
        }
        var rented = ArrayPool<byte>.Shared.Rent(max);
        var written = Encoding.UTF8.GetBytes(value, rented);
        return new PooledUtf8(rented.AsSpan(0, written), rented);
    }

    public void Dispose()
    {
        if (_rented is not null)
        {
            ArrayPool<byte>.Shared.Return(_rented);
            _rented = null;
        }
    }
}
