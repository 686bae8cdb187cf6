using System.Security.Cryptography;
using FsCheck;
using FsCheck.Fluent;
using Lambda.SharedModel.Sketches;

namespace Lambda.SharedModel.Tests.Sketches;

public class HyperLogLogSerializationTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2_000)]
    [InlineData(3_000)]
    [InlineData(200_000)]
    public void bytes_round_trip_to_the_same_sketch(int users)
    {
        var sketch = SketchInputs.SketchOf(SketchInputs.UserHashes(users));
        var bytes = sketch.ToBytes();

        var read = HyperLogLog.FromBytes(bytes);

        Assert.Equal(bytes, read.ToBytes());
        Assert.Equal(sketch.Estimate(), read.Estimate());
        Assert.Equal(sketch.IsSparse, read.IsSparse);
        Assert.Equal(bytes.Length, sketch.SerializedLength);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(2_100)]
    [InlineData(30_000)]
    public void bytes_depend_only_on_the_registers_not_on_the_path(int users)
    {
        var hashes = SketchInputs.UserHashes(users);
        var expected = SketchInputs.SketchOf(hashes).ToBytes();

        var shuffled = hashes.OrderBy(h => h ^ 0x5DEECE66DUL).ToArray();
        var fromRegisters = HyperLogLog.FromRegisters(hashes.Select(h =>
        {
            HyperLogLog.Register(h, out var index, out var rho);
            return (index, rho);
        }));
        var fromSingletons = new HyperLogLog();
        foreach (var hash in hashes)
        {
            fromSingletons.Merge(SketchInputs.SketchOf([hash]));
        }

        // A dense sketch of most users merged with a sparse one of the rest.
        var cut = users * 9 / 10;
        var denseThenSparse = SketchInputs.Union(SketchInputs.SketchOf(hashes[..cut]), SketchInputs.SketchOf(hashes[cut..]));
        var sparseThenDense = SketchInputs.Union(SketchInputs.SketchOf(hashes[cut..]), SketchInputs.SketchOf(hashes[..cut]));

        Assert.Equal(expected, SketchInputs.SketchOf(shuffled).ToBytes());
        Assert.Equal(expected, fromRegisters.ToBytes());
        Assert.Equal(expected, fromSingletons.ToBytes());
        Assert.Equal(expected, denseThenSparse.ToBytes());
        Assert.Equal(expected, sparseThenDense.ToBytes());
        Assert.Equal(expected, HyperLogLog.FromBytes(expected).ToBytes());
    }

    [Fact]
    public void encoding_switches_to_dense_just_above_the_sparse_limit()
    {
        var atLimit = SketchInputs.SketchOf(Enumerable.Range(0, HyperLogLog.SparseMaxRegisters).Select(i => SketchInputs.HashFor(i * 7, 5)));
        var aboveLimit = atLimit.Clone();
        aboveLimit.Add(SketchInputs.HashFor(16_383, 5));

        Assert.True(atLimit.IsSparse);
        Assert.Equal(1, atLimit.ToBytes()[2]);
        Assert.False(aboveLimit.IsSparse);
        Assert.Equal(2, aboveLimit.ToBytes()[2]);
        Assert.Equal(HyperLogLog.MaxSerializedLength, aboveLimit.ToBytes().Length);
    }

    // The golden values were cross-checked with an independent implementation (XXH64, the register rule
    // and this layout written from the README in Python), so they pin the documented format, not just this code.
    [Fact]
    public void golden_bytes_of_small_sketches_are_frozen()
    {
        // Header 01 0E then encoding 01 = sparse, then varint count and varint deltas of (index << 6 | rho).
        Assert.Equal("010E0100", Hex(new HyperLogLog()));
        // index 5, rho 3: 5 << 6 | 3 = 323 = varint C3 02.
        Assert.Equal("010E0101C302", Hex(SketchInputs.SketchOf([SketchInputs.HashFor(5, 3)])));
        // (5, 3) then (6, 51): 6 << 6 | 51 = 435, delta 112 = 70.
        Assert.Equal("010E0102C30270", Hex(SketchInputs.SketchOf([SketchInputs.HashFor(6, 51), SketchInputs.HashFor(5, 3)])));
        // Index 16383 with rho 1 (all ones): entry 0xFFFC1 = varint C1 FF 3F.
        Assert.Equal("010E0101C1FF3F", Hex(SketchInputs.SketchOf([ulong.MaxValue])));
        Assert.Equal("010E0103C2F21CBF900280AB09", Hex(SketchInputs.SketchOf(SketchInputs.UserHashes(3))));
    }

    [Fact]
    public void golden_bytes_of_dense_sketches_are_frozen()
    {
        // Register i = i % 51 + 1: the first four registers 1, 2, 3, 4 pack to 0x103081, little-endian 81 30 10.
        var pattern = HyperLogLog.FromRegisters(Enumerable.Range(0, HyperLogLog.RegisterCount).Select(i => (i, (byte)(i % 51 + 1))));
        var bytes = pattern.ToBytes();
        Assert.Equal("010E02813010", Convert.ToHexString(bytes, 0, 6));
        Assert.Equal("3856597FAF65722F48C8CF8AD6347413DF092C2C41BD9D34691BFE6ACA9ECAFC", Convert.ToHexString(SHA256.HashData(bytes)));

        var users = SketchInputs.SketchOf(SketchInputs.UserHashes(10_000)).ToBytes();
        Assert.Equal("937B3FCA6602589F66FC373D8F9AD4A2AB8D2DDBCB41E561620ADD586A9DAD72", Convert.ToHexString(SHA256.HashData(users)));
    }

    [Fact]
    public void write_to_returns_the_length_and_rejects_a_short_destination()
    {
        var sketch = SketchInputs.SketchOf(SketchInputs.UserHashes(50));
        var buffer = new byte[HyperLogLog.MaxSerializedLength];

        var written = sketch.WriteTo(buffer);

        Assert.Equal(sketch.ToBytes(), buffer[..written]);
        Assert.Throws<ArgumentException>(() => sketch.WriteTo(new byte[written - 1]));
    }

    [Theory]
    [InlineData("", "truncated header")]
    [InlineData("010E", "truncated header")]
    [InlineData("020E0100", "unsupported format version 2")]
    [InlineData("010C0100", "unsupported precision 12")]
    [InlineData("010E0900", "unknown encoding 9")]
    [InlineData("010E01", "truncated register count")]
    [InlineData("010E0101", "truncated register entry")]
    [InlineData("010E0101C3", "truncated register entry")]
    [InlineData("010E0101C30200", "1 trailing bytes")]
    [InlineData("010E0101C002", "rho 0")]
    [InlineData("010E0101F402", "rho 52")]
    [InlineData("010E0102C30201", "strictly increasing")]
    [InlineData("010E018000", "overlong")]
    [InlineData("010E0101808040", "past the last register")]
    [InlineData("010E01FFFFFFFF7F", "overflows 32 bits")]
    [InlineData("010E018110", "above the sparse limit 2048")]
    [InlineData("010E020000", "expected 12288")]
    public void corrupt_bytes_are_rejected_with_the_problem_named(string hex, string problem)
    {
        var error = Assert.Throws<FormatException>(() => HyperLogLog.FromBytes(Convert.FromHexString(hex)));
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void dense_bytes_holding_few_registers_are_rejected_as_not_canonical()
    {
        var bytes = new byte[HyperLogLog.MaxSerializedLength];
        bytes[0] = 1;
        bytes[1] = 14;
        bytes[2] = 2;
        bytes[3] = 1;

        var error = Assert.Throws<FormatException>(() => HyperLogLog.FromBytes(bytes));
        Assert.Contains("1 non-zero registers", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void dense_register_above_51_is_rejected()
    {
        var bytes = SketchInputs.SketchOf(SketchInputs.UserHashes(10_000)).ToBytes();
        bytes[3] |= 0x3F;

        var error = Assert.Throws<FormatException>(() => HyperLogLog.FromBytes(bytes));
        Assert.Contains("dense register 0 has rho 63", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(40)]
    [InlineData(10_000)]
    public void every_truncation_is_rejected(int users)
    {
        var bytes = SketchInputs.SketchOf(SketchInputs.UserHashes(users)).ToBytes();

        for (var length = 0; length < bytes.Length; length++)
        {
            var prefix = bytes[..length];
            Assert.Throws<FormatException>(() => HyperLogLog.FromBytes(prefix));
        }
    }

    [Fact]
    public void any_single_byte_change_is_rejected_or_reads_back_canonically()
    {
        // No checksum: a changed register value can be a valid sketch, but then it must be canonical.
        var sparse = SketchInputs.SketchOf(SketchInputs.UserHashes(300)).ToBytes();
        var dense = SketchInputs.SketchOf(SketchInputs.UserHashes(5_000)).ToBytes();
        var mutations = from source in Gen.Elements(sparse, dense)
                        from position in Gen.Choose(0, source.Length - 1)
                        from value in Gen.Choose(0, 255)
                        select (source, position, (byte)value);

        Prop.ForAll(Arb.From(mutations), mutation =>
        {
            var bytes = (byte[])mutation.source.Clone();
            bytes[mutation.position] = mutation.Item3;
            HyperLogLog read;
            try
            {
                read = HyperLogLog.FromBytes(bytes);
            }
            catch (FormatException)
            {
                return true;
            }

            return read.ToBytes().AsSpan().SequenceEqual(bytes);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(2_000));
    }

    private static string Hex(HyperLogLog sketch) => Convert.ToHexString(sketch.ToBytes());
}
