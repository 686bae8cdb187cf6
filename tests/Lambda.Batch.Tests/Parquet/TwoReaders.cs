using Lambda.DuckDb;
using Parquet;
using Parquet.Schema;

namespace Lambda.Batch.Tests.Parquet;

/// <summary>
/// Reads a Parquet file with two readers that share no code with each other or with the writer: Parquet.Net's
/// (managed) and DuckDB's (C++). Both give the rows in file order as cells of the same CLR types (string,
/// byte[], int, long, ulong, double, or null), so they compare cell by cell with each other and with what
/// was written.
/// </summary>
public static class TwoReaders
{
    /// <summary>The file's rows as Parquet.Net reads them, row group by row group, and the row group count.</summary>
    public static (List<object?[]> Rows, int RowGroups) ReadWithParquetNet(string path)
    {
        return Task.Run(async () =>
        {
            await using var reader = await ParquetReader.CreateAsync(path);
            var fields = reader.Schema.GetDataFields();
            var rows = new List<object?[]>();
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                var count = checked((int)group.RowCount);
                var columns = new object?[fields.Length][];
                for (var c = 0; c < fields.Length; c++)
                {
                    columns[c] = await ReadColumnAsync(group, fields[c], count);
                }

                for (var r = 0; r < count; r++)
                {
                    rows.Add([.. columns.Select(column => column[r])]);
                }
            }

            return (rows, reader.RowGroupCount);
        }).GetAwaiter().GetResult();
    }

    /// <summary>One column chunk as cells: Parquet.Net reads strings and byte arrays as slices (ReadOnlyMemory), made string and byte[] here.</summary>
    private static async Task<object?[]> ReadColumnAsync(ParquetRowGroupReader group, DataField field, int count)
    {
        var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        return type == typeof(ReadOnlyMemory<char>) ? await Read<ReadOnlyMemory<char>>(group, field, count, v => v.ToString())
            : type == typeof(ReadOnlyMemory<byte>) ? await Read<ReadOnlyMemory<byte>>(group, field, count, v => v.ToArray())
            : type == typeof(int) ? await Read<int>(group, field, count, v => v)
            : type == typeof(long) ? await Read<long>(group, field, count, v => v)
            : type == typeof(ulong) ? await Read<ulong>(group, field, count, v => v)
            : type == typeof(double) ? await Read<double>(group, field, count, v => v)
            : throw new NotSupportedException($"column {field.Name}: {field.ClrType}");
    }

    private static async Task<object?[]> Read<T>(ParquetRowGroupReader group, DataField field, int count, Func<T, object> cell)
        where T : struct
    {
        var values = new T?[count];
        await group.ReadAsync<T>(field, values.AsMemory(), null);
        return [.. values.Select(v => v is { } x ? cell(x) : null)];
    }

    /// <summary>The file's rows as DuckDB reads them, in file order.</summary>
    public static List<object?[]> ReadWithDuckDb(DuckDbConnection connection, string path)
    {
        using var reader = connection.Query(
            $"SELECT * EXCLUDE (file_row_number) FROM read_parquet({DuckDbSql.Literal(path)}, file_row_number = true, hive_partitioning = false) ORDER BY file_row_number");
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var c = 0; c < row.Length; c++)
            {
                row[c] = reader.IsNull(c) ? null : reader.GetValue(c);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Asserts equal cells (byte arrays by content, doubles by bits, so NaN equals NaN and -0 is not 0), naming the first difference.</summary>
    public static void AssertSameCells(IReadOnlyList<object?[]> expected, IReadOnlyList<object?[]> actual, string what)
    {
        Assert.True(expected.Count == actual.Count, $"{what}: {actual.Count} rows, expected {expected.Count}");
        for (var r = 0; r < expected.Count; r++)
        {
            Assert.True(expected[r].Length == actual[r].Length, $"{what}, row {r}: {actual[r].Length} cells, expected {expected[r].Length}");
            for (var c = 0; c < expected[r].Length; c++)
            {
                Assert.True(SameCell(expected[r][c], actual[r][c]),
                    $"{what}, row {r}, column {c}: {Show(actual[r][c])}, expected {Show(expected[r][c])}");
            }
        }
    }

    private static bool SameCell(object? expected, object? actual) => (expected, actual) switch
    {
        (null, null) => true,
        (byte[] e, byte[] a) => e.AsSpan().SequenceEqual(a),
        (double e, double a) => BitConverter.DoubleToInt64Bits(e) == BitConverter.DoubleToInt64Bits(a),
        (null, _) or (_, null) => false,
        _ => expected.GetType() == actual.GetType() && expected.Equals(actual),
    };

    private static string Show(object? cell) => cell switch
    {
        null => "NULL",
        byte[] bytes => $"0x{Convert.ToHexString(bytes)}",
        _ => $"{cell} ({cell.GetType().Name})",
    };
}
