using FsCheck;
using FsCheck.Fluent;
using Lambda.SharedModel.Sketches;

namespace Lambda.SharedModel.Tests.Sketches;

public class HyperLogLogMergeTests
{
    private static readonly Config Checks = Config.QuickThrowOnFailure.WithMaxTest(150);

    // A user set: a slice of a seeded hash stream, small (sparse), medium (around the switch) or large (dense).
    private static readonly Gen<ulong[]> UserSets =
        from seed in Gen.Choose(0, 1_000)
        from size in Gen.Frequency(
            (3, Gen.Choose(0, 60)),
            (2, Gen.Choose(1_800, 2_600)),
            (1, Gen.Choose(5_000, 20_000)))
        from offset in Gen.Choose(0, 3_000)
        select SketchInputs.RandomHashes(seed, offset + size)[offset..];

    [Fact]
    public void merge_is_commutative()
    {
        Prop.ForAll(Arb.From(Gen.Zip(UserSets, UserSets)), sets =>
        {
            var a = SketchInputs.SketchOf(sets.Item1);
            var b = SketchInputs.SketchOf(sets.Item2);
            return SketchInputs.Union(a, b).ToBytes().AsSpan().SequenceEqual(SketchInputs.Union(b, a).ToBytes());
        }).Check(Checks);
    }

    [Fact]
    public void merge_is_associative()
    {
        Prop.ForAll(Arb.From(Gen.Zip(UserSets, Gen.Zip(UserSets, UserSets))), sets =>
        {
            var a = SketchInputs.SketchOf(sets.Item1);
            var b = SketchInputs.SketchOf(sets.Item2.Item1);
            var c = SketchInputs.SketchOf(sets.Item2.Item2);
            var left = SketchInputs.Union(SketchInputs.Union(a, b), c);
            var right = SketchInputs.Union(a, SketchInputs.Union(b, c));
            return left.ToBytes().AsSpan().SequenceEqual(right.ToBytes());
        }).Check(Checks);
    }

    [Fact]
    public void merge_is_idempotent()
    {
        Prop.ForAll(Arb.From(Gen.Zip(UserSets, UserSets)), sets =>
        {
            var a = SketchInputs.SketchOf(sets.Item1);
            var b = SketchInputs.SketchOf(sets.Item2);
            var aa = SketchInputs.Union(a, a.Clone());
            var self = a.Clone();
            self.Merge(self);
            var abb = SketchInputs.Union(SketchInputs.Union(a, b), b);
            return aa.ToBytes().AsSpan().SequenceEqual(a.ToBytes())
                && self.ToBytes().AsSpan().SequenceEqual(a.ToBytes())
                && abb.ToBytes().AsSpan().SequenceEqual(SketchInputs.Union(a, b).ToBytes());
        }).Check(Checks);
    }

    [Fact]
    public void merging_sketches_of_two_halves_gives_the_sketch_of_the_whole()
    {
        var splits = from users in UserSets
                     from cut in Gen.Choose(0, users.Length)
                     select (users, cut);
        Prop.ForAll(Arb.From(splits), split =>
        {
            var whole = SketchInputs.SketchOf(split.users);
            var halves = SketchInputs.Union(
                SketchInputs.SketchOf(split.users[..split.cut]),
                SketchInputs.SketchOf(split.users[split.cut..]));
            return halves.ToBytes().AsSpan().SequenceEqual(whole.ToBytes())
                && halves.IsSparse == whole.IsSparse
                && halves.Estimate() == whole.Estimate();
        }).Check(Checks);
    }

    [Fact]
    public void merge_leaves_the_other_sketch_unchanged()
    {
        var a = SketchInputs.SketchOf(SketchInputs.UserHashes(100));
        var b = SketchInputs.SketchOf(SketchInputs.UserHashes(100, offset: 50));
        var before = b.ToBytes();

        a.Merge(b);

        Assert.Equal(before, b.ToBytes());
        Assert.Equal(SketchInputs.SketchOf(SketchInputs.UserHashes(150)).ToBytes(), a.ToBytes());
    }

    [Fact]
    public void clone_is_independent_of_the_original()
    {
        var original = SketchInputs.SketchOf(SketchInputs.UserHashes(10));
        var clone = original.Clone();

        clone.Add(SketchInputs.UserHashes(1, offset: 99)[0]);

        Assert.Equal(10, original.Estimate());
        Assert.Equal(11, clone.Estimate());
    }

    [Fact]
    public void clear_returns_a_dense_sketch_to_an_empty_sparse_one()
    {
        var sketch = SketchInputs.SketchOf(SketchInputs.UserHashes(10_000));
        Assert.False(sketch.IsSparse);

        sketch.Clear();

        Assert.True(sketch.IsSparse);
        Assert.Equal(0, sketch.Estimate());
        Assert.Equal(new HyperLogLog().ToBytes(), sketch.ToBytes());
    }
}
