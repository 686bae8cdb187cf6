using Lambda.SharedModel.Sketches;

namespace Lambda.SharedModel.Tests.Sketches;

public class HyperLogLogAccuracyTests
{
    [Fact]
    public void standard_error_is_1_04_over_sqrt_of_16384_registers()
    {
        Assert.Equal(0.008125, HyperLogLog.StandardError, 12);
    }

    [Fact]
    public void empty_sketch_estimates_zero()
    {
        Assert.Equal(0, new HyperLogLog().Estimate());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(100)]
    public void small_sets_are_counted_exactly(int users)
    {
        var sketch = SketchInputs.SketchOf(SketchInputs.UserHashes(users));

        Assert.Equal(users, sketch.Estimate());
    }

    [Theory]
    [InlineData(1_000, "user-")]
    [InlineData(1_000, "campaign-7/")]
    [InlineData(3_000, "user-")]
    [InlineData(10_000, "user-")]
    [InlineData(10_000, "campaign-7/")]
    [InlineData(100_000, "user-")]
    [InlineData(1_000_000, "user-")]
    public void estimate_is_within_three_standard_errors(int users, string prefix)
    {
        var sketch = SketchInputs.SketchOf(SketchInputs.UserHashes(users, prefix: prefix));

        var relativeError = Math.Abs(sketch.Estimate() - users) / (double)users;
        Assert.True(relativeError <= 3 * HyperLogLog.StandardError, $"estimate {sketch.Estimate()} for {users} users: relative error {relativeError:P2}");
    }

    [Fact]
    public void repeated_users_do_not_change_the_estimate()
    {
        var hashes = SketchInputs.UserHashes(5_000);
        var once = SketchInputs.SketchOf(hashes);
        var thrice = SketchInputs.SketchOf(hashes.Concat(hashes).Concat(hashes.Reverse()));

        Assert.Equal(once.Estimate(), thrice.Estimate());
        Assert.Equal(once.ToBytes(), thrice.ToBytes());
    }

    [Fact]
    public void estimate_is_unbiased_across_the_sparse_to_dense_switch()
    {
        // Around 2,048 non-zero registers the representation changes; the estimate must not jump there.
        // Averaged over 40 independent sets the error of the mean is ~0.13%; the tolerance is 4x that.
        foreach (var users in new[] { 1_500, 2_200, 2_600, 4_000 })
        {
            var meanError = Enumerable.Range(0, 40)
                .Select(run => SketchInputs.SketchOf(SketchInputs.RandomHashes(run * 7919 + users, users)).Estimate())
                .Average(estimate => (estimate - users) / (double)users);

            Assert.True(Math.Abs(meanError) < 0.005, $"mean relative error {meanError:P3} at {users} users");
        }
    }

    [Fact]
    public void saturated_registers_still_give_a_finite_estimate()
    {
        var full = HyperLogLog.FromRegisters(Enumerable.Range(0, HyperLogLog.RegisterCount).Select(i => (i, (byte)HyperLogLog.MaxRho)));

        var estimate = full.Estimate();
        Assert.True(estimate > 1e15, $"estimate {estimate}");
    }
}
