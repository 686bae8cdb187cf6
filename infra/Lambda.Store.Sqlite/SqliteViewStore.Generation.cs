using Microsoft.Data.Sqlite;

namespace Lambda.Store.Sqlite;

public sealed partial class SqliteViewStore
{
    /// <inheritdoc />
    public ValueTask<long> GetViewGenerationAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(snapshot: false,
            (session, _) => session.Command(SqliteSql.GetViewGeneration, null).ExecuteScalar() is long g ? g : 0L,
            cancellationToken));

    /// <summary>Part of every write transaction a merged answer depends on: readers of the generation see the write.</summary>
    private static void BumpGeneration(SqliteSession session, SqliteTransaction transaction) =>
        session.Command(SqliteSql.BumpViewGeneration, transaction).ExecuteNonQuery();
}
