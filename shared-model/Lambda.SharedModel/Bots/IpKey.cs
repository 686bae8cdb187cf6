using System.Net;

namespace Lambda.SharedModel.Bots;

/// <summary>
/// An IP address as one <see cref="UInt128"/>: IPv6 as its 128 bits, IPv4 mapped into
/// <c>::ffff:0:0/96</c> (so <c>1.2.3.4</c> and <c>::ffff:1.2.3.4</c> are the same key). Parsing is
/// allocation-free and strict: dotted-quad IPv4 without leading zeros; IPv6 with at most one <c>::</c>
/// and an optional trailing dotted quad; no zone, brackets, port or surrounding spaces.
/// </summary>
public static class IpKey
{
    /// <summary>The prefix of IPv4-mapped IPv6 addresses, <c>::ffff:0:0</c>.</summary>
    public static readonly UInt128 IPv4MappedPrefix = new(0, 0x0000_ffff_0000_0000UL);

    /// <summary>Parses an address from UTF-8 text.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out UInt128 key)
    {
        if (utf8.IndexOf((byte)':') >= 0)
        {
            return TryParseV6(utf8, out key);
        }

        key = default;
        if (!TryParseV4(utf8, out var v4))
        {
            return false;
        }

        key = IPv4MappedPrefix | v4;
        return true;
    }

    /// <summary>Parses an address from text.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out UInt128 key)
    {
        key = default;
        if (text.Length > 64)
        {
            return false;
        }

        Span<byte> utf8 = stackalloc byte[64];
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] > 0x7f)
            {
                return false;
            }

            utf8[i] = (byte)text[i];
        }

        return TryParse(utf8[..text.Length], out key);
    }

    /// <summary>The key of <paramref name="ip"/>; <see cref="FormatException"/> if it is not an address.
    /// The batch layer uses this to prepare the same keys for SQL.</summary>
    public static UInt128 Parse(string ip)
    {
        ArgumentNullException.ThrowIfNull(ip);
        return TryParse(ip.AsSpan(), out var key) ? key : throw new FormatException($"'{ip}' is not an IPv4 or IPv6 address");
    }

    /// <summary>Whether <paramref name="key"/> is an IPv4 address (mapped).</summary>
    public static bool IsIPv4(UInt128 key) => (key >> 32) == (IPv4MappedPrefix >> 32);

    /// <summary>The conventional text of <paramref name="key"/> (dotted quad for IPv4).</summary>
    public static string Format(UInt128 key)
    {
        if (IsIPv4(key))
        {
            var v4 = (uint)(key & uint.MaxValue);
            return $"{v4 >> 24}.{(v4 >> 16) & 0xff}.{(v4 >> 8) & 0xff}.{v4 & 0xff}";
        }

        Span<byte> bytes = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(bytes, key);
        return new IPAddress(bytes).ToString();
    }

    private static bool TryParseV4(ReadOnlySpan<byte> text, out uint value)
    {
        value = 0;
        var parts = 0;
        var i = 0;
        while (true)
        {
            var start = i;
            var part = 0;
            while (i < text.Length && (uint)(text[i] - '0') <= 9 && i - start < 3)
            {
                part = (part * 10) + (text[i] - '0');
                i++;
            }

            var digits = i - start;
            if (digits == 0 || part > 255 || (digits > 1 && text[start] == '0'))
            {
                return false;
            }

            value = (value << 8) | (uint)part;
            parts++;
            if (parts == 4)
            {
                return i == text.Length;
            }

            if (i >= text.Length || text[i] != '.')
            {
                return false;
            }

            i++;
        }
    }

    private static bool TryParseV6(ReadOnlySpan<byte> text, out UInt128 key)
    {
        key = default;
        Span<ushort> groups = stackalloc ushort[8];
        var count = 0;
        var gap = -1;
        var i = 0;
        if (text.StartsWith("::"u8))
        {
            gap = 0;
            i = 2;
        }
        else if (text.IsEmpty || text[0] == ':')
        {
            return false;
        }

        while (i < text.Length)
        {
            var end = text[i..].IndexOf((byte)':');
            var token = end < 0 ? text[i..] : text.Slice(i, end);
            if (token.IndexOf((byte)'.') >= 0)
            {
                // A dotted quad may only end the address and fills two groups.
                if (end >= 0 || count > 6 || !TryParseV4(token, out var v4))
                {
                    return false;
                }

                groups[count++] = (ushort)(v4 >> 16);
                groups[count++] = (ushort)v4;
                i = text.Length;
                break;
            }

            if (count == 8 || !TryParseHexGroup(token, out var group))
            {
                return false;
            }

            groups[count++] = group;
            i += token.Length;
            if (i == text.Length)
            {
                break;
            }

            i++;
            if (i < text.Length && text[i] == ':')
            {
                if (gap >= 0)
                {
                    return false;
                }

                gap = count;
                i++;
            }
            else if (i == text.Length)
            {
                return false;
            }
        }

        if (gap < 0 ? count != 8 : count > 7)
        {
            return false;
        }

        UInt128 value = 0;
        var zeros = 8 - count;
        for (var g = 0; g < count; g++)
        {
            if (g == gap)
            {
                value <<= 16 * zeros;
            }

            value = (value << 16) | groups[g];
        }

        if (gap == count)
        {
            value <<= 16 * zeros;
        }

        key = value;
        return true;
    }

    private static bool TryParseHexGroup(ReadOnlySpan<byte> token, out ushort group)
    {
        group = 0;
        if (token.IsEmpty || token.Length > 4)
        {
            return false;
        }

        var value = 0;
        foreach (var b in token)
        {
            int digit = b switch
            {
                >= (byte)'0' and <= (byte)'9' => b - '0',
                >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
                _ => -1,
            };
            if (digit < 0)
            {
                return false;
            }

            value = (value << 4) | digit;
        }

        group = (ushort)value;
        return true;
    }
}
