using Lambda.Batch.Recompute;
using Lambda.DuckDb;
using Lambda.SharedModel.Sketches;

namespace Lambda.Batch.Tests.Recompute;

public sealed class SketchRegisterTests
{
    [Fact]
    public void sql_register_formula_equals_hyperloglog_register()
    {
        var hashes = new List<ulong> { 0, ulong.MaxValue, 1, 0x0002000000000000, 0x0003FFFFFFFFFFFF, 0x0004000000000000, 0x2000, 0x1234567890ABCDEF };
        for (var k = 0; k < 64; k++)
        {
            var p = 1UL << k;
            hashes.AddRange([p - 1, p, p + 1, (p - 1) | (0x3FFFUL << 50), p | (0x1555UL << 50)]);
        }

        var random = new Random(42);
        for (var i = 0; i < 20_000; i++)
        {
            hashes.Add((ulong)random.NextInt64() ^ ((ulong)random.Next() << 40));
            hashes.Add(UserHash.Of("user-" + i));
        }

        using var db = DuckDbDatabase.OpenInMemory();
        using var connection = db.Connect();
        connection.Execute("CREATE TABLE h (n INTEGER, user_hash UBIGINT)");
        using (var appender = connection.CreateAppender("h"))
        {
            for (var i = 0; i < hashes.Count; i++)
            {
                appender.AppendInt32(i);
                appender.AppendUInt64(hashes[i]);
                appender.EndRow();
            }

            appender.Close();
        }

        using var reader = connection.Query($"SELECT n, idx, rho FROM (SELECT n, user_hash, {ExactViewSql.RegisterColumns} FROM h) ORDER BY n");
        var checkedCount = 0;
        while (reader.Read())
        {
            var hash = hashes[reader.GetInt32(0)];
            HyperLogLog.Register(hash, out var index, out var rho);
            Assert.True(index == reader.GetInt32(1) && rho == reader.GetInt32(2),
                $"hash {hash:X16}: SQL ({reader.GetInt32(1)}, {reader.GetInt32(2)}), C# ({index}, {rho})");
            checkedCount++;
        }

        Assert.Equal(hashes.Count, checkedCount);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
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
        built.Add(7, 3);
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
