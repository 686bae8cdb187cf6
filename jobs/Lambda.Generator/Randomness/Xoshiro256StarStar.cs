using System.Numerics;

namespace Lambda.Generator.Randomness;

/// <summary>
/// xoshiro256** (Blackman and Vigna): a fast 64-bit PRNG with a fixed, documented algorithm, so a
/// seed gives the same stream on every runtime (unlike <see cref="Random"/>, whose algorithm is unspecified).
/// A mutable struct: keep it in a field and call it in place, never copy it by value.
/// </summary>
public struct Xoshiro256StarStar
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    /// <summary>Seeds the four state words from <paramref name="seed"/> through SplitMix64, as the authors advise.</summary>
    public Xoshiro256StarStar(ulong seed)
    {
        var sm = seed;
        _s0 = SplitMix64.Next(ref sm);
        _s1 = SplitMix64.Next(ref sm);
        _s2 = SplitMix64.Next(ref sm);
        _s3 = SplitMix64.Next(ref sm);
    }

    public ulong NextUInt64()
    {
        var result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A number in [0, <paramref name="n"/>) by Lemire's multiply-shift (bias below 2^-32 · n, negligible here).</summary>
    public int NextInt(int n) => (int)(((NextUInt64() >> 32) * (ulong)(uint)n) >> 32);

    /// <summary>A number in [0, <paramref name="n"/>) for 64-bit ranges.</summary>
    public long NextLong(long n) => (long)(((UInt128)NextUInt64() * (ulong)n) >> 64);

    /// <summary>True with the probability encoded by <see cref="Threshold"/>.</summary>
    public bool Chance(ulong threshold) => (NextUInt64() >> 11) < threshold;

    /// <summary>A probability as a 53-bit threshold for <see cref="Chance"/>: 0 never, 1 always.</summary>
    public static ulong Threshold(double probability) => (ulong)(probability * (1UL << 53));
}
