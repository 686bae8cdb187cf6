using Lambda.SharedModel.IO;

namespace Lambda.SharedModel.Tests.IO;

public sealed class VarintTests
{
    [Theory]
    [InlineData(0L, 0UL)]
    [InlineData(-1L, 1UL)]
    [InlineData(1L, 2UL)]
    [InlineData(-2L, 3UL)]
    [InlineData(long.MaxValue, ulong.MaxValue - 1)]
    [InlineData(long.MinValue, ulong.MaxValue)]
    public void zigzag_maps_small_magnitudes_to_small_values_and_back(long value, ulong expected)
    {
        Assert.Equal(expected, Varint.ZigZag(value));
        Assert.Equal(value, Varint.UnZigZag(expected));
    }

    [Theory]
    [InlineData(0UL, 1)]
    [InlineData(127UL, 1)]
    [InlineData(128UL, 2)]
    [InlineData(ulong.MaxValue, 10)]
    public void a_written_value_reads_back_from_its_bytes(ulong value, int bytes)
    {
        var buffer = new byte[10];

        Assert.Equal(bytes, Varint.Write(buffer, value));
        var at = 0;
        Assert.Equal(value, Varint.ReadTrusted(buffer, ref at));
        Assert.Equal(bytes, at);
    }
}
