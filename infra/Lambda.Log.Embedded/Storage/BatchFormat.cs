using System.Buffers.Binary;
using System.IO.Hashing;
using Lambda.SharedModel.Log;

namespace Lambda.Log.Embedded.Storage;

/// <summary>
/// On-disk framing of a record batch (little endian):
/// <code>
/// header (28 B): magic u32 | length i32 (whole batch) | crc32 u32 of bytes [12, length) | base offset i64 | count i32 | format i32
/// record, format 1 (16 B + data): timestamp ms i64 | key length i32 | value length i32 | key | value
/// record, format 2 (20 B + data): timestamp ms i64 | key length i32 | value length i32 | headers length i32 | key | value | headers
/// </code>
/// Format 2 adds each record's encoded <see cref="RecordHeaders"/>. A batch none of whose records has
/// headers is written in format 1, byte for byte as before format 2 existed: the common path (generated
/// traffic, bulk ingest, the layers' own output) keeps its size and bytes, and format 1 is read forever.
/// The checksum covers the base offset, count and format, so a batch copied to the wrong place is detected too.
/// </summary>
internal static class BatchFormat
{
    public const uint Magic = 0x5441424C; // "LBAT"
    public const int HeaderSize = 28;

    /// <summary>Records without headers.</summary>
    public const int Plain = 1;

    /// <summary>Records with headers.</summary>
    public const int WithHeaders = 2;

    private const int LengthAt = 4;
    private const int CrcAt = 8;
    private const int BaseOffsetAt = 12;
    private const int CountAt = 20;
    private const int FormatAt = 24;

    public static int ReadLength(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadInt32LittleEndian(header[LengthAt..]);

    public static long ReadBaseOffset(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadInt64LittleEndian(header[BaseOffsetAt..]);

    public static int ReadCount(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadInt32LittleEndian(header[CountAt..]);

    public static int ReadFormat(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadInt32LittleEndian(header[FormatAt..]);

    /// <summary>The fixed bytes of a record before its data, in <paramref name="format"/>.</summary>
    public static int RecordOverhead(int format) => format == WithHeaders ? 20 : 16;

    /// <summary>Writes the header fields known before the batch's offset is assigned.</summary>
    public static void WriteOpenHeader(Span<byte> header, int length, int count, int format)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(header[LengthAt..], length);
        BinaryPrimitives.WriteInt32LittleEndian(header[CountAt..], count);
        BinaryPrimitives.WriteInt32LittleEndian(header[FormatAt..], format);
    }

    /// <summary>Stamps the base offset (known only under the partition's append lock) and the checksum.</summary>
    public static void Seal(Span<byte> batch, long baseOffset)
    {
        BinaryPrimitives.WriteInt64LittleEndian(batch[BaseOffsetAt..], baseOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(batch[CrcAt..], Crc32.HashToUInt32(batch[BaseOffsetAt..]));
    }

    /// <summary>Whether a header can start a batch: right magic, a known format and a length that fits.</summary>
    public static bool IsPlausibleHeader(ReadOnlySpan<byte> header, long maxLength)
    {
        if (header.Length < HeaderSize || BinaryPrimitives.ReadUInt32LittleEndian(header) != Magic)
        {
            return false;
        }

        var length = ReadLength(header);
        var count = ReadCount(header);
        var format = ReadFormat(header);
        return format is Plain or WithHeaders && length >= HeaderSize && length <= maxLength && count >= 1
            && (long)count * RecordOverhead(format) <= length - HeaderSize;
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
        var format = ReadFormat(batch);
        var overhead = RecordOverhead(format);
        var position = HeaderSize;
        var count = ReadCount(batch);
        for (var i = 0; i < count; i++)
        {
            if (position + overhead > batch.Length)
            {
                return false;
            }

            var keyLength = BinaryPrimitives.ReadInt32LittleEndian(batch[(position + 8)..]);
            var valueLength = BinaryPrimitives.ReadInt32LittleEndian(batch[(position + 12)..]);
            var headersLength = format == WithHeaders ? BinaryPrimitives.ReadInt32LittleEndian(batch[(position + 16)..]) : 0;
            var end = (long)position + overhead + keyLength + valueLength + headersLength;
            if (keyLength < 0 || valueLength < 0 || headersLength < 0 || end > batch.Length
                || !new RecordHeaders(batch.Slice((int)end - headersLength, headersLength)).IsWellFormed)
            {
                return false;
            }

            position = (int)end;
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
        var format = ReadFormat(batch);
        var position = HeaderSize;
        for (var i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(batch[position..], timestampMs);
            position = ReadRecord(batch, format, position, out _, out _, out _, out _);
        }
    }

    /// <summary>
    /// Writes one record in <paramref name="format"/> at the start of <paramref name="destination"/>; returns
    /// the bytes written. Format 1 has no room for headers: the caller opens a format 2 batch for them.
    /// </summary>
    public static int WriteRecord(Span<byte> destination, int format, long timestampMs, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value,
        ReadOnlySpan<byte> headers)
    {
        if (format != WithHeaders && !headers.IsEmpty)
        {
            throw new ArgumentException("a format 1 record has no headers", nameof(headers));
        }

        var overhead = RecordOverhead(format);
        BinaryPrimitives.WriteInt64LittleEndian(destination, timestampMs);
        BinaryPrimitives.WriteInt32LittleEndian(destination[8..], key.Length);
        BinaryPrimitives.WriteInt32LittleEndian(destination[12..], value.Length);
        if (format == WithHeaders)
        {
            BinaryPrimitives.WriteInt32LittleEndian(destination[16..], headers.Length);
            headers.CopyTo(destination[(overhead + key.Length + value.Length)..]);
        }

        key.CopyTo(destination[overhead..]);
        value.CopyTo(destination[(overhead + key.Length)..]);
        return overhead + key.Length + value.Length + headers.Length;
    }

    /// <summary>Reads the record at <paramref name="position"/> of an intact batch in <paramref name="format"/>; returns the position after it.</summary>
    public static int ReadRecord(ReadOnlySpan<byte> batch, int format, int position, out long timestampMs, out ReadOnlySpan<byte> key,
        out ReadOnlySpan<byte> value, out ReadOnlySpan<byte> headers)
    {
        timestampMs = BinaryPrimitives.ReadInt64LittleEndian(batch[position..]);
        var keyLength = BinaryPrimitives.ReadInt32LittleEndian(batch[(position + 8)..]);
        var valueLength = BinaryPrimitives.ReadInt32LittleEndian(batch[(position + 12)..]);
        var headersLength = format == WithHeaders ? BinaryPrimitives.ReadInt32LittleEndian(batch[(position + 16)..]) : 0;
        var keyStart = position + RecordOverhead(format);
        key = batch.Slice(keyStart, keyLength);
        value = batch.Slice(keyStart + keyLength, valueLength);
        headers = batch.Slice(keyStart + keyLength + valueLength, headersLength);
        return keyStart + keyLength + valueLength + headersLength;
    }
}
