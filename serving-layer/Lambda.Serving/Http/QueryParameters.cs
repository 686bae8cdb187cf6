using System.Globalization;
using System.Text;
using Lambda.Serving.Merge;
using Lambda.SharedModel.Time;
using Microsoft.AspNetCore.Http;

namespace Lambda.Serving.Http;

/// <summary>Parsing of query parameters into values or a 400 that names the parameter.</summary>
public static class QueryParameters
{
    /// <summary>
    /// An ISO-8601 time with a zone (<c>2026-11-22T10:00:00Z</c>, an offset, or a date alone meaning UTC
    /// midnight) as epoch milliseconds, between <see cref="QueryLimits.EarliestMs"/> and
    /// <see cref="QueryLimits.LatestMs"/> (an offset can push a valid-looking local time past either).
    /// </summary>
    public static bool TryTime(string? text, string field, out long epochMs, out IResult? error)
    {
        epochMs = 0;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = Problems.BadField(field, $"'{field}' is required: an ISO-8601 time such as 2026-11-22T10:00:00Z");
            return false;
        }
        text = text.Trim();
        if (!IsoTimestamp.TryParse(Encoding.UTF8.GetBytes(text), out epochMs))
        {
            if (!DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date))
            {
                error = Problems.BadField(field, $"'{text}' is not an ISO-8601 time with a zone, such as 2026-11-22T10:00:00Z");
                return false;
            }
            epochMs = new DateTimeOffset(date, TimeSpan.Zero).ToUnixTimeMilliseconds();
        }
        if (epochMs < QueryLimits.EarliestMs || epochMs > QueryLimits.LatestMs)
        {
            error = Problems.BadField(field, $"'{text}' is outside the supported times, {IsoTimestamp.Format(QueryLimits.EarliestMs)} to {IsoTimestamp.Format(QueryLimits.LatestMs)}");
            return false;
        }
        return true;
    }

    /// <summary>minute, hour or day; <paramref name="fallback"/> when absent.</summary>
    public static bool TryGranularity(string? text, Granularity fallback, out Granularity granularity, out IResult? error)
    {
        error = null;
        granularity = fallback;
        if (string.IsNullOrEmpty(text) || Granularities.TryParse(text, out granularity))
        {
            return true;
        }
        error = Problems.BadField("granularity", $"unknown granularity '{text}': expected minute, hour or day");
        return false;
    }

    /// <summary>An integer in [<paramref name="min"/>, <paramref name="max"/>]; <paramref name="fallback"/> when absent.</summary>
    public static bool TryInt(string? text, string field, int fallback, int min, int max, out int value, out IResult? error)
    {
        error = null;
        value = fallback;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max)
        {
            return true;
        }
        error = Problems.BadField(field, $"'{field}' must be a whole number from {min} to {max} (got '{text}')");
        return false;
    }
}
