using Lambda.Serving.Api;
using Lambda.SharedModel.Views;

namespace Lambda.Serving.Caching;

/// <summary>
/// What a cache entry costs in memory, estimated in bytes, so the query cache is bounded by what it
/// holds rather than by a row count (a week of minutes is ~10,000 rows but ~4 MB: its JSON, its gzip
/// and the rows). Object sizes are the 64-bit runtime's: a header of 16 bytes plus the fields.
/// </summary>
internal static class CacheSizes
{
    // A BatchViewRow: header, two string references, the bucket, eight counters, uniques, the sketch
    // reference; its campaign and granularity strings and the sketch array.
    private const int BatchRowBytes = 16 + 16 + 8 + 64 + 8 + 8 + 24 + 24;

    // A MetricsRow: header, the bucket, the source, the flag and eleven numbers.
    private const int MetricsRowBytes = 16 + 8 + 8 + 8 + (11 * 8);

    // The list, the key and the cache's own entry.
    private const int EntryBytes = 256;

    public static long Of(IReadOnlyList<BatchViewRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        long bytes = EntryBytes + (rows.Count * 8L);
        foreach (var row in rows)
        {
            bytes += BatchRowBytes + (row.CampaignId.Length * 2L) + row.UniquesSketch.Length;
        }
        return bytes;
    }

    /// <summary>An answer with its encoded bytes (the gzip included: it is made before the answer is cached).</summary>
    public static long Of(CachedAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return EntryBytes + answer.Encoded.Json.Length + answer.Encoded.Gzip.Length + (answer.Answer.Rows.Count * (MetricsRowBytes + 8L));
    }
}
