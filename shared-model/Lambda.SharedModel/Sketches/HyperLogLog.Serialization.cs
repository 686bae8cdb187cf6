using System.Buffers.Binary;
using System.Globalization;
using Lambda.SharedModel.IO;

namespace Lambda.SharedModel.Sketches;

public sealed partial class HyperLogLog
{
    /// <summary>Version byte of the serialized form written by this build. Layout: see Sketches/README.md.</summary>
    public const byte FormatVersion = 1;

    /// <summary>Size of the largest serialized sketch (the dense form): 3 + 12,288 bytes.</summary>
    public const int MaxSerializedLength = HeaderLength + DensePayloadLength;

    private const int HeaderLength = 3;
    private const int DensePayloadLength = RegisterCount * RhoBits / 8;
    private const byte SparseEncoding = 1;
    private const byte DenseEncoding = 2;
    private const uint MaxEntry = ((uint)(RegisterCount - 1) << RhoBits) | RhoMask;

    /// <summary>Length in bytes of <see cref="ToBytes"/>'s result.</summary>
    public int SerializedLength
    {
        get
        {
            if (_dense is not null)
            {
                return MaxSerializedLength;
            }

            var length = HeaderLength + VarintLength((uint)_sparseCount);
            var previous = 0u;
            foreach (var entry in _sparse.AsSpan(0, _sparseCount))
            {
                length += VarintLength(entry - previous);
                previous = entry;
            }

            return length;
        }
    }

    /// <summary>The canonical serialized form: equal register contents give equal bytes.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[SerializedLength];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>Writes the canonical serialized form and returns its length (<see cref="SerializedLength"/>).</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="SerializedLength"/>.</exception>
    public int WriteTo(Span<byte> destination)
    {
        var length = SerializedLength;
        if (destination.Length < length)
        {
            throw new ArgumentException($"the sketch needs {length} bytes, the destination has {destination.Length}", nameof(destination));
        }

        destination[0] = FormatVersion;
        destination[1] = Precision;
        if (_dense is { } dense)
        {
            destination[2] = DenseEncoding;
            PackDense(dense, destination.Slice(HeaderLength, DensePayloadLength));
            return length;
        }

        destination[2] = SparseEncoding;
        var position = HeaderLength + Varint.Write(destination[HeaderLength..], (uint)_sparseCount);
        var previous = 0u;
        foreach (var entry in _sparse.AsSpan(0, _sparseCount))
        {
            position += Varint.Write(destination[position..], entry - previous);
            previous = entry;
        }

        return position;
    }

