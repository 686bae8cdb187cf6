namespace Lambda.SharedModel.Partitioning;

/// <summary>
/// Kafka's default partitioner for keyed records: murmur2 of the key bytes, made positive, modulo
/// the partition count. Both log implementations place records with it, so a key lands in the same
/// partition of every topic (co-partitioning) whichever log is used.
/// </summary>
public static class KafkaPartitioner
{
    /// <summary>The partition for <paramref name="key"/> among <paramref name="partitions"/>.</summary>
    public static int PartitionFor(ReadOnlySpan<byte> key, int partitions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        return (Murmur2(key) & 0x7fffffff) % partitions;
    }

    /// <summary>Kafka's <c>Utils.murmur2</c>: 32-bit MurmurHash2 with Kafka's seed.</summary>
    public static int Murmur2(ReadOnlySpan<byte> data)
    {
        const uint Seed = 0x9747b28c;
        const uint M = 0x5bd1e995;
        const int R = 24;

        var length = data.Length;
        var h = Seed ^ (uint)length;
        var blocks = length / 4;
        for (var i = 0; i < blocks; i++)
        {
            var k = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(i * 4, 4));
            k *= M;
            k ^= k >> R;
            k *= M;
            h *= M;
            h ^= k;
        }

        var tail = blocks * 4;
        switch (length % 4)
        {
            case 3:
                h ^= (uint)data[tail + 2] << 16;
                goto case 2;
            case 2:
                h ^= (uint)data[tail + 1] << 8;
                goto case 1;
            case 1:
                h ^= data[tail];
                h *= M;
                break;
        }

        h ^= h >> 13;
        h *= M;
        h ^= h >> 15;
        return unchecked((int)h);
    }
}
