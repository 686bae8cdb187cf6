using System.Buffers;
using System.Buffers.Binary;

namespace Lambda.Batch.Parquet;

/// <summary>Parquet's PLAIN encoding of a BYTE_ARRAY value: a 4-byte little-endian length, then the bytes.</summary>
internal static class PlainByteArray
{
    /// <summary>Appends <paramref name="value"/>, PLAIN-encoded, to <paramref name="output"/>.</summary>
    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> value)
    {
        var span = output.GetSpan(4 + value.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span, value.Length);
        value.CopyTo(span[4..]);
        output.Advance(4 + value.Length);
    }

    /// <summary>The value encoded at <paramref name="at"/> in <paramref name="encoded"/>.</summary>
    public static ReadOnlySpan<byte> Read(ReadOnlySpan<byte> encoded, int at) =>
        encoded.Slice(at + 4, BinaryPrimitives.ReadInt32LittleEndian(encoded[at..]));

    /// <summary>The bytes the value encoded at <paramref name="at"/> takes, length included.</summary>
    public static int SizeAt(ReadOnlySpan<byte> encoded, int at) => 4 + BinaryPrimitives.ReadInt32LittleEndian(encoded[at..]);
}
