using System.Buffers.Binary;
using System.IO.Hashing;

namespace Lambda.Speed.Checkpoints;

/// <summary>
/// The framing of one checkpoint file. Header: magic "LSPK", body format version (u16), kind (u8),
/// sequence (i64), parent sequence (i64; -1 for a base). Then the body, then a trailer: body length
/// (i64) and XxHash64 of header, body and length. The length and checksum come last so a body of
/// any size is streamed to the file once, never held in memory whole.
/// </summary>
internal readonly record struct CheckpointFrame(ushort Version, CheckpointKind Kind, long Sequence, long Parent)
{
    public const int HeaderLength = 4 + 2 + 1 + 8 + 8;
    public const int TrailerLength = 8 + 8;
    private static ReadOnlySpan<byte> Magic => "LSPK"u8;

    /// <summary>Writes header, the body produced by <paramref name="writeBody"/> and trailer; returns the bytes written.</summary>
    public long WriteTo(Stream file, Action<BinaryWriter> writeBody)
    {
        Span<byte> header = stackalloc byte[HeaderLength];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], Version);
        header[6] = (byte)Kind;
        BinaryPrimitives.WriteInt64LittleEndian(header[7..], Sequence);
        BinaryPrimitives.WriteInt64LittleEndian(header[15..], Parent);
        var hash = new XxHash64();
        hash.Append(header);
        file.Write(header);
        long bodyLength;
        using (var hashing = new ChecksumStream(file, hash))
        // 64 KB: under the large-object threshold (85,000 bytes), so the buffer of every checkpoint written
        // is cheap gen0 garbage rather than a large array that only a gen2 collection frees.
        using (var buffered = new BufferedStream(hashing, 64 * 1024))
        using (var writer = new BinaryWriter(buffered, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writeBody(writer);
            writer.Flush();
            buffered.Flush();
            bodyLength = hashing.Written;
        }

        Span<byte> trailer = stackalloc byte[TrailerLength];
        BinaryPrimitives.WriteInt64LittleEndian(trailer, bodyLength);
        hash.Append(trailer[..8]);
        BinaryPrimitives.WriteUInt64LittleEndian(trailer[8..], hash.GetCurrentHashAsUInt64());
        file.Write(trailer);
        return HeaderLength + bodyLength + TrailerLength;
    }

    /// <summary>Checks a whole file's framing and checksum; returns its frame and body.</summary>
    /// <exception cref="InvalidDataException">The file is not an intact checkpoint.</exception>
    public static (CheckpointFrame Frame, ReadOnlyMemory<byte> Body) Read(byte[] bytes)
    {
        if (bytes.Length < HeaderLength + TrailerLength || !bytes.AsSpan(0, 4).SequenceEqual(Magic))
        {
            throw new InvalidDataException("not a checkpoint file (bad magic or too short)");
        }

        var length = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(bytes.Length - TrailerLength));
        if (length != bytes.Length - HeaderLength - TrailerLength)
        {
            throw new InvalidDataException($"checkpoint body length {length} does not match the file ({bytes.Length} bytes)");
        }

        var expected = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(bytes.Length - 8));
        if (XxHash64.HashToUInt64(bytes.AsSpan(0, bytes.Length - 8)) != expected)
        {
            throw new InvalidDataException("checkpoint checksum mismatch");
        }

        var frame = new CheckpointFrame(
            BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(4)),
            (CheckpointKind)bytes[6],
            BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(7)),
            BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(15)));
        return (frame, bytes.AsMemory(HeaderLength, (int)length));
    }
}
