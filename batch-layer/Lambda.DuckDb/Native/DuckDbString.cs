using System.Runtime.InteropServices;

namespace Lambda.DuckDb.Native;

/// <summary>
/// duckdb_string_t as the readers use it per value: length, then 12 inlined bytes or a 4-byte prefix and a
/// pointer. Plain fields, read in place in the vector (the package's DuckDBString reaches them through
/// nested fixed buffers).
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
internal unsafe struct DuckDbString
{
    internal const int InlineLength = 12;

    [FieldOffset(0)] public uint Length;
    [FieldOffset(4)] public byte Inlined;
    [FieldOffset(8)] public byte* Pointer;
}
