using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Lambda.Generator.Json;

/// <summary>Formats 128 random bits as a lowercase version-4 UUID string (36 UTF-8 bytes).</summary>
internal static class Utf8Uuid
{
    public const int Length = 36;

    // "000102...feff": the two lowercase hex digits of every byte value, in order.
    private static ReadOnlySpan<byte> HexPairs => "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"u8;

    /// <summary>Sets the version (4) and variant (10xx) bits so the id is a well-formed random UUID.</summary>
    public static (ulong High, ulong Low) Stamp(ulong high, ulong low) =>
        ((high & ~0xF000UL) | 0x4000UL, (low & 0x3FFF_FFFF_FFFF_FFFFUL) | 0x8000_0000_0000_0000UL);

    public static void Write(ulong high, ulong low, Span<byte> dest)
    {
        _ = dest[Length - 1];
        ref var d = ref MemoryMarshal.GetReference(dest);
        // 8-4-4-4-12 groups: high gives the first 16 hex digits (8-4-4), low the last 16 (4-12).
        WriteBytes(high >> 32, 4, ref d);
        Unsafe.Add(ref d, 8) = (byte)'-';
        WriteBytes((high >> 16) & 0xFFFF, 2, ref Unsafe.Add(ref d, 9));
        Unsafe.Add(ref d, 13) = (byte)'-';
        WriteBytes(high & 0xFFFF, 2, ref Unsafe.Add(ref d, 14));
        Unsafe.Add(ref d, 18) = (byte)'-';
        WriteBytes(low >> 48, 2, ref Unsafe.Add(ref d, 19));
        Unsafe.Add(ref d, 23) = (byte)'-';
        WriteBytes(low & 0xFFFF_FFFF_FFFFUL, 6, ref Unsafe.Add(ref d, 24));
    }

    /// <summary>Two hex digits per byte from a table, most significant byte first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteBytes(ulong value, int bytes, ref byte dest)
    {
        ref var table = ref MemoryMarshal.GetReference(HexPairs);
        for (var i = bytes - 1; i >= 0; i--)
        {
            var pair = Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref table, (int)(value & 0xFF) * 2));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref dest, i * 2), pair);
            value >>= 8;
        }
    }
}
