using System.Runtime.InteropServices;

namespace Lambda.DuckDb.Native;

/// <summary>
/// jemalloc's control interface as libduckdb 1.5.6 builds it in (prefixed <c>duckdb_je_</c>, exported):
/// <c>int mallctl(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen)</c>, 0 on success.
/// Used only by <see cref="DuckDbAllocator"/>.
/// </summary>
internal static unsafe partial class LocalNativeMethods
{
    [LibraryImport(Library, EntryPoint = "duckdb_je_mallctl", StringMarshalling = StringMarshalling.Utf8)] // jemalloc's, not DuckDB's C API: no binding has it
    internal static partial int Mallctl(string name, void* oldValue, nuint* oldLength, void* newValue, nuint newLength);
}
