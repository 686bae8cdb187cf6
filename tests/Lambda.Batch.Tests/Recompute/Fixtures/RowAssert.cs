using Lambda.SharedModel.Views;

namespace Lambda.Batch.Tests.Recompute.Fixtures;

/// <summary>Compares two sets of view rows field by field, sketch bytes included, naming the first difference.</summary>
public static class RowAssert
{
    public static void Equal(
        IReadOnlyDictionary<(string Granularity, string Campaign, long Bucket), BatchViewRow> expected,
        IReadOnlyDictionary<(string Granularity, string Campaign, long Bucket), BatchViewRow> actual)
    {
        var missing = expected.Keys.Except(actual.Keys).Take(3).ToList();
        Assert.True(missing.Count == 0, $"rows missing: {string.Join(", ", missing)}");
        var extra = actual.Keys.Except(expected.Keys).Take(3).ToList();
        Assert.True(extra.Count == 0, $"unexpected rows: {string.Join(", ", extra)}");
        foreach (var (key, e) in expected)
        {
            var a = actual[key];
            Assert.True(e.Counts == a.Counts, $"{key}: counts {a.Counts}, expected {e.Counts}");
            Assert.True(e.Uniques == a.Uniques, $"{key}: uniques {a.Uniques}, expected {e.Uniques}");
            Assert.True(e.UniquesSketch.AsSpan().SequenceEqual(a.UniquesSketch), $"{key}: sketch bytes differ");
        }
    }
}
