using System.Buffers.Binary;
using System.IO.Hashing;

namespace Lambda.Log.Embedded.Storage;

/// <summary>
/// On-disk framing of a record batch (little endian):
/// <code>
/// header (28 B): magic u32 | length i32 (whole batch) | crc32 u32 of bytes [12, length) | base offset i64 | count i32 | format i32
/// record (16 B + data): timestamp ms i64 | key length i32 | value length i32 | key | value
/// </code>
/// The checksum covers the base offset and count, so a batch copied to the wrong place is detected too.
/// </summary>
internal static class BatchFormat
{
    public const uint Magic = 0x5441424C; // "LBAT"
    public const int HeaderSize = 28;
    public const int RecordOverhead = 16;
    public const int FormatVersion = 1;

    private const int LengthAt = 4;
    private const int CrcAt = 8;
    private const int BaseOffsetAt = 12;
    private const int CountAt = 20;
    private const int FormatAt = 24;

    public static int ReadLength(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadInt32LittleEndian(header[LengthAt..]);

    public static long ReadBaseOffset(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadInt64LittleEndian(header[BaseOffsetAt..]);

    public static int ReadCount(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadInt32LittleEndian(header[CountAt..]);

    /// <summary>Writes the header fields known before the batch's offset is assigned.</summary>
    public static void WriteOpenHeader(Span<byte> header, int length, int count)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(header[LengthAt..], length);
        BinaryPrimitives.WriteInt32LittleEndian(header[CountAt..], count);
        BinaryPrimitives.WriteInt32LittleEndian(header[FormatAt..], FormatVersion);
    }

    /// <summary>Stamps the base offset (known only under the partition's append lock) and the checksum.</summary>
    public static void Seal(Span<byte> batch, long baseOffset)
    {
        BinaryPrimitives.WriteInt64LittleEndian(batch[BaseOffsetAt..], baseOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(batch[CrcAt..], Crc32.HashToUInt32(batch[BaseOffsetAt..]));
    }

    /// <summary>Whether a header can start a batch: right magic and a length that fits.</summary>
    public static bool IsPlausibleHeader(ReadOnlySpan<byte> header, long maxLength)
    {
        if (header.Length < HeaderSize || BinaryPrimitives.ReadUInt32LittleEndian(header) != Magic)
        {
            return false;
        }

        var length = ReadLength(header);
        var count = ReadCount(header);
        return length >= HeaderSize && length <= maxLength && count >= 1
            && (long)count * RecordOverhead <= length - HeaderSize;
    }

    /// <summary>Whether a whole batch is intact: plausible header, checksum and record framing.</summary>
    public static bool IsIntact(ReadOnlySpan<byte> batch)
    {
        if (!IsPlausibleHeader(batch, batch.Length) || ReadLength(batch) != batch.Length)
        {
            return false;
        }

        if (!ChecksumMatches(batch))
        {
            return false;
        }

        // The checksum matched, so the framing was written by us; checking it guards against a bug, not the disk.
        var position = HeaderSize;
        var count = ReadCount(batch);
        for (var i = 0; i < count; i++)
        {
            if (position + RecordOverhead > batch.Length)
            {
                return false;
            }

            var keyLength = BinaryPrimitives.ReadInt32LittleEndian(batch[(position + 8)..]);
            var valueLength = BinaryPrimitives.ReadInt32LittleEndian(batch[(position + 12)..]);
            if (keyLength < 0 || valueLength < 0 || (long)position + RecordOverhead + keyLength + valueLength > batch.Length)
            {
                return false;
            }

            position += RecordOverhead + keyLength + valueLength;
        }

        return position == batch.Length;
    }

    /// <summary>Whether the stored checksum matches the bytes of a batch whose length is right.</summary>
    public static bool ChecksumMatches(ReadOnlySpan<byte> batch) =>
        BinaryPrimitives.ReadUInt32LittleEndian(batch[CrcAt..]) == Crc32.HashToUInt32(batch[BaseOffsetAt..]);

    /// <summary>Overwrites the timestamp of every record of an unsealed batch (the log's append time).</summary>
    public static void StampTimestamps(Span<byte> batch, long timestampMs)
    {
        var count = ReadCount(batch);
        var position = HeaderSize;
        for (var i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(batch[position..], timestampMs);
            var keyLength = BinaryPrimitives.ReadInt32LittleEndian(batch[(position + 8)..]);
            var valueLength = BinaryPrimitives.ReadInt32LittleEndian(batch[(position + 12)..]);
            position += RecordOverhead + keyLength + valueLength;
        }
    }

    /// <summary>Writes one record at the start of <paramref name="destination"/>; returns the bytes written.</summary>
    public static int WriteRecord(Span<byte> destination, long timestampMs, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(destination, timestampMs);
        BinaryPrimitives.WriteInt32LittleEndian(destination[8..], key.Length);
        BinaryPrimitives.WriteInt32LittleEndian(destination[12..], value.Length);
        key.CopyTo(destination[RecordOverhead..]);
        value.CopyTo(destination[(RecordOverhead + key.Length)..]);
        return RecordOverhead + key.Length + value.Length;
    }

    /// <summary>Reads the record at <paramref name="position"/> of an intact batch; returns the position after it.</summary>
    public static int ReadRecord(ReadOnlySpan<byte> batch, int position, out long timestampMs, out ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)
    {
        timestampMs = BinaryPrimitives.ReadInt64LittleEndian(batch[position..]);
        var keyLength = BinaryPrimitives.ReadInt32LittleEndian(batch[(position + 8)..]);
        var valueLength = BinaryPrimitives.ReadInt32LittleEndian(batch[(position + 12)..]);
        var keyStart = position + RecordOverhead;
        key = batch.Slice(keyStart, keyLength);
        value = batch.Slice(keyStart + keyLength, valueLength);
        return keyStart + keyLength + valueLength;
    }
}
