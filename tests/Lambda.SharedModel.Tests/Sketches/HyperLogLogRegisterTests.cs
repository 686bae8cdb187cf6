using Lambda.SharedModel.Sketches;

namespace Lambda.SharedModel.Tests.Sketches;

public class HyperLogLogRegisterTests
{
    // Frozen: the batch layer's SQL must give the same (index, rho) for these hashes (see Sketches/README.md).
    [Theory]
    [InlineData(0x0000000000000000UL, 0, 51)]
    [InlineData(0xFFFFFFFFFFFFFFFFUL, 16383, 1)]
    [InlineData(0x0000000000000001UL, 0, 50)]
    [InlineData(0x0002000000000000UL, 0, 1)]
    [InlineData(0x0003FFFFFFFFFFFFUL, 0, 1)]
    [InlineData(0x0004000000000000UL, 1, 51)]
    [InlineData(0x0000000000002000UL, 0, 37)]
    [InlineData(0x8000000000000000UL, 8192, 51)]
    [InlineData(0xFFFC000000000001UL, 16383, 50)]
    [InlineData(0x1234567890ABCDEFUL, 1165, 4)]
    [InlineData(0xEF46DB3751D8E999UL, 15313, 1)]
    [InlineData(0x44BC2CF5AD770999UL, 4399, 5)]
    public void register_is_top_14_bits_and_leading_zeros_of_the_rest_plus_one(ulong hash, int index, byte rho)
    {
        HyperLogLog.Register(hash, out var actualIndex, out var actualRho);
        Assert.Equal((index, rho), (actualIndex, actualRho));
    }

    [Fact]
    public void every_rho_from_1_to_51_is_reachable()
    {
        for (var rho = 1; rho <= HyperLogLog.MaxRho; rho++)
        {
            HyperLogLog.Register(SketchInputs.HashFor(777, rho), out var index, out var actual);
            Assert.Equal((777, rho), (index, (int)actual));
        }
    }

    [Fact]
    public void sketch_from_registers_equals_sketch_from_hashes()
    {
        foreach (var count in new[] { 0, 1, 500, 2_000, 2_100, 50_000 })
        {
            var hashes = SketchInputs.UserHashes(count);
            var pairs = hashes.Select(h =>
            {
                HyperLogLog.Register(h, out var index, out var rho);
                return (index, rho);
            });

            Assert.Equal(SketchInputs.SketchOf(hashes).ToBytes(), HyperLogLog.FromRegisters(pairs).ToBytes());
        }
    }

    [Fact]
    public void from_registers_keeps_the_largest_rho_per_index()
    {
        var sketch = HyperLogLog.FromRegisters([(7, 3), (7, 9), (7, 2), (9, 1)]);

        var expected = SketchInputs.SketchOf([SketchInputs.HashFor(7, 9), SketchInputs.HashFor(9, 1)]);
        Assert.Equal(expected.ToBytes(), sketch.ToBytes());
    }

    [Theory]
    [InlineData(-1, 1)]
    [InlineData(16384, 1)]
    [InlineData(0, 0)]
    [InlineData(0, 52)]
    public void from_registers_rejects_out_of_range_pairs(int index, byte rho)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => HyperLogLog.FromRegisters([(index, rho)]));
    }
}
