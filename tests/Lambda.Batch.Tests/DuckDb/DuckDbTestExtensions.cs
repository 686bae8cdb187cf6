using Lambda.DuckDb;

namespace Lambda.Batch.Tests.DuckDb;

internal static class DuckDbTestExtensions
{
    /// <summary>The first column of the first row, boxed (null for NULL).</summary>
    public static object? Scalar(this DuckDbConnection connection, string sql)
    {
        using var reader = connection.Query(sql);
        Assert.True(reader.Read(), $"no row from: {sql}");
        return reader.GetValue(0);
    }

    public static long ScalarInt64(this DuckDbConnection connection, string sql)
    {
        using var reader = connection.Query(sql);
        Assert.True(reader.Read(), $"no row from: {sql}");
        return reader.GetInt64(0);
    }
}
