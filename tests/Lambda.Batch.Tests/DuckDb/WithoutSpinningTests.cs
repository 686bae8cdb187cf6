using Lambda.DuckDb;

namespace Lambda.Batch.Tests.DuckDb;

/// <summary>The pending-result path (<see cref="DuckDbConnection.QueryWithoutSpinning"/>) against the plain one.</summary>
public sealed class WithoutSpinningTests : IDisposable
{
    private readonly DuckDbDatabase _database = DuckDbDatabase.OpenInMemory(new DuckDbOptions { Threads = 2 });
    private readonly DuckDbConnection _connection;

    public WithoutSpinningTests() => _connection = _database.Connect();

    public void Dispose()
    {
        _connection.Dispose();
        _database.Dispose();
    }

    [Fact]
    public void a_parallel_query_gives_the_same_rows_as_query()
    {
        const string sql = "SELECT x % 97 AS k, count(*) AS n, count(DISTINCT x % 1000) AS d FROM range(3000000) t(x) GROUP BY 1 ORDER BY 1";

        Assert.Equal(Rows(_connection.Query(sql)), Rows(_connection.QueryWithoutSpinning(sql)));
    }

    [Fact]
    public void execute_returns_the_rows_changed()
    {
        _connection.Execute("CREATE TABLE t (x BIGINT)");

        Assert.Equal(250_000, _connection.ExecuteWithoutSpinning("INSERT INTO t SELECT * FROM range(250000)"));
        Assert.Equal(250_000, _connection.ScalarInt64("SELECT count(*) FROM t"));
    }

    [Fact]
    public void errors_carry_duckdbs_message_from_prepare_and_from_execution()
    {
        var parse = Assert.Throws<DuckDbException>(() => _connection.QueryWithoutSpinning("SELEKT 1"));
        Assert.Contains("SELEKT", parse.Message, StringComparison.Ordinal);

        var runtime = Assert.Throws<DuckDbException>(() => _connection.ExecuteWithoutSpinning(
            "SELECT CASE WHEN x = 2999999 THEN error('campaign c9 is broken') ELSE x END FROM range(3000000) t(x)"));
        Assert.Contains("campaign c9 is broken", runtime.Message, StringComparison.Ordinal);

        // The connection is still usable.
        Assert.Equal(3L, _connection.ScalarInt64("SELECT 1 + 2"));
    }

    private static List<(long, long, long)> Rows(DuckDbDataReader reader)
    {
        using (reader)
        {
            var rows = new List<(long, long, long)>();
            while (reader.Read())
            {
                rows.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)));
            }

            return rows;
        }
    }
}
