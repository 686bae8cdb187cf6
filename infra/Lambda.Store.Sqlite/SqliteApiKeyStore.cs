using Lambda.SharedModel.Access;
using Microsoft.Data.Sqlite;

namespace Lambda.Store.Sqlite;

/// <summary>
/// API keys in the SQLite view store's database file (table <c>api_keys</c>), hashed. Lookups are
/// rare after the serving layer's cache, so this uses plain pooled connections.
/// </summary>
public sealed class SqliteApiKeyStore : IApiKeyStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS api_keys (
            key_id        TEXT    NOT NULL PRIMARY KEY,
            key_hash      BLOB    NOT NULL UNIQUE,
            advertiser_id TEXT,
            is_admin      INTEGER NOT NULL,
            created_at_us INTEGER NOT NULL,
            revoked_at_us INTEGER
        );
        """;

    private const string Columns = "key_id, key_hash, advertiser_id, is_admin, created_at_us, revoked_at_us";

    private readonly string _connectionString;

    /// <summary>A key store over the database file at <paramref name="databasePath"/> (created if missing).</summary>
    public SqliteApiKeyStore(string databasePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            DefaultTimeout = 10,
        }.ToString();
    }

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var ddl = connection.CreateCommand();
        ddl.CommandText = Schema;
        await ddl.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task CreateAsync(ApiKeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var insert = connection.CreateCommand();
        insert.CommandText = $"INSERT INTO api_keys ({Columns}) VALUES ($id, $h, $a, $adm, $c, $r)";
        insert.Parameters.AddWithValue("$id", key.KeyId);
        insert.Parameters.AddWithValue("$h", key.Hash);
        insert.Parameters.AddWithValue("$a", (object?)key.AdvertiserId ?? DBNull.Value);
        insert.Parameters.AddWithValue("$adm", key.IsAdmin ? 1L : 0L);
        insert.Parameters.AddWithValue("$c", SqliteRows.ToUnixMicros(key.CreatedAt));
        insert.Parameters.AddWithValue("$r", key.RevokedAt is { } r ? SqliteRows.ToUnixMicros(r) : DBNull.Value);
        try
        {
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19) // SQLITE_CONSTRAINT
        {
            throw new InvalidOperationException($"an API key with id {key.KeyId} or the same hash exists", e);
        }
    }

    /// <inheritdoc />
    public async Task<bool> RevokeAsync(string keyId, DateTimeOffset revokedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var update = connection.CreateCommand();
        update.CommandText = "UPDATE api_keys SET revoked_at_us = $r WHERE key_id = $id AND revoked_at_us IS NULL";
        update.Parameters.AddWithValue("$r", SqliteRows.ToUnixMicros(revokedAt));
        update.Parameters.AddWithValue("$id", keyId);
        return await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<ApiKeyRecord?> FindByHashAsync(byte[] hash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hash);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = connection.CreateCommand();
        select.CommandText = $"SELECT {Columns} FROM api_keys WHERE key_hash = $h";
        select.Parameters.AddWithValue("$h", hash);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Map(reader) : null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = connection.CreateCommand();
        select.CommandText = $"SELECT {Columns} FROM api_keys ORDER BY created_at_us, key_id";
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var keys = new List<ApiKeyRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            keys.Add(Map(reader));
        }
        return keys;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    private static ApiKeyRecord Map(SqliteDataReader r) => new(
        r.GetString(0),
        (byte[])r.GetValue(1),
        r.IsDBNull(2) ? null : r.GetString(2),
        r.GetInt64(3) != 0,
        SqliteRows.FromUnixMicros(r.GetInt64(4)),
        r.IsDBNull(5) ? null : SqliteRows.FromUnixMicros(r.GetInt64(5)));
}
