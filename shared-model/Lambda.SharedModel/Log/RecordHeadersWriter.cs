using System.Text;
using Lambda.SharedModel.IO;

namespace Lambda.SharedModel.Log;

/// <summary>
/// Builds encoded <see cref="RecordHeaders"/> in a buffer kept across <see cref="Clear"/>, so a reader
/// that re-encodes each record's headers (the Kafka reader) allocates nothing for it once warm.
/// </summary>
public sealed class RecordHeadersWriter(int initialBytes = 128)
{
    private byte[] _buffer = new byte[Math.Max(16, initialBytes)];
    private int _length;

    /// <summary>The headers added since the last <see cref="Clear"/>; valid until the next change.</summary>
    public RecordHeaders Headers => new(_buffer.AsSpan(0, _length));

    public void Clear() => _length = 0;

    /// <summary>Appends one header. Keys are strings, as Kafka's are; a null value is stored as empty.</summary>
    public RecordHeadersWriter Add(string key, ReadOnlySpan<byte> value)
    {
        ArgumentNullException.ThrowIfNull(key);
        var keyLength = Encoding.UTF8.GetByteCount(key);
        // Two lengths of at most 5 bytes each (an int in LEB128).
        var needed = _length + 10 + keyLength + value.Length;
        if (needed > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(needed, _buffer.Length * 2));
        }

        _length += Varint.Write(_buffer.AsSpan(_length), (ulong)keyLength);
        _length += Encoding.UTF8.GetBytes(key, _buffer.AsSpan(_length));
        _length += Varint.Write(_buffer.AsSpan(_length), (ulong)value.Length);
        value.CopyTo(_buffer.AsSpan(_length));
        _length += value.Length;
        return this;
    }

    /// <summary>The encoded headers as a new array.</summary>
    public byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();
}
