using Lambda.Serving.Api;

namespace Lambda.Serving.Caching;

/// <summary>
/// An answer with its encoded bytes, valid while the store's view generation is
/// <see cref="Generation"/>; <see cref="ReadAtTimestamp"/> (a <see cref="TimeProvider"/> timestamp)
/// dates its read for the age bound.
/// </summary>
internal sealed record CachedAnswer(MetricsAnswer Answer, EncodedAnswer Encoded, long Generation, long ReadAtTimestamp);
