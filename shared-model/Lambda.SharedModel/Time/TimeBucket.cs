using System.Globalization;

namespace Lambda.SharedModel.Time;

/// <summary>
/// A UTC time bucket: the half-open interval [<see cref="StartMs"/>, <see cref="EndMs"/>) of one
/// <see cref="Granularity"/>, aligned to the Unix epoch (so day buckets start at UTC midnight).
/// Orders by start, then granularity.
/// </summary>
public readonly struct TimeBucket : IEquatable<TimeBucket>, IComparable<TimeBucket>
{
    private TimeBucket(long startMs, Granularity granularity)
    {
        StartMs = startMs;
        Granularity = granularity;
    }

    /// <summary>Start of the bucket, inclusive, in Unix epoch milliseconds.</summary>
    public long StartMs { get; }

    public Granularity Granularity { get; }

    /// <summary>End of the bucket, exclusive, in Unix epoch milliseconds.</summary>
    public long EndMs => StartMs + Granularity.LengthMs();

    public DateTimeOffset Start => DateTimeOffset.FromUnixTimeMilliseconds(StartMs);

    public DateTimeOffset End => DateTimeOffset.FromUnixTimeMilliseconds(EndMs);

    /// <summary>The bucket right after this one.</summary>
    public TimeBucket Next => new(EndMs, Granularity);

    /// <summary>The bucket right before this one.</summary>
    public TimeBucket Previous => new(StartMs - Granularity.LengthMs(), Granularity);

    /// <summary>The bucket of <paramref name="granularity"/> that holds <paramref name="epochMs"/>.</summary>
    public static TimeBucket Floor(long epochMs, Granularity granularity)
    {
        var length = granularity.LengthMs();
        var remainder = epochMs % length;
        // C# remainder keeps the dividend's sign: step back one bucket for times before the epoch.
        return new TimeBucket(remainder < 0 ? epochMs - remainder - length : epochMs - remainder, granularity);
    }

    /// <summary>The bucket of <paramref name="granularity"/> that holds <paramref name="time"/>.</summary>
    public static TimeBucket Floor(DateTimeOffset time, Granularity granularity) =>
        Floor(time.ToUnixTimeMilliseconds(), granularity);

    /// <summary>The bucket starting exactly at <paramref name="startMs"/>; throws if it is not aligned.</summary>
    public static TimeBucket FromStart(long startMs, Granularity granularity)
    {
        var bucket = Floor(startMs, granularity);
        return bucket.StartMs == startMs
            ? bucket
            : throw new ArgumentException($"{IsoTimestamp.Format(startMs)} is not the start of a {granularity.Name()} bucket", nameof(startMs));
    }

    /// <summary>The buckets of <paramref name="granularity"/> overlapping [<paramref name="fromMs"/>, <paramref name="toMs"/>).</summary>
    public static IEnumerable<TimeBucket> Range(long fromMs, long toMs, Granularity granularity)
    {
        for (var bucket = Floor(fromMs, granularity); bucket.StartMs < toMs; bucket = bucket.Next)
        {
            yield return bucket;
        }
    }

    /// <summary>The coarser (or equal) bucket that holds this one, e.g. the hour of a minute.</summary>
    public TimeBucket RollUp(Granularity coarser)
    {
        if (coarser < Granularity)
        {
            throw new ArgumentOutOfRangeException(nameof(coarser), coarser, $"cannot roll a {Granularity.Name()} bucket up to a finer {coarser.Name()}");
        }

        return Floor(StartMs, coarser);
    }

    public bool Contains(long epochMs) => epochMs >= StartMs && epochMs < EndMs;

    /// <summary>The start as ISO-8601 UTC, <c>yyyy-MM-ddTHH:mm:ssZ</c>.</summary>
    public string ToIsoString() =>
        Start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>E.g. <c>2024-05-01T13:45:00Z/minute</c>; <see cref="Parse(string)"/> reads it back.</summary>
    public override string ToString() => $"{ToIsoString()}/{Granularity.Name()}";

    /// <summary>
    /// Parses an ISO-8601 start (with <c>Z</c> or an offset; a date alone means UTC midnight) as a bucket of
    /// <paramref name="granularity"/>. The time must be the exact start of such a bucket.
    /// </summary>
    public static TimeBucket Parse(string start, Granularity granularity) =>
        TryParse(start, granularity, out var bucket, out var error) ? bucket : throw new FormatException(error);

    /// <summary>Parses the <see cref="ToString"/> form, <c>start/granularity</c>.</summary>
    public static TimeBucket Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var slash = text.LastIndexOf('/');
        if (slash < 0)
        {
            throw new FormatException($"'{text}' is not a time bucket: expected START/GRANULARITY, e.g. 2024-05-01T13:00:00Z/hour");
        }

        return Parse(text[..slash], Granularities.Parse(text[(slash + 1)..]));
    }

    /// <summary>As <see cref="Parse(string, Granularity)"/>, reporting the problem instead of throwing.</summary>
    public static bool TryParse(string? start, Granularity granularity, out TimeBucket bucket, out string? error)
    {
        bucket = default;
        if (!DateTimeOffset.TryParse(start, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            error = $"'{start}' is not an ISO-8601 time";
            return false;
        }

        var ms = time.ToUnixTimeMilliseconds();
        bucket = Floor(ms, granularity);
        if (bucket.StartMs != ms)
        {
            error = $"'{start}' is not the start of a {granularity.Name()} bucket (that would be {bucket.ToIsoString()})";
            bucket = default;
            return false;
        }

        error = null;
        return true;
    }

    public bool Equals(TimeBucket other) => StartMs == other.StartMs && Granularity == other.Granularity;

    public override bool Equals(object? obj) => obj is TimeBucket other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(StartMs, Granularity);

    public int CompareTo(TimeBucket other)
    {
        var byStart = StartMs.CompareTo(other.StartMs);
        return byStart != 0 ? byStart : Granularity.CompareTo(other.Granularity);
    }

    public static bool operator ==(TimeBucket left, TimeBucket right) => left.Equals(right);

    public static bool operator !=(TimeBucket left, TimeBucket right) => !left.Equals(right);

    public static bool operator <(TimeBucket left, TimeBucket right) => left.CompareTo(right) < 0;

    public static bool operator <=(TimeBucket left, TimeBucket right) => left.CompareTo(right) <= 0;

    public static bool operator >(TimeBucket left, TimeBucket right) => left.CompareTo(right) > 0;

    public static bool operator >=(TimeBucket left, TimeBucket right) => left.CompareTo(right) >= 0;
}
