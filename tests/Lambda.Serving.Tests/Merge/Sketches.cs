using Lambda.SharedModel.Sketches;

namespace Lambda.Serving.Tests.Merge;

/// <summary>Real sketches of named user ranges, for tests of unique users.</summary>
internal static class Sketches
{
    /// <summary>The sketch of users <c>u{first}</c> .. <c>u{first + count - 1}</c>.</summary>
    public static byte[] Users(int first, int count)
    {
        var sketch = new HyperLogLog();
        for (var i = first; i < first + count; i++)
        {
            sketch.Add(UserHash.Of($"u{i}"));
        }
        return sketch.ToBytes();
    }
}
