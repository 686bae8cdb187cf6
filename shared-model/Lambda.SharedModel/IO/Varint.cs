namespace Lambda.SharedModel.IO;

/// <summary>
/// Unsigned LEB128: seven bits per byte, least significant group first, high bit = more bytes follow.
/// The sketch format (see Sketches/README.md), the batch layer's in-memory row spool and its Parquet footers
/// (Thrift's compact protocol) use it; signed values go through <see cref="ZigZag"/> first.
/// </summary>
public static class Varint
{
    /// <summary>Writes <paramref name="value"/> at the start of <paramref name="destination"/>; returns the bytes written (at most 10).</summary>
    public static int Write(Span<byte> destination, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }

    /// <summary>
    /// Reads a value this process wrote itself at <paramref name="at"/> and moves past it. Unchecked: bytes from
    /// outside (files, the network) need a reader that rejects truncation and overflow, as the sketch decoder has.
    /// </summary>
    public static ulong ReadTrusted(ReadOnlySpan<byte> source, ref int at)
    {
        ulong value = 0;
        var shift = 0;
        byte b;
        do
        {
            b = source[at++];
            value |= (ulong)(b & 0x7F) << shift;
            shift += 7;
        }
        while (b >= 0x80);
        return value;
    }

    /// <summary>Maps a signed value to an unsigned one that is small when the value is near zero (0, -1, 1, -2 → 0, 1, 2, 3).</summary>
    public static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    /// <summary>The inverse of <see cref="ZigZag"/>.</summary>
    public static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);
}
