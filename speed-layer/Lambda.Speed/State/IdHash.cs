using System.IO.Hashing;
using Lambda.SharedModel.Codec;
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

    public static ulong EventKey(EventKind kind, ReadOnlySpan<byte> eventId)
    {
        // The kind goes into the hashed bytes, not into the seed: for inputs of 1-3 bytes XxHash3
        // mixes the seed so weakly that ("e-3", seed 1) and ("e-2", seed 2) collide.
        Span<byte> keyed = stackalloc byte[1 + EventDecoder.MaxIdBytes];
        keyed[0] = (byte)kind;
        eventId.CopyTo(keyed[1..]);
        return XxHash3.HashToUInt64(keyed[..(1 + eventId.Length)]);
    }
}
