using System.Numerics;

namespace Lambda.SharedModel.Sketches;

/// <summary>
/// HyperLogLog sketch of distinct users at precision 14: 16,384 registers, standard error 0.81%.
/// Feed it <see cref="UserHash.Of(ReadOnlySpan{byte})"/> values. Small sets are held sparse (a sorted list
/// of non-zero registers); above <see cref="SparseMaxRegisters"/> non-zero registers it switches to dense.
/// Registers only grow, so the representation, like the serialized form, depends on the register
/// contents alone, never on the order of adds and merges. Not thread-safe.
/// </summary>
/// <remarks>
/// Memory (64-bit runtime): the object is 40 B. Empty: 40 B (no array). Sparse with k non-zero registers:
/// 40 B + an array of 24 B + 4 B × capacity, capacity the next power of two ≥ k (min 4), so at most
/// 8,256 B at k = 2,048. Dense: 40 B + 24 B + 16,384 B (one byte per register) = 16,448 B.
/// </remarks>
public sealed partial class HyperLogLog
{
    /// <summary>Number of hash bits that select a register. Frozen.</summary>
    public const int Precision = 14;

    /// <summary>Number of registers, 2^<see cref="Precision"/>.</summary>
    public const int RegisterCount = 1 << Precision;

    /// <summary>Largest register value: 64 - <see cref="Precision"/> + 1 = 51.</summary>
    public const int MaxRho = 64 - Precision + 1;

    /// <summary>
    /// A sketch with at most this many non-zero registers is sparse, in memory and on disk; with more it is
    /// dense. At this size the sparse array (8 KB) is half the dense one and its serialized form (≤ 6 KB)
    /// is under half the dense 12 KB.
    /// </summary>
    public const int SparseMaxRegisters = 2048;

    /// <summary>Relative standard error of <see cref="Estimate"/>: 1.04 / sqrt(16,384) ≈ 0.0081.</summary>
    public static double StandardError { get; } = 1.04 / Math.Sqrt(RegisterCount);

    private const int RhoBits = 6;
    private const uint RhoMask = (1u << RhoBits) - 1;
    private const int HashBitsAfterIndex = 64 - Precision;
    private const int ObjectBytes = 40;
    private const int ArrayHeaderBytes = 24;

    // Sparse: entries (index << 6 | rho), sorted by index, one per non-zero register, in
    // _sparse[0.._sparseCount). Dense: _dense holds every register and _sparse is empty.
    private uint[] _sparse = [];
    private int _sparseCount;
    private byte[]? _dense;

    /// <summary>Whether the sketch is in its sparse representation (at most <see cref="SparseMaxRegisters"/> non-zero registers).</summary>
    public bool IsSparse => _dense is null;

    /// <summary>Bytes the sketch holds in memory (object and arrays, see the remarks above): for size estimates.</summary>
    public int MemoryBytes => ObjectBytes + (_dense is { } dense ? ArrayHeaderBytes + dense.Length
        : _sparse.Length == 0 ? 0 : ArrayHeaderBytes + (sizeof(uint) * _sparse.Length));

    /// <summary>
    /// The register a hash updates. Frozen, and reproduced in SQL by the batch layer:
    /// <c>index = hash &gt;&gt; 50</c> (the top 14 bits); <c>rho</c> = the number of leading zeros of the
    /// remaining 50 bits (<c>hash &lt;&lt; 14</c> as a 64-bit word), capped at 50, plus one: 1..51.
    /// </summary>
    public static void Register(ulong hash, out int index, out byte rho)
    {
        index = (int)(hash >> HashBitsAfterIndex);
        rho = (byte)(Math.Min(BitOperations.LeadingZeroCount(hash << Precision), HashBitsAfterIndex) + 1);
    }

    /// <summary>
    /// A sketch from (index, rho) pairs, as the batch layer computes them in SQL; the maximum rho per index
    /// wins, so pairs may repeat and come in any order.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An index outside 0..16383 or a rho outside 1..51.</exception>
    public static HyperLogLog FromRegisters(IEnumerable<(int Index, byte Rho)> registers)
    {
        ArgumentNullException.ThrowIfNull(registers);
        var dense = new byte[RegisterCount];
        foreach (var (index, rho) in registers)
        {
            if ((uint)index >= RegisterCount)
            {
                throw new ArgumentOutOfRangeException(nameof(registers), index, $"register index must be 0..{RegisterCount - 1}");
            }

            if (rho is < 1 or > MaxRho)
            {
                throw new ArgumentOutOfRangeException(nameof(registers), rho, $"register rho must be 1..{MaxRho}");
            }

            if (rho > dense[index])
            {
                dense[index] = rho;
            }
        }

        return FromDenseRegisters(dense);
    }

    /// <summary>Records one hashed user.</summary>
    public void Add(ulong hash)
    {
        Register(hash, out var index, out var rho);
        if (_dense is { } dense)
        {
            if (dense[index] < rho)
            {
                dense[index] = rho;
            }

            return;
        }

        AddSparse(index, rho);
    }

    /// <summary>
    /// Folds <paramref name="other"/> into this sketch: the union of the two user sets (register-wise max).
    /// Commutative, associative and idempotent. <paramref name="other"/> is not changed.
    /// </summary>
    public void Merge(HyperLogLog other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(this, other))
        {
            return;
        }

        if (other._dense is { } otherDense)
        {
            if (_dense is null)
            {
                ConvertToDense();
            }

            MaxInto(_dense!, otherDense);
            return;
        }

        if (_dense is { } dense)
        {
            foreach (var entry in other._sparse.AsSpan(0, other._sparseCount))
            {
                var index = (int)(entry >> RhoBits);
                var rho = (byte)(entry & RhoMask);
                if (dense[index] < rho)
                {
                    dense[index] = rho;
                }
            }

            return;
        }

        MergeSparse(other._sparse.AsSpan(0, other._sparseCount));
    }

    /// <summary>An independent copy.</summary>
    public HyperLogLog Clone() => new()
    {
        _sparse = _sparse.AsSpan(0, _sparseCount).ToArray(),
        _sparseCount = _sparseCount,
        _dense = (byte[]?)_dense?.Clone(),
    };

    /// <summary>Empties the sketch and releases its arrays, so a cleared sketch is as small as a new one.</summary>
    public void Clear()
    {
        _sparse = [];
        _sparseCount = 0;
        _dense = null;
    }

    private static void MaxInto(byte[] target, byte[] source)
    {
        var width = Vector<byte>.Count;
        var i = 0;
        for (; i <= RegisterCount - width; i += width)
        {
            var max = Vector.Max(new Vector<byte>(target, i), new Vector<byte>(source, i));
            max.CopyTo(target, i);
        }

        for (; i < RegisterCount; i++)
        {
            target[i] = Math.Max(target[i], source[i]);
        }
    }
}
