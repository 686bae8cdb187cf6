using System.CommandLine;
using Lambda.Cli.CommandLine;
using Lambda.Log.Embedded;
using Lambda.Log.Kafka;
using Lambda.SharedModel.Access;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Jobs;
using Lambda.SharedModel.Log;
using Lambda.SharedModel.Views;
using Lambda.Store.Postgres;
using Lambda.Store.Sqlite;

namespace Lambda.Cli.Hosting;

/// <summary>
/// The log and store settings of a long-running host, resolved through <see cref="RunSettings"/>
/// (file, then LAMBDA_* variables, then flags), and the resources they open.
/// </summary>
internal sealed record PlatformSettings(string DataDirectory, string Log, string? KafkaBootstrap, int Partitions, string Store, string? Postgres,
    string PostgresSchema, bool PostgresSchemaGiven)
{
    /// <summary>Extra librdkafka settings for every Kafka client (setting kafka_config).</summary>
    public IReadOnlyDictionary<string, string> KafkaConfig { get; init; } = new Dictionary<string, string>();

    /// <summary>The Kafka log's topic settings and timeout (settings kafka_replication, ...).</summary>
    public KafkaSettings Kafka { get; init; } = new(3, 2, null, null, true, TimeSpan.FromSeconds(30));

    /// <summary>The embedded log's retention (settings log_retention, log_retention_guards, log_segment_mb), applied when it is opened for writing.</summary>
    public LogRetentionSettings LogRetention { get; init; } = new(null, LogRetentionSettings.DefaultGuards, null);

    /// <summary>The setting keys this record reads.</summary>
    public static readonly string[] Keys = ["data_dir", "log", "kafka_bootstrap", "kafka_config", "partitions", "store", "pg", "pg_schema", .. KafkaSettings.Keys, .. LogRetentionSettings.Keys];

    public static PlatformSettings Read(ParseResult parsed, PlatformOptions platform, RunSettings settings, string dataDirectory)
    {
        settings.SetFlag(parsed, "log", platform.LogKind);
        settings.SetFlag(parsed, "kafka_bootstrap", platform.KafkaBootstrap);
        settings.SetFlag(parsed, "kafka_config", platform.KafkaConfig);
        settings.SetFlag(parsed, "partitions", platform.Partitions);
        settings.SetFlag(parsed, "store", platform.StoreKind);
        settings.SetFlag(parsed, "pg", platform.PostgresConnection);
        settings.SetFlag(parsed, "pg_schema", platform.PostgresSchema);
        platform.Kafka.SetFlags(parsed, settings);
        var log = settings.GetString("log", "embedded")!;
        var store = settings.GetString("store", "sqlite")!;
        if (log is not ("embedded" or "kafka"))
        {
            throw settings.Bad("log", $"'{log}' is not embedded or kafka");
        }

        if (store is not ("sqlite" or "postgres"))
        {
            throw settings.Bad("store", $"'{store}' is not sqlite or postgres");
        }

        var schema = settings.GetString("pg_schema", null);
        if (schema is not null && !PostgresSchemaName.IsValid(schema))
        {
            throw settings.Bad("pg_schema", $"'{schema}' is not a plain lower-case identifier ({PostgresSchemaName.Rule})");
        }

        var result = new PlatformSettings(dataDirectory, log, settings.GetString("kafka_bootstrap", null),
            settings.GetInt("partitions", 4, 1, 1024), store, settings.GetString("pg", null),
            schema ?? PostgresViewStore.DefaultSchema, schema is not null)
        {
            KafkaConfig = settings.Get<IReadOnlyDictionary<string, string>>("kafka_config", new Dictionary<string, string>(), KafkaClientSettings.Parse, "key=value[,key=value] pairs of settings the log does not set itself"),
            Kafka = KafkaSettings.Read(settings),
            LogRetention = LogRetentionSettings.Read(settings, log),
        };
        if (log == "kafka" && string.IsNullOrWhiteSpace(result.KafkaBootstrap))
        {
            throw settings.Bad("kafka_bootstrap", "is required with log kafka");
        }

        if (store == "postgres" && string.IsNullOrWhiteSpace(result.Postgres))
        {
            throw settings.Bad("pg", "is required with store postgres");
        }

        return result;
    }

    private string ViewsDatabase => Path.Combine(DataDirectory, "views.db");

    /// <summary>The embedded log's directory.</summary>
    public string LogDirectory => Path.Combine(DataDirectory, "log");

    /// <summary>
    /// Opens the log. <paramref name="readOnly"/> opens an embedded log beside the process that owns it
    /// (the archive only reads), so `lambda scheduler` can run next to `lambda run` on one machine. An
    /// embedded log opened for writing records <paramref name="owner"/>, which others name in their messages.
    /// </summary>
    public async Task<IEventLog> OpenLogAsync(CancellationToken cancellationToken, bool readOnly = false, string owner = "lambda")
    {
        IEventLog log;
        if (Log == "kafka")
        {
            var options = KafkaClientSettings.Options(KafkaBootstrap!, Partitions, KafkaConfig);
            Kafka.Apply(options);
            log = new KafkaEventLog(options);
        }
        else
        {
            var options = new EmbeddedLogOptions { RootPath = LogDirectory, DefaultPartitions = Partitions, ReadOnly = readOnly, Owner = owner };
            if (!readOnly)
            {
                LogRetention.Apply(options);
            }

            log = EmbeddedEventLog.Open(options);
        }

        if (readOnly)
        {
            return log;
        }

        foreach (var topic in Topics.All)
        {
            await log.CreateTopicAsync(topic, Partitions, cancellationToken).ConfigureAwait(false);
        }

        return log;
    }

    public async Task<IViewStore> OpenStoreAsync(CancellationToken cancellationToken)
    {
        IViewStore store = Store == "postgres" ? new PostgresViewStore(Postgres!, PostgresSchema) : new SqliteViewStore(ViewsDatabase);
        await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        return store;
    }

    public async Task<IApiKeyStore> OpenKeysAsync(CancellationToken cancellationToken)
    {
        IApiKeyStore keys = Store == "postgres" ? new PostgresApiKeyStore(Postgres!, PostgresSchema) : new SqliteApiKeyStore(ViewsDatabase);
        await keys.InitializeAsync(cancellationToken).ConfigureAwait(false);
        return keys;
    }

    public async Task<IJobHistoryStore> OpenHistoryAsync(CancellationToken cancellationToken)
    {
        IJobHistoryStore history = Store == "postgres" ? new PostgresJobHistoryStore(Postgres!, PostgresSchema) : new SqliteJobHistoryStore(ViewsDatabase);
        await history.InitializeAsync(cancellationToken).ConfigureAwait(false);
        return history;
    }
}
