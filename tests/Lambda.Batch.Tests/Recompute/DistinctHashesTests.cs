using Lambda.Batch.Recompute;

namespace Lambda.Batch.Tests.Recompute;

public sealed class DistinctHashesTests
{
    [Fact]
    public void counts_equal_a_hash_set_over_buckets_of_every_size()
    {
        var random = new Random(7);
        var set = new DistinctHashes();
        foreach (var size in new[] { 0, 1, 3, 33, 1000, 5, 20_000, 2, 70_000, 0, 40 })
        {
            var reference = new HashSet<ulong>();
            var added = new List<ulong>();
            for (var i = 0; i < size; i++)
            {
                // Repeats, the empty marker 0, and hashes that share their low bits.
                var hash = random.Next(4) switch
                {
                    0 when added.Count > 0 => added[random.Next(added.Count)],
                    1 => (ulong)random.Next(3) << 40,
                    _ => (ulong)random.NextInt64(),
                };
                reference.Add(hash);
                added.Add(hash);
                set.Add(hash);
            }

            Assert.Equal(reference.Count, set.TakeCount());
        }
    }
}
