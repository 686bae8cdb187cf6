using System.Runtime.InteropServices;

namespace Lambda.Batch.Parquet;

/// <summary>
/// zstd compression through the system's libzstd (libzstd1, part of every Debian base system: dpkg and apt
/// depend on it). One compression context, reused for every page; not thread-safe (one per writer).
/// </summary>
internal sealed unsafe partial class ZstdCompressor : IDisposable
{
    private const string Library = "libzstd.so.1";

    private readonly int _level;
    private nint _context;

    public ZstdCompressor(int level)
    {
        _level = level;
        _context = CreateContext();
        if (_context == 0)
        {
            throw new InvalidOperationException("libzstd could not create a compression context");
        }
    }

    /// <summary>The most bytes compressing <paramref name="length"/> bytes can take.</summary>
    public static int Bound(int length) => checked((int)CompressBound((nuint)length));

    /// <summary>Compresses <paramref name="source"/> into <paramref name="destination"/> (at least <see cref="Bound"/> long); returns the bytes written.</summary>
    public int Compress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_context == 0, this);
        nuint written;
        fixed (byte* from = source)
        fixed (byte* to = destination)
        {
            written = CompressWithContext(_context, to, (nuint)destination.Length, from, (nuint)source.Length, _level);
        }

        if (IsError(written) != 0)
        {
            throw new InvalidOperationException($"zstd compression failed: {Marshal.PtrToStringUTF8(ErrorName(written))}");
        }

        return (int)written;
    }

    public void Dispose()
    {
        if (_context != 0)
        {
            _ = FreeContext(_context);
            _context = 0;
        }
    }

    [LibraryImport(Library, EntryPoint = "ZSTD_createCCtx")]
    private static partial nint CreateContext();

    [LibraryImport(Library, EntryPoint = "ZSTD_freeCCtx")]
    private static partial nuint FreeContext(nint context);

    [LibraryImport(Library, EntryPoint = "ZSTD_compressBound")]
    private static partial nuint CompressBound(nuint sourceSize);

    [LibraryImport(Library, EntryPoint = "ZSTD_compressCCtx")]
    private static partial nuint CompressWithContext(nint context, byte* destination, nuint capacity, byte* source, nuint sourceSize, int level);

    [LibraryImport(Library, EntryPoint = "ZSTD_isError")]
    private static partial uint IsError(nuint code);

    [LibraryImport(Library, EntryPoint = "ZSTD_getErrorName")]
    private static partial nint ErrorName(nuint code);
}
