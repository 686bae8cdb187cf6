using System.Buffers;
using System.Numerics;

namespace Lambda.SharedModel.Sketches;

public sealed partial class HyperLogLog
{
    private const int MinSparseCapacity = 4;

    private static uint Entry(int index, byte rho) => ((uint)index << RhoBits) | rho;

    /// <summary>A sketch owning <paramref name="dense"/>, in the representation its content calls for.</summary>
    private static HyperLogLog FromDenseRegisters(byte[] dense)
    {
        var nonZero = RegisterCount - dense.AsSpan().Count((byte)0);
        if (nonZero > SparseMaxRegisters)
        {
            return new HyperLogLog { _dense = dense };
        }

        var sparse = nonZero == 0 ? [] : new uint[SparseCapacityFor(nonZero)];
        var count = 0;
        for (var index = 0; index < RegisterCount; index++)
        {
            if (dense[index] != 0)
            {
                sparse[count++] = Entry(index, dense[index]);
            }
        }

        return new HyperLogLog { _sparse = sparse, _sparseCount = count };
    }

    private static int SparseCapacityFor(int count) =>
        Math.Min(Math.Max((int)BitOperations.RoundUpToPowerOf2((uint)count), MinSparseCapacity), SparseMaxRegisters);

    /// <summary>Position of <paramref name="index"/> in the sparse list, or the bitwise complement of its insertion point.</summary>
    private int FindSparse(int index)
    {
        var entries = _sparse;
        var lo = 0;
        var hi = _sparseCount - 1;
        while (lo <= hi)
        {
            var mid = (int)((uint)(lo + hi) >> 1);
            var found = (int)(entries[mid] >> RhoBits);
            if (found == index)
            {
                return mid;
            }

            if (found < index)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return ~lo;
    }

    private void AddSparse(int index, byte rho)
    {
        var position = FindSparse(index);
        if (position >= 0)
        {
            if ((_sparse[position] & RhoMask) < rho)
            {
                _sparse[position] = Entry(index, rho);
            }

            return;
        }

        if (_sparseCount == SparseMaxRegisters)
        {
            ConvertToDense();
            _dense![index] = rho;
            return;
        }

        position = ~position;
        if (_sparseCount == _sparse.Length)
        {
            var grown = new uint[SparseCapacityFor(_sparseCount + 1)];
            _sparse.AsSpan(0, position).CopyTo(grown);
            _sparse.AsSpan(position, _sparseCount - position).CopyTo(grown.AsSpan(position + 1));
            _sparse = grown;
        }
        else
        {
            _sparse.AsSpan(position, _sparseCount - position).CopyTo(_sparse.AsSpan(position + 1));
        }

        _sparse[position] = Entry(index, rho);
        _sparseCount++;
    }

    private void ConvertToDense()
    {
        var dense = new byte[RegisterCount];
        foreach (var entry in _sparse.AsSpan(0, _sparseCount))
        {
            dense[entry >> RhoBits] = (byte)(entry & RhoMask);
        }

        _dense = dense;
        _sparse = [];
        _sparseCount = 0;
    }

    /// <summary>Union of this sparse list with another sorted one; turns dense when the union outgrows the sparse limit.</summary>
    private void MergeSparse(ReadOnlySpan<uint> other)
    {
        if (other.IsEmpty)
        {
            return;
        }

        var mine = _sparse.AsSpan(0, _sparseCount);
        var rented = ArrayPool<uint>.Shared.Rent(mine.Length + other.Length);
        try
        {
            var merged = rented.AsSpan();
            int i = 0, j = 0, count = 0;
            while (i < mine.Length && j < other.Length)
            {
                var a = mine[i];
                var b = other[j];
                var indexA = a >> RhoBits;
                var indexB = b >> RhoBits;
                if (indexA == indexB)
                {
                    // Same index: the larger entry carries the larger rho.
                    merged[count++] = Math.Max(a, b);
                    i++;
                    j++;
                }
                else if (indexA < indexB)
                {
                    merged[count++] = a;
                    i++;
                }
                else
                {
                    merged[count++] = b;
                    j++;
                }
            }

            mine[i..].CopyTo(merged[count..]);
            count += mine.Length - i;
            other[j..].CopyTo(merged[count..]);
            count += other.Length - j;

            if (count > SparseMaxRegisters)
            {
                var dense = new byte[RegisterCount];
                foreach (var entry in merged[..count])
                {
                    dense[entry >> RhoBits] = (byte)(entry & RhoMask);
                }

                _dense = dense;
                _sparse = [];
                _sparseCount = 0;
                return;
            }

            if (count > _sparse.Length)
            {
                _sparse = new uint[SparseCapacityFor(count)];
            }

            merged[..count].CopyTo(_sparse);
            _sparseCount = count;
        }
        finally
        {
            ArrayPool<uint>.Shared.Return(rented);
        }
    }
}