    /// <summary>Reads a sketch written by <see cref="WriteTo"/>. Only the canonical form is accepted.</summary>
    /// <exception cref="FormatException">The bytes are truncated, corrupt, non-canonical or of an unsupported version.</exception>
    public static HyperLogLog FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderLength)
        {
            throw Corrupt($"truncated header: {bytes.Length} bytes, a sketch starts with {HeaderLength}");
        }

        if (bytes[0] != FormatVersion)
        {
            throw Corrupt($"unsupported format version {bytes[0]}, this build reads version {FormatVersion}");
        }

        if (bytes[1] != Precision)
        {
            throw Corrupt($"unsupported precision {bytes[1]}, this build reads precision {Precision}");
        }

        return bytes[2] switch
        {
            SparseEncoding => ReadSparse(bytes[HeaderLength..]),
            DenseEncoding => ReadDense(bytes[HeaderLength..]),
            _ => throw Corrupt($"unknown encoding {bytes[2]}, expected {SparseEncoding} (sparse) or {DenseEncoding} (dense)"),
        };
    }

    private static HyperLogLog ReadSparse(ReadOnlySpan<byte> payload)
    {
        var position = ReadVarint(payload, 0, "register count", out var count);
        if (count > SparseMaxRegisters)
        {
            throw Corrupt($"sparse encoding with {count} registers, above the sparse limit {SparseMaxRegisters}: not canonical");
        }

        var entries = count == 0 ? [] : new uint[SparseCapacityFor((int)count)];
        var previous = 0u;
        for (var i = 0; i < count; i++)
        {
            position = ReadVarint(payload, position, "register entry", out var delta);
            var entry = previous + delta;
            if (delta > MaxEntry || entry > MaxEntry)
            {
                throw Corrupt($"sparse entry {i} points past the last register");
            }

            if (i > 0 && entry >> RhoBits <= previous >> RhoBits)
            {
                throw Corrupt($"sparse entry {i} is not in strictly increasing register order");
            }

            if ((entry & RhoMask) is 0 or > MaxRho)
            {
                throw Corrupt($"sparse entry {i} has rho {entry & RhoMask}, outside 1..{MaxRho}");
            }

            entries[i] = entry;
            previous = entry;
        }

        if (position != payload.Length)
        {
            throw Corrupt($"{payload.Length - position} trailing bytes after the sparse registers");
        }

        return new HyperLogLog { _sparse = entries, _sparseCount = (int)count };
    }

    private static HyperLogLog ReadDense(ReadOnlySpan<byte> payload)
    {
        if (payload.Length != DensePayloadLength)
        {
            throw Corrupt($"dense encoding has {payload.Length} bytes after the header, expected {DensePayloadLength}");
        }

        var dense = new byte[RegisterCount];
        UnpackDense(payload, dense);
        var above = dense.AsSpan().IndexOfAnyInRange((byte)(MaxRho + 1), byte.MaxValue);
        if (above >= 0)
        {
            throw Corrupt($"dense register {above} has rho {dense[above]}, above {MaxRho}");
        }

        var nonZero = RegisterCount - dense.AsSpan().Count((byte)0);
        if (nonZero <= SparseMaxRegisters)
        {
            throw Corrupt($"dense encoding with {nonZero} non-zero registers, within the sparse limit {SparseMaxRegisters}: not canonical");
        }

        return new HyperLogLog { _dense = dense };
    }

    // Four 6-bit registers per 3 bytes, little-endian: register 4g+k is bits 6k..6k+5 of bytes 3g..3g+2.
    // Four register bytes are read as one little-endian word and their low six bits squeezed together.
    private static void PackDense(ReadOnlySpan<byte> dense, Span<byte> payload)
    {
        for (int index = 0, group = 0; index < RegisterCount; index += 4, group += 3)
        {
            var four = BinaryPrimitives.ReadUInt32LittleEndian(dense.Slice(index, 4));
            var packed = (four & 0x3Fu) | ((four >> 2) & 0xFC0u) | ((four >> 4) & 0x3F000u) | ((four >> 6) & 0xFC0000u);
            payload[group] = (byte)packed;
            payload[group + 1] = (byte)(packed >> 8);
            payload[group + 2] = (byte)(packed >> 16);
        }
    }

    private static void UnpackDense(ReadOnlySpan<byte> payload, Span<byte> dense)
    {
        for (int index = 0, group = 0; index < RegisterCount; index += 4, group += 3)
        {
            var packed = payload[group] | ((uint)payload[group + 1] << 8) | ((uint)payload[group + 2] << 16);
            var four = (packed & 0x3Fu) | ((packed << 2) & 0x3F00u) | ((packed << 4) & 0x3F0000u) | ((packed << 6) & 0x3F000000u);
            BinaryPrimitives.WriteUInt32LittleEndian(dense.Slice(index, 4), four);
        }
    }

    private static int VarintLength(uint value) => value switch
    {
        < 1u << 7 => 1,
        < 1u << 14 => 2,
        < 1u << 21 => 3,
        < 1u << 28 => 4,
        _ => 5,
    };

    // Checked, unlike Varint.ReadTrusted: a sketch comes from files and the network.
    private static int ReadVarint(ReadOnlySpan<byte> source, int position, string what, out uint value)
    {
        value = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            if (position >= source.Length)
            {
                throw Corrupt($"truncated {what}");
            }

            var b = source[position++];
            if (shift == 28 && b > 0x0F)
            {
                throw Corrupt($"{what} overflows 32 bits");
            }

            value |= (uint)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                if (b == 0 && shift > 0)
                {
                    throw Corrupt($"{what} is an overlong varint: not canonical");
                }

                return position;
            }
        }

        throw Corrupt($"{what} overflows 32 bits");
    }

    // Returned, not thrown, so call sites read `throw Corrupt(...)` and the compiler sees the throw.
    private static FormatException Corrupt(FormattableString problem) =>
        new("invalid HyperLogLog sketch: " + problem.ToString(CultureInfo.InvariantCulture));
}
