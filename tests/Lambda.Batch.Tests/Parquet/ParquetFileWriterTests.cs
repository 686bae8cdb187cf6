using System.Text;
using Lambda.Batch.ParquetFiles;
using Lambda.Batch.Tests.DuckDb;
using Lambda.DuckDb;

namespace Lambda.Batch.Tests.Parquet;

/// <summary>The files <see cref="ParquetFileWriter"/> makes through Parquet.Net, read back by DuckDB's reader: every value, the schema, the statistics, the encodings and the codec.</summary>
public sealed class ParquetFileWriterTests : IDisposable
{
    private static readonly ParquetColumn[] Columns =
    [
        new("name", ParquetColumnType.Utf8),
        new("few", ParquetColumnType.Utf8),
        new("blob", ParquetColumnType.Blob),
        new("small", ParquetColumnType.Int32),
        new("big", ParquetColumnType.Int64),
        new("hash", ParquetColumnType.UInt64),
        new("score", ParquetColumnType.Double),
    ];

    private readonly TempDirectory _dir = new();
    private readonly DuckDbDatabase _database = DuckDbDatabase.OpenInMemory(new DuckDbOptions { Threads = 2 });
    private readonly DuckDbConnection _connection;

    public ParquetFileWriterTests() => _connection = _database.Connect();

    public void Dispose()
    {
        _connection.Dispose();
        _database.Dispose();
        _dir.Dispose();
    }

