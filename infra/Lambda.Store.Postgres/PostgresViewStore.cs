using System.Data;
using System.Text.RegularExpressions;
using Lambda.SharedModel.Views;
using Npgsql;

namespace Lambda.Store.Postgres;

/// <summary>
/// The shared view store for several machines: PostgreSQL, all tables in one schema (default
/// <c>lambda</c>). Errors from the server or the network surface unchanged as
/// <see cref="NpgsqlException"/> (its <see cref="NpgsqlException.IsTransient"/> says whether a
/// retry may succeed) or <see cref="PostgresException"/> (with its SqlState); breaking a rule of the
/// contract (an unknown or wrongly stated version) throws <see cref="InvalidOperationException"/>.
/// </summary>
public sealed partial class PostgresViewStore : IViewStore
{
    /// <summary>The schema used when none is given.</summary>
    public const string DefaultSchema = "lambda";

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly PostgresSql _sql;

    /// <summary>A store that owns a data source built from <paramref name="connectionString"/>.</summary>
    public PostgresViewStore(string connectionString, string schema = DefaultSchema)
        : this(CreateDataSource(connectionString), schema, ownsDataSource: true)
    {
    }

    /// <summary>A store over a data source owned by the caller.</summary>
    public PostgresViewStore(NpgsqlDataSource dataSource, string schema = DefaultSchema)
        : this(dataSource, schema, ownsDataSource: false)
    {
    }

    private PostgresViewStore(NpgsqlDataSource dataSource, string schema, bool ownsDataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        if (!SchemaName().IsMatch(schema))
        {
            throw new ArgumentException($"Schema name '{schema}' must match {SchemaName()}.", nameof(schema));
        }
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _sql = new PostgresSql(schema);
        Schema = schema;
    }

    /// <summary>The schema holding the store's tables.</summary>
    public string Schema { get; }

    /// <inheritdoc />
    public string Kind => "postgres";

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken = default) =>
        PostgresSchemaCreator.CreateAsync(_dataSource, "lambda.view-store:" + Schema, _sql.Schema, cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        // The store runs the same few statements all day: let Npgsql prepare them server-side.
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 32;
        }
        return builder.Build();
    }

    private NpgsqlCommand Command(string sql) => _dataSource.CreateCommand(sql);

    private static void Add<T>(NpgsqlCommand command, T value) =>
        command.Parameters.Add(new NpgsqlParameter<T> { TypedValue = value });

    /// <summary>Runs <paramref name="work"/> in one READ COMMITTED transaction and commits it.</summary>
    private async Task<T> InTransactionAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work,
        CancellationToken cancellationToken)
    {
        await using var connection = await PostgresBrokenConnections.Guard(_dataSource, _dataSource.OpenConnectionAsync(cancellationToken)).ConfigureAwait(false);
        await using var transaction = await connection
            .BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
        var result = await work(connection, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    private async Task<List<T>> ReadAllAsync<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> map,
        CancellationToken cancellationToken)
    {
        await using var reader = await PostgresBrokenConnections.Guard(_dataSource, command.ExecuteReaderAsync(cancellationToken)).ConfigureAwait(false);
        return await ReadAllAsync(reader, map, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<List<T>> ReadAllAsync<T>(NpgsqlDataReader reader, Func<NpgsqlDataReader, T> map,
        CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(map(reader));
        }
        return rows;
    }

    private async Task<T?> ReadSingleAsync<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> map,
        CancellationToken cancellationToken) where T : class
    {
        await using var reader = await PostgresBrokenConnections.Guard(_dataSource, command.ExecuteReaderAsync(cancellationToken)).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? map(reader) : null;
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();
}
