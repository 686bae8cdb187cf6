using System.IO.Hashing;
using Lambda.SharedModel.Events;

namespace Lambda.Speed.State;

/// <summary>
/// Fixed-size identities for opaque string ids, so the hot path never allocates a string.
/// Ads and campaigns use 128-bit hashes (collisions are out of reach); event ids use 64 bits
/// salted by kind, which is what the bounded dedupe window stores (a collision in a window of a
/// few million ids has odds around 1e-7, and the batch layer dedupes exactly anyway).
/// </summary>
internal static class IdHash
{
    public static UInt128 Of128(ReadOnlySpan<byte> id) => XxHash128.HashToUInt128(id);

    public static ulong EventKey(EventKind kind, ReadOnlySpan<byte> eventId) =>
        XxHash3.HashToUInt64(eventId, seed: (long)kind + 1);
}
