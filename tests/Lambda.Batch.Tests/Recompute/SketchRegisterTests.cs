using Lambda.Batch.Recompute;
using Lambda.SharedModel.Sketches;

namespace Lambda.Batch.Tests.Recompute;

public sealed class SketchRegisterTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(32)]
    [InlineData(33)]
    [InlineData(140)]
    [InlineData(2048)]
    [InlineData(2049)]
    [InlineData(16384)]
    public void register_bytes_equal_hyperloglog_from_registers(int registers)
    {
        var random = new Random(registers);
        var pairs = new List<(int Index, byte Rho)>();
        foreach (var index in Enumerable.Range(0, HyperLogLog.RegisterCount).OrderBy(_ => random.Next()).Take(registers))
        {
            // Several pairs per register, in any order: the maximum wins.
            pairs.Add((index, (byte)random.Next(1, 52)));
            pairs.Add((index, (byte)random.Next(1, 52)));
        }

        var built = new SketchRegisters();
        for (var i = 0; i < 3000; i++)
        {
            built.Add(random.Next(HyperLogLog.RegisterCount), 3);
        }

        built.Clear();
        foreach (var (index, rho) in pairs.OrderBy(_ => random.Next()))
        {
            built.Add(index, rho);
        }

        Assert.Equal(HyperLogLog.FromRegisters(pairs).ToBytes(), built.ToBytes());
    }

    [Fact]
    public void sketch_built_from_registers_equals_sketch_of_added_users()
    {
        var sketch = new HyperLogLog();
        var built = new SketchRegisters();
        for (var i = 0; i < 5000; i++)
        {
            var hash = UserHash.Of("u" + i);
            sketch.Add(hash);
            HyperLogLog.Register(hash, out var index, out var rho);
            built.Add(index, rho);
            if (i is 10 or 2100 or 4999)
            {
                Assert.Equal(sketch.ToBytes(), built.ToBytes());
            }
        }
    }
}