    [Theory]
    [InlineData(1, 1_000)]
    [InlineData(25_000, 3_000)]
    [InlineData(20_000, 20_000)]
    public void every_value_reads_back_as_written(int rows, int rowGroupRows)
    {
        var expected = Rows(rows, seed: rows);
        var file = Write("values.parquet", expected, rowGroupRows);

        var actual = ReadBack(file);

        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i], actual[i]);
        }

        // The second, independent reader: Parquet.Net's, cell by cell (doubles by bits: NaN, -0, ±∞).
        var (parquetNet, rowGroups) = TwoReaders.ReadWithParquetNet(file);
        Assert.Equal((rows + rowGroupRows - 1) / rowGroupRows, rowGroups);
        TwoReaders.AssertSameCells([.. expected.Select(r => r.Cells())], parquetNet, file);
    }

    [Fact]
    public void a_writer_writes_file_after_file_with_the_same_buffers()
    {
        var writer = new ParquetFileWriter(Columns, Format(700));
        var first = Rows(2_000, seed: 1);
        var second = Rows(1_500, seed: 2);

        WriteWith(writer, _dir.File("first.parquet"), first);
        WriteWith(writer, _dir.File("second.parquet"), second);

        Assert.Equal(first, ReadBack(_dir.File("first.parquet")));
        Assert.Equal(second, ReadBack(_dir.File("second.parquet")));
    }

    [Fact]
    public void duckdb_reads_the_declared_types()
    {
        var file = Write("types.parquet", Rows(10, seed: 3), 100);

        var types = new List<string>();
        using (var reader = _connection.Query($"SELECT column_type FROM (DESCRIBE SELECT * FROM read_parquet({DuckDbSql.Literal(file)}))"))
        {
            while (reader.Read())
            {
                types.Add(reader.GetString(0));
            }
        }

        Assert.Equal(["VARCHAR", "VARCHAR", "BLOB", "INTEGER", "BIGINT", "UBIGINT", "DOUBLE"], types);
    }

    [Fact]
    public void few_distinct_strings_are_dictionary_encoded_and_many_are_plain()
    {
        var file = Write("encodings.parquet", Rows(20_000, seed: 4), 1_000_000);

        Assert.Equal(["PLAIN_DICTIONARY", "RLE"], Encodings(file, "few"));
        Assert.Equal(["PLAIN", "RLE"], Encodings(file, "name"));
    }

    [Fact]
    public void statistics_are_each_chunks_minimum_and_maximum()
    {
        var rows = Rows(5_000, seed: 5);
        var file = Write("stats.parquet", rows, 2_000);

        using var reader = _connection.Query($"""
            SELECT row_group_id, path_in_schema, stats_min_value, stats_max_value, stats_null_count
            FROM parquet_metadata({DuckDbSql.Literal(file)}) ORDER BY row_group_id, column_id
            """);
        var checkedStats = 0;
        while (reader.Read())
        {
            var group = rows.Skip((int)reader.GetInt64(0) * 2_000).Take(2_000).ToList();
            var column = reader.GetString(1);
            Assert.Equal(group.LongCount(r => r.IsNull(column)), reader.GetInt64(4));
            var present = group.Where(r => !r.IsNull(column)).ToList();
            (string Min, string Max)? expected = column switch
            {
                "few" => (present.Select(r => r.Few!).Min(StringComparer.Ordinal)!, present.Select(r => r.Few!).Max(StringComparer.Ordinal)!),
                "small" => (present.Min(r => r.Small)!.Value.ToString(), present.Max(r => r.Small)!.Value.ToString()),
                "big" => (present.Min(r => r.Big)!.Value.ToString(), present.Max(r => r.Big)!.Value.ToString()),
                "hash" => (present.Min(r => r.Hash)!.Value.ToString(), present.Max(r => r.Hash)!.Value.ToString()),
                _ => ((string, string)?)null,
            };
            if (expected is { } e)
            {
                Assert.Equal(e.Min, reader.GetString(2));
                Assert.Equal(e.Max, reader.GetString(3));
                checkedStats++;
            }
        }

        Assert.Equal(3 * 4, checkedStats);
    }

    [Fact]
    public void rows_of_large_blobs_make_row_groups_of_bounded_bytes()
    {
        var blob = new byte[100_000];
        new Random(7).NextBytes(blob);
        var rows = Enumerable.Range(0, 2_000).Select(i => new Row($"r{i}", "few", new Bytes([.. blob, (byte)i]), i, i, (ulong)i, i)).ToList();

        var file = Write("blobs.parquet", rows, rowGroupRows: 1_000_000);

        using (var reader = _connection.Query($"SELECT count(*), max(row_group_num_rows) FROM parquet_metadata({DuckDbSql.Literal(file)}) WHERE column_id = 0"))
        {
            Assert.True(reader.Read());
            Assert.True(reader.GetInt64(0) >= 3, $"{reader.GetInt64(0)} row groups");
            Assert.True(reader.GetInt64(1) * blob.Length <= ParquetFileWriter.MaxRowGroupBytes + (64L * blob.Length));
        }

        Assert.Equal(rows, ReadBack(file));
    }

    [Fact]
    public void files_are_zstd_compressed()
    {
        var file = Write("codec.parquet", Rows(100, seed: 6), 100);

        using var reader = _connection.Query($"SELECT DISTINCT compression FROM parquet_metadata({DuckDbSql.Literal(file)})");
        Assert.True(reader.Read());
        Assert.Equal("ZSTD", reader.GetString(0));
        Assert.False(reader.Read());
    }

    [Fact]
    public void data_pages_are_version_1_for_every_reader()
    {
        var file = Write("pages.parquet", Rows(5_000, seed: 9), 2_000);
        var bytes = File.ReadAllBytes(file);

        var pages = 0;
        foreach (var offset in FirstPageOffsets(file))
        {
            // The first page of every column chunk. A page header in Thrift's compact protocol opens with field 1 (i32, byte 0x15) and the zigzag
            // varint of its PageType: 0 DATA_PAGE, 2 DICTIONARY_PAGE (Parquet.Net puts a dictionary there), 3 DATA_PAGE_V2.
            Assert.Equal(0x15, bytes[offset]);
            Assert.Contains(bytes[offset + 1] >> 1, new[] { 0, 2 });
            pages++;
        }

        Assert.Equal(3 * Columns.Length, pages);
    }

    private static List<long> FirstPageOffsets(string file) => Task.Run(async () =>
    {
        await using var reader = await global::Parquet.ParquetReader.CreateAsync(file);
        return reader.Metadata!.RowGroups.SelectMany(g => g.Columns).Select(c => c.MetaData!.DataPageOffset).ToList();
    }).GetAwaiter().GetResult();

    [Fact]
    public void snappy_is_selectable()
    {
        var rows = Rows(3_000, seed: 8);
        var file = _dir.File("snappy.parquet");
        WriteWith(new ParquetFileWriter(Columns, Format(1_000, ParquetCompression.Snappy)), file, rows);

        using (var reader = _connection.Query($"SELECT DISTINCT compression FROM parquet_metadata({DuckDbSql.Literal(file)})"))
        {
            Assert.True(reader.Read());
            Assert.Equal("SNAPPY", reader.GetString(0));
            Assert.False(reader.Read());
        }

        Assert.Equal(rows, ReadBack(file));
    }

    [Fact]
    public void a_row_missing_a_column_value_fails_the_row_group()
    {
        var writer = new ParquetFileWriter(Columns, Format(1));
        using var stream = File.Create(_dir.File("short.parquet"));
        writer.Start(stream);
        writer.Column(0).Append("only one"u8);

        var error = Assert.Throws<InvalidOperationException>(writer.EndRow);

        Assert.Contains("'few'", error.Message, StringComparison.Ordinal);
    }

    private string Write(string name, IReadOnlyList<Row> rows, int rowGroupRows)
    {
        var writer = new ParquetFileWriter(Columns, Format(rowGroupRows));
        var file = _dir.File(name);
        WriteWith(writer, file, rows);
        return file;
    }

    private static void WriteWith(ParquetFileWriter writer, string file, IReadOnlyList<Row> rows)
    {
        using var stream = File.Create(file);
        writer.Start(stream);
        foreach (var row in rows)
        {
            AppendBytes(writer.Column(0), row.Name);
            AppendBytes(writer.Column(1), row.Few);
            if (row.Blob is null)
            {
                writer.Column(2).AppendNull();
            }
            else
            {
                writer.Column(2).Append(row.Blob.AsSpan());
            }

            AppendFixed(writer.Column(3), row.Small);
            AppendFixed(writer.Column(4), row.Big);
            if (row.Hash is { } hash)
            {
                writer.Column(5).Append(hash);
            }
            else
            {
                writer.Column(5).AppendNull();
            }

            if (row.Score is { } score)
            {
                writer.Column(6).Append(score);
            }
            else
            {
                writer.Column(6).AppendNull();
            }

            writer.EndRow();
        }

        var bytes = writer.Complete();
        stream.Flush();
        Assert.Equal(stream.Length, bytes);
    }

    private static void AppendBytes(ColumnValues column, string? value)
    {
        if (value is null)
        {
            column.AppendNull();
        }
        else
        {
            column.Append(Encoding.UTF8.GetBytes(value));
        }
    }

    private static void AppendFixed(ColumnValues column, long? value)
    {
        if (value is { } v)
        {
            column.Append(v);
        }
        else
        {
            column.AppendNull();
        }
    }

    private List<Row> ReadBack(string file)
    {
        var rows = new List<Row>();
        using var reader = _connection.Query(
            $"SELECT name, few, blob, small, big, hash, score FROM read_parquet({DuckDbSql.Literal(file)}, file_row_number = true) ORDER BY file_row_number");
        while (reader.Read())
        {
            rows.Add(new Row(
                reader.IsNull(0) ? null : reader.GetString(0),
                reader.IsNull(1) ? null : reader.GetString(1),
                reader.IsNull(2) ? null : new Bytes(reader.GetBlob(2)),
                reader.IsNull(3) ? null : reader.GetInt32(3),
                reader.IsNull(4) ? null : reader.GetInt64(4),
                reader.IsNull(5) ? null : reader.GetUInt64(5),
                reader.IsNull(6) ? null : reader.GetDouble(6)));
        }

        return rows;
    }

    private static ParquetFileFormat Format(int rowGroupRows, ParquetCompression compression = ParquetCompression.Zstd) =>
        new(compression, ZstdLevel: 1, rowGroupRows);

    private List<string> Encodings(string file, string column)
    {
        using var reader = _connection.Query(
            $"SELECT encodings FROM parquet_metadata({DuckDbSql.Literal(file)}) WHERE path_in_schema = {DuckDbSql.Literal(column)}");
        Assert.True(reader.Read());
        var encodings = reader.GetString(0).Split(", ").ToList();
        Assert.False(reader.Read());
        return encodings;
    }

    /// <summary>
    /// Rows with nulls in every column (more where a column is often absent), empty and multi-byte strings,
    /// a value larger than a page, integer extremes and doubles of every class.
    /// </summary>
    private static List<Row> Rows(int count, int seed)
    {
        var random = new Random(seed);
        var few = new[] { "feed", "story", "", "sidebar — ünïcode", "search" };
        double[] specials = [0.0, -0.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, double.MaxValue];
        var rows = new List<Row>(count);
        for (var i = 0; i < count; i++)
        {
            var blob = random.Next(10) == 0 ? null : new byte[i == count / 2 ? (1 << 20) + 17 : random.Next(0, 40)];
            if (blob is not null)
            {
                random.NextBytes(blob);
            }

            rows.Add(new Row(
                random.Next(50) == 0 ? null : $"event-{i}-{random.Next()}",
                random.Next(3) == 0 ? null : few[random.Next(few.Length)],
                blob is null ? null : new Bytes(blob),
                random.Next(20) == 0 ? null : random.Next(5) == 0 ? (random.Next(2) == 0 ? int.MinValue : int.MaxValue) : random.Next(-1000, 1000),
                random.Next(20) == 0 ? null : random.NextInt64(long.MinValue, long.MaxValue),
                i < 100 ? null : random.Next(4) == 0 ? ulong.MaxValue - (ulong)random.Next(10) : (ulong)random.NextInt64(),
                random.Next(7) == 0 ? null : random.Next(4) == 0 ? specials[random.Next(specials.Length)] : random.NextDouble()));
        }

        return rows;
    }

    private sealed record Row(string? Name, string? Few, Bytes? Blob, int? Small, long? Big, ulong? Hash, double? Score)
    {
        public object?[] Cells() => [Name, Few, Blob?.Value, Small, Big, Hash, Score];

        public bool IsNull(string column) => column switch
        {
            "name" => Name is null,
            "few" => Few is null,
            "blob" => Blob is null,
            "small" => Small is null,
            "big" => Big is null,
            "hash" => Hash is null,
            _ => Score is null,
        };
    }

    /// <summary>A byte array compared by value (records compare arrays by reference).</summary>
    private sealed record Bytes(byte[] Value)
    {
        public ReadOnlySpan<byte> AsSpan() => Value;

        public bool Equals(Bytes? other) => other is not null && Value.AsSpan().SequenceEqual(other.Value);

        public override int GetHashCode() => Value.Length;
    }
}
