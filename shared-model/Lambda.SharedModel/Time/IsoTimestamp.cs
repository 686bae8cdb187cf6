namespace Lambda.SharedModel.Time;

/// <summary>
/// Allocation-free parsing of ISO-8601 / RFC 3339 timestamps from UTF-8 into Unix epoch milliseconds.
/// Accepted: <c>YYYY-MM-DD(T|t| )HH:MM[:SS[(.|,)fraction]](Z|z|±HH[:MM]|±HHMM)</c>. A zone is required
/// (a local time is ambiguous); fractions finer than a millisecond are truncated toward the past.
/// </summary>
public static class IsoTimestamp
{

    /// <summary>Parses <paramref name="utf8"/> in full; false if it is not an accepted timestamp.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out long epochMs)
    {
        epochMs = 0;
        if (utf8.Length < 17
            || !TryDigits(utf8[..4], out var year) || utf8[4] != '-'
            || !TryDigits(utf8.Slice(5, 2), out var month) || utf8[7] != '-'
            || !TryDigits(utf8.Slice(8, 2), out var day)
            || utf8[10] is not ((byte)'T' or (byte)'t' or (byte)' ')
            || !TryDigits(utf8.Slice(11, 2), out var hour) || utf8[13] != ':'
            || !TryDigits(utf8.Slice(14, 2), out var minute))
        {
            return false;
        }

        var pos = 16;
        var second = 0;
        long fractionMs = 0;
        if (utf8[pos] == ':')
        {
            if (utf8.Length < pos + 3 || !TryDigits(utf8.Slice(pos + 1, 2), out second))
            {
                return false;
            }

            pos += 3;
            if (pos < utf8.Length && utf8[pos] is (byte)'.' or (byte)',')
            {
                pos++;
                var start = pos;
                while (pos < utf8.Length && IsDigit(utf8[pos]))
                {
                    if (pos - start < 3)
                    {
                        fractionMs = (fractionMs * 10) + (utf8[pos] - '0');
                    }

                    pos++;
                }

                var digits = pos - start;
                if (digits == 0)
                {
                    return false;
                }

                for (var i = digits; i < 3; i++)
                {
                    fractionMs *= 10;
                }
            }
        }

        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(year, 1), month)
            || year < 1 || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        if (!TryZone(utf8[pos..], out var offsetMinutes))
        {
            return false;
        }

        epochMs = (DaysFromCivil(year, month, day) * Granularities.DayMs)
            + (hour * 3_600_000L) + (minute * 60_000L) + (second * 1000L) + fractionMs
            - (offsetMinutes * 60_000L);
        return true;
    }

    /// <summary>Formats epoch milliseconds as <c>yyyy-MM-ddTHH:mm:ss[.fff]Z</c> (milliseconds only when non-zero).</summary>
    public static string Format(long epochMs)
    {
        var time = DateTimeOffset.FromUnixTimeMilliseconds(epochMs).UtcDateTime;
        return time.Millisecond == 0
            ? time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)
            : time.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static bool TryZone(ReadOnlySpan<byte> zone, out int offsetMinutes)
    {
        offsetMinutes = 0;
        if (zone.Length == 1 && zone[0] is (byte)'Z' or (byte)'z')
        {
            return true;
        }

        if (zone.Length < 3 || zone[0] is not ((byte)'+' or (byte)'-') || !TryDigits(zone.Slice(1, 2), out var hours))
        {
            return false;
        }

        var minutes = 0;
        var rest = zone[3..];
        if (rest.Length == 3 && rest[0] == ':')
        {
            rest = rest[1..];
        }

        if (rest.Length == 2)
        {
            if (!TryDigits(rest, out minutes))
            {
                return false;
            }
        }
        else if (rest.Length != 0)
        {
            return false;
        }

        if (hours > 23 || minutes > 59)
        {
            return false;
        }

        offsetMinutes = (zone[0] == '-' ? -1 : 1) * ((hours * 60) + minutes);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        foreach (var b in text)
        {
            if (!IsDigit(b))
            {
                return false;
            }

            value = (value * 10) + (b - '0');
        }

        return true;
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    // Howard Hinnant's days_from_civil: days since 1970-01-01 in the proleptic Gregorian calendar.
    private static long DaysFromCivil(int year, int month, int day)
    {
        long y = month <= 2 ? year - 1 : year;
        var era = (y >= 0 ? y : y - 399) / 400;
        var yearOfEra = y - (era * 400);
        var dayOfYear = ((153 * (month > 2 ? month - 3 : month + 9)) + 2) / 5 + day - 1;
        var dayOfEra = (yearOfEra * 365) + (yearOfEra / 4) - (yearOfEra / 100) + dayOfYear;
        return (era * 146_097) + dayOfEra - 719_468;
    }
}
