using System.Runtime.CompilerServices;

namespace Lambda.Generator.Json;

/// <summary>Formats 128 random bits as a lowercase version-4 UUID string (36 UTF-8 bytes).</summary>
internal static class Utf8Uuid
{
    public const int Length = 36;

    private static ReadOnlySpan<byte> Hex => "0123456789abcdef"u8;

    /// <summary>Sets the version (4) and variant (10xx) bits so the id is a well-formed random UUID.</summary>
    public static (ulong High, ulong Low) Stamp(ulong high, ulong low) =>
        ((high & ~0xF000UL) | 0x4000UL, (low & 0x3FFF_FFFF_FFFF_FFFFUL) | 0x8000_0000_0000_0000UL);

    public static void Write(ulong high, ulong low, Span<byte> dest)
    {
        _ = dest[Length - 1];
        // 8-4-4-4-12 groups: high gives 16 hex digits (8-4-4), low gives 16 (4-12).
        WriteHex(high >> 32, 8, dest);
        dest[8] = (byte)'-';
        WriteHex((high >> 16) & 0xFFFF, 4, dest[9..]);
        dest[13] = (byte)'-';
        WriteHex(high & 0xFFFF, 4, dest[14..]);
        dest[18] = (byte)'-';
        WriteHex(low >> 48, 4, dest[19..]);
        dest[23] = (byte)'-';
        WriteHex(low & 0xFFFF_FFFF_FFFFUL, 12, dest[24..]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteHex(ulong value, int digits, Span<byte> dest)
    {
        var hex = Hex;
        for (var i = digits - 1; i >= 0; i--)
        {
            dest[i] = hex[(int)(value & 0xF)];
            value >>= 4;
        }
    }
}
