using System.Text.RegularExpressions;
using Lambda.SharedModel.Access;
using Npgsql;

namespace Lambda.Store.Postgres;

/// <summary>
/// API keys in the PostgreSQL view store's schema (table <c>api_keys</c>), hashed. Takes the same
/// connection string and schema as <see cref="PostgresViewStore"/>.
/// </summary>
public sealed partial class PostgresApiKeyStore : IApiKeyStore
{
    private const string Columns = "key_id, key_hash, advertiser_id, is_admin, created_at, revoked_at";

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _table;
    private readonly string _schemaSql;

    /// <summary>A key store over <paramref name="connectionString"/>, tables in <paramref name="schema"/>.</summary>
    public PostgresApiKeyStore(string connectionString, string schema = PostgresViewStore.DefaultSchema)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        if (!SchemaName().IsMatch(schema))
        {
            throw new ArgumentException($"Schema name '{schema}' must match {SchemaName()}.", nameof(schema));
        }
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _table = $"\"{schema}\".api_keys";
        _schemaSql = $"""
            CREATE SCHEMA IF NOT EXISTS "{schema}";
            CREATE TABLE IF NOT EXISTS {_table} (
                key_id        text COLLATE "C" NOT NULL PRIMARY KEY,
                key_hash      bytea NOT NULL UNIQUE,
                advertiser_id text COLLATE "C",
                is_admin      boolean NOT NULL,
                created_at    timestamptz NOT NULL,
                revoked_at    timestamptz
            );
            """;
        Schema = schema;
    }

    /// <summary>The schema holding the table.</summary>
    public string Schema { get; }

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken = default) =>
        PostgresSchemaCreator.CreateAsync(_dataSource, "lambda.api-keys:" + Schema, _schemaSql, cancellationToken);

    /// <inheritdoc />
    public async Task CreateAsync(ApiKeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var insert = _dataSource.CreateCommand($"INSERT INTO {_table} ({Columns}) VALUES ($1, $2, $3, $4, $5, $6)");
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.KeyId });
        insert.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = key.Hash });
        insert.Parameters.Add(new NpgsqlParameter { Value = (object?)key.AdvertiserId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        insert.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = key.IsAdmin });
        insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = key.CreatedAt.ToUniversalTime() });
        insert.Parameters.Add(new NpgsqlParameter
        {
            Value = key.RevokedAt is { } r ? r.ToUniversalTime() : DBNull.Value,
            NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz,
        });
        try
        {
            await PostgresBrokenConnections.Guard(_dataSource, insert.ExecuteNonQueryAsync(cancellationToken)).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new InvalidOperationException($"an API key with id {key.KeyId} or the same hash exists", e);
        }
    }

    /// <inheritdoc />
    public async Task<bool> RevokeAsync(string keyId, DateTimeOffset revokedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        await using var update = _dataSource.CreateCommand($"UPDATE {_table} SET revoked_at = $1 WHERE key_id = $2 AND revoked_at IS NULL");
        update.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = revokedAt.ToUniversalTime() });
        update.Parameters.Add(new NpgsqlParameter<string> { TypedValue = keyId });
        return await PostgresBrokenConnections.Guard(_dataSource, update.ExecuteNonQueryAsync(cancellationToken)).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<ApiKeyRecord?> FindByHashAsync(byte[] hash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hash);
        await using var select = _dataSource.CreateCommand($"SELECT {Columns} FROM {_table} WHERE key_hash = $1");
        select.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = hash });
        await using var reader = await PostgresBrokenConnections.Guard(_dataSource, select.ExecuteReaderAsync(cancellationToken)).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Map(reader) : null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var select = _dataSource.CreateCommand($"SELECT {Columns} FROM {_table} ORDER BY created_at, key_id");
        await using var reader = await PostgresBrokenConnections.Guard(_dataSource, select.ExecuteReaderAsync(cancellationToken)).ConfigureAwait(false);
        var keys = new List<ApiKeyRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            keys.Add(Map(reader));
        }
        return keys;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private static ApiKeyRecord Map(NpgsqlDataReader r) => new(
        r.GetString(0),
        r.GetFieldValue<byte[]>(1),
        r.IsDBNull(2) ? null : r.GetString(2),
        r.GetBoolean(3),
        r.GetFieldValue<DateTimeOffset>(4),
        r.IsDBNull(5) ? null : r.GetFieldValue<DateTimeOffset>(5));

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();
}
