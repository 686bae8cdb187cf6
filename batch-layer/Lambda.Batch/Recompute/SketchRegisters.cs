using Lambda.SharedModel.IO;
using Lambda.SharedModel.Sketches;

namespace Lambda.Batch.Recompute;

/// <summary>
/// The registers of one sketch being built from (index, rho) pairs, reusable: <see cref="Clear"/>
/// resets only the registers touched, so building millions of small sketches costs no 16 KB clear
/// each. <see cref="ToBytes"/> writes the canonical serialized form of shared-model/Sketches/README.md
/// (sparse for at most 2,048 non-zero registers, else dense), byte-identical to
/// <c>HyperLogLog.FromRegisters(pairs).ToBytes()</c> (a test holds the two equal).
/// </summary>
internal sealed class SketchRegisters
{
    private const int HeaderLength = 3;
    private const byte SparseEncoding = 1;
    private const byte DenseEncoding = 2;
    private const int DensePayloadLength = HyperLogLog.RegisterCount * 6 / 8;

    /// <summary>Up to this many touched registers are put in order by sorting their indices; more, by walking <see cref="_touchedBits"/>.</summary>
    private const int SortedUpTo = 32;

    private readonly byte[] _registers = new byte[HyperLogLog.RegisterCount];
    // The touched registers as a bitmap (2 KB): an hour's or a day's sketch lists its registers in
    // index order without sorting a few hundred or thousand indices (a fifth of the row building).
    private readonly ulong[] _touchedBits = new ulong[HyperLogLog.RegisterCount / 64];
    private int[] _touched = new int[64];
    private int _touchedCount;

    /// <summary>How many registers are non-zero.</summary>
    public int Count => _touchedCount;

    /// <summary>Raises register <paramref name="index"/> to at least <paramref name="rho"/>.</summary>
    public void Add(int index, byte rho)
    {
        var current = _registers[index];
        if (current == 0)
        {
            if (_touchedCount == _touched.Length)
            {
                Array.Resize(ref _touched, _touched.Length * 2);
            }

            _touched[_touchedCount++] = index;
            _touchedBits[index >> 6] |= 1UL << index;
        }

        if (rho > current)
        {
            _registers[index] = rho;
        }
    }

    /// <summary>Empties the registers.</summary>
    public void Clear()
    {
        foreach (var index in _touched.AsSpan(0, _touchedCount))
        {
            _registers[index] = 0;
            _touchedBits[index >> 6] = 0;
        }

        _touchedCount = 0;
    }

    /// <summary>Bytes a buffer for <see cref="WriteTo"/> needs at most (a dense sketch).</summary>
    public const int MaxSerializedLength = HeaderLength + DensePayloadLength;

    /// <summary>The canonical serialized sketch of the registers.</summary>
    public byte[] ToBytes()
    {
        var buffer = new byte[MaxSerializedLength];
        return buffer.AsSpan(0, WriteTo(buffer)).ToArray();
    }

    /// <summary>Writes the canonical serialized sketch into <paramref name="buffer"/> (at least <see cref="MaxSerializedLength"/> bytes); returns its length.</summary>
    public int WriteTo(Span<byte> buffer)
    {
        var touched = _touched.AsSpan(0, _touchedCount);
        if (_touchedCount > HyperLogLog.SparseMaxRegisters)
        {
            return Dense(buffer);
        }

        buffer[0] = HyperLogLog.FormatVersion;
        buffer[1] = HyperLogLog.Precision;
        buffer[2] = SparseEncoding;
        var length = HeaderLength + Varint.Write(buffer[HeaderLength..], (uint)_touchedCount);
        uint previous = 0;
        if (_touchedCount <= SortedUpTo)
        {
            touched.Sort();
            foreach (var index in touched)
            {
                WriteEntry(buffer, ref length, ref previous, index);
            }

            return length;
        }

        for (var word = 0; word < _touchedBits.Length; word++)
        {
            for (var bits = _touchedBits[word]; bits != 0; bits &= bits - 1)
            {
                WriteEntry(buffer, ref length, ref previous, (word << 6) + System.Numerics.BitOperations.TrailingZeroCount(bits));
            }
        }

        return length;
    }

    /// <summary>One sparse entry (index and value), as the difference to the one before.</summary>
    private void WriteEntry(Span<byte> buffer, ref int length, ref uint previous, int index)
    {
        var entry = ((uint)index << 6) | _registers[index];
        length += Varint.Write(buffer[length..], entry - previous);
        previous = entry;
    }

    private int Dense(Span<byte> bytes)
    {
        bytes[0] = HyperLogLog.FormatVersion;
        bytes[1] = HyperLogLog.Precision;
        bytes[2] = DenseEncoding;
        var r = _registers;
        for (int g = 0, o = HeaderLength; g < HyperLogLog.RegisterCount / 4; g++, o += 3)
        {
            var v = r[4 * g] | (r[(4 * g) + 1] << 6) | (r[(4 * g) + 2] << 12) | (r[(4 * g) + 3] << 18);
            bytes[o] = (byte)v;
            bytes[o + 1] = (byte)(v >> 8);
            bytes[o + 2] = (byte)(v >> 16);
        }

        return HeaderLength + DensePayloadLength;
    }
}
