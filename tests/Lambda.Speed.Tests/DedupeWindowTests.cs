using Lambda.Speed.State;

namespace Lambda.Speed.Tests;

public class DedupeWindowTests
{
    [Fact]
    public void ids_read_straight_into_a_restoring_window_dedupe_like_the_original()
    {
        var original = new DedupeWindow(1_000_000);
        for (ulong id = 1; id <= 30_000; id++)
        {
            Assert.False(original.IsDuplicate(id, eventTimeMs: (long)id, watermarkMs: 0));
        }

        var restored = new DedupeWindow(1_000_000);
        restored.BeginRestore();
        foreach (var (slice, ids) in original.Slices)
        {
            // In two parts, as a base and then a delta of the same slice would append them.
            var half = ids.Count / 2;
            ids.GetRange(0, half).CopyTo(restored.AppendUnindexed(slice, half));
            ids.GetRange(half, ids.Count - half).CopyTo(restored.AppendUnindexed(slice, ids.Count - half));
        }

        restored.BuildIndex();
        Assert.Equal(original.Count, restored.Count);
        Assert.Equal(original.Slices.Select(s => (s.Slice, s.Ids.ToArray())), restored.Slices.Select(s => (s.Slice, s.Ids.ToArray())));
        Assert.True(restored.IsDuplicate(12_345, eventTimeMs: 12_345, watermarkMs: 0));
        Assert.False(restored.IsDuplicate(30_001, eventTimeMs: 29_999, watermarkMs: 0));
    }

    [Fact]
    public void ids_are_appended_unindexed_only_while_restoring()
    {
        var window = new DedupeWindow(1_000);
        Assert.Throws<InvalidOperationException>(() => window.AppendUnindexed(0, 1));
    }
}
