using System.Text;
using Lambda.SharedModel.Partitioning;

namespace Lambda.SharedModel.Tests.Partitioning;

/// <summary>Kafka's own vectors (clients UtilsTest.testMurmur2): the embedded log must place keys as Kafka does.</summary>
public sealed class KafkaPartitionerTests
{
    [Theory]
    [InlineData("21", -973932308)]
    [InlineData("foobar", -790332482)]
    [InlineData("a-little-bit-long-string", -985981536)]
    [InlineData("a-little-bit-longer-string", -1486304829)]
    [InlineData("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971)]
    [InlineData("abc", 479470107)]
    public void murmur2_matches_kafka_test_vectors(string key, int expected)
    {
        Assert.Equal(expected, KafkaPartitioner.Murmur2(Encoding.UTF8.GetBytes(key)));
    }

    [Fact]
    public void murmur2_matches_kafka_vector_for_raw_bytes()
    {
        Assert.Equal(274204207, KafkaPartitioner.Murmur2(new byte[] { 12, 42, 56, 24, 109, 111 }));
        Assert.Equal(479470107, KafkaPartitioner.Murmur2(new byte[] { (byte)'a', (byte)'b', (byte)'c' }));
    }

    // Expected partitions are (murmur2 & 0x7fffffff) % n with the Kafka hashes above.
    [Theory]
    [InlineData("21", 4, 0)]
    [InlineData("21", 12, 0)]
    [InlineData("foobar", 4, 2)]
    [InlineData("foobar", 12, 6)]
    [InlineData("a-little-bit-long-string", 4, 0)]
    [InlineData("a-little-bit-long-string", 12, 8)]
    [InlineData("a-little-bit-longer-string", 4, 3)]
    [InlineData("a-little-bit-longer-string", 12, 11)]
    [InlineData("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", 4, 1)]
    [InlineData("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", 12, 5)]
    [InlineData("abc", 4, 3)]
    [InlineData("abc", 12, 3)]
    public void partition_is_positive_murmur2_modulo_count(string key, int partitions, int expected)
    {
        Assert.Equal(expected, KafkaPartitioner.PartitionFor(Encoding.UTF8.GetBytes(key), partitions));
    }

    [Fact]
    public void empty_key_hashes_like_kafka()
    {
        // Kafka hashes the empty array to the seed's finalisation: 275646681 (0x106e08d9), as librdkafka's test table.
        Assert.Equal(0x106e08d9, KafkaPartitioner.Murmur2([]));
    }

    [Fact]
    public void partition_count_below_one_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => KafkaPartitioner.PartitionFor("a"u8, 0));
    }
}
