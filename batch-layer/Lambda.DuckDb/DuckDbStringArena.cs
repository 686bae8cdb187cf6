using System.Runtime.InteropServices;

namespace Lambda.DuckDb;

/// <summary>
/// Native memory for the strings of a <see cref="DuckDbDataChunk"/> filled with
/// <see cref="DuckDbDataChunk.SetBytes(int, int, ReadOnlySpan{byte}, DuckDbStringArena)"/>: blocks kept
/// from fill to fill, so refilling a chunk neither allocates nor touches fresh pages (DuckDB's own string
/// heap is freed and reallocated on every reset). <see cref="Reset"/> it together with the chunk, only
/// once DuckDB is done with the rows (after the append, or when a scan is asked for the next chunk).
/// Belongs to one thread.
/// </summary>
public sealed unsafe class DuckDbStringArena : IDisposable
{
    private const int BlockBytes = 1 << 20;

    private readonly List<nint> _blocks = [];
    private int _block = -1;
    private int _used = BlockBytes;

    /// <summary>Copies <paramref name="value"/> in; the pointer stays valid until <see cref="Reset"/> or <see cref="Dispose"/>.</summary>
    internal byte* Copy(ReadOnlySpan<byte> value)
    {
        if (BlockBytes - _used < value.Length)
        {
            NextBlock(value.Length);
        }

        var destination = (byte*)_blocks[_block] + _used;
        value.CopyTo(new Span<byte>(destination, value.Length));
        _used += value.Length;
        return destination;
    }

    /// <summary>Forgets every string, keeping the memory for the next fill.</summary>
    public void Reset()
    {
        _block = _blocks.Count > 0 ? 0 : -1;
        _used = _blocks.Count > 0 ? 0 : BlockBytes;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var block in _blocks)
        {
            NativeMemory.Free((void*)block);
        }

        _blocks.Clear();
        _block = -1;
        _used = BlockBytes;
    }

    private void NextBlock(int length)
    {
        if (length > BlockBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"a string longer than {BlockBytes} bytes does not fit the arena");
        }

        _block++;
        if (_block == _blocks.Count)
        {
            _blocks.Add((nint)NativeMemory.Alloc(BlockBytes));
        }

        _used = 0;
    }
}
