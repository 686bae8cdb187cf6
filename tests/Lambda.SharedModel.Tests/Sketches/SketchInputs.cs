using Lambda.SharedModel.Sketches;

namespace Lambda.SharedModel.Tests.Sketches;

/// <summary>Deterministic user hashes and sketches for the HyperLogLog tests.</summary>
internal static class SketchInputs
{
    /// <summary>Hashes of the user ids <c>{prefix}{offset}</c> .. <c>{prefix}{offset + count - 1}</c>.</summary>
    public static ulong[] UserHashes(int count, int offset = 0, string prefix = "user-")
    {
        var hashes = new ulong[count];
        for (var i = 0; i < count; i++)
        {
            hashes[i] = UserHash.Of(prefix + (offset + i).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return hashes;
    }

    /// <summary>Pseudo-random 64-bit hashes from a seed (SplitMix64), cheap enough for property tests.</summary>
    public static ulong[] RandomHashes(int seed, int count)
    {
        var state = (ulong)seed * 0x9E3779B97F4A7C15UL;
        var hashes = new ulong[count];
        for (var i = 0; i < count; i++)
        {
            state += 0x9E3779B97F4A7C15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            hashes[i] = z ^ (z >> 31);
        }

        return hashes;
    }

    /// <summary>A hash that lands in register <paramref name="index"/> with value <paramref name="rho"/>.</summary>
    public static ulong HashFor(int index, int rho) =>
        ((ulong)index << 50) | (rho == HyperLogLog.MaxRho ? 0UL : 1UL << (50 - rho));

    public static HyperLogLog SketchOf(IEnumerable<ulong> hashes)
    {
        var sketch = new HyperLogLog();
        foreach (var hash in hashes)
        {
            sketch.Add(hash);
        }

        return sketch;
    }

    public static HyperLogLog Union(HyperLogLog a, HyperLogLog b)
    {
        var union = a.Clone();
        union.Merge(b);
        return union;
    }
}
