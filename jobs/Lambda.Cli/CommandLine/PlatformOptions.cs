using System.CommandLine;
using Lambda.Cli.Hosting;
using Lambda.Log.Embedded;
using Lambda.Log.Kafka;
using Lambda.SharedModel.Access;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Jobs;
using Lambda.SharedModel.Log;
using Lambda.SharedModel.Views;
using Lambda.Store.Postgres;
using Lambda.Store.Sqlite;

namespace Lambda.Cli.CommandLine;

/// <summary>
/// Options every command shares: where the log is and how it is reached. Each has an environment
/// variable that stands in when the flag is absent (flags win).
/// </summary>
internal sealed class PlatformOptions
{
    public Option<string> DataDir { get; } = new("--data-dir")
    {
        Description = "Directory of the embedded log, stores and checkpoints (env LAMBDA_DATA_DIR).",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("LAMBDA_DATA_DIR") is { Length: > 0 } dir ? dir : "data",
    };

    public Option<string> LogKind { get; } = new("--log")
    {
        Description = "Event log implementation: embedded or kafka (env LAMBDA_LOG).",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("LAMBDA_LOG") is { Length: > 0 } kind ? kind : "embedded",
    };

    public Option<string?> KafkaBootstrap { get; } = new("--kafka-bootstrap")
    {
        Description = "Kafka bootstrap servers, host:port[,host:port] (env LAMBDA_KAFKA_BOOTSTRAP).",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("LAMBDA_KAFKA_BOOTSTRAP"),
    };

    public Option<string?> KafkaConfig { get; } = new("--kafka-config")
    {
        Description = "Extra librdkafka settings, key=value[,key=value]; a key prefixed producer., consumer. or admin. goes to that kind of client only (env LAMBDA_KAFKA_CONFIG).",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("LAMBDA_KAFKA_CONFIG"),
    };

    public Option<int> Partitions { get; } = new("--partitions")
    {
        Description = "Partitions per topic when the topics are created (default 4).",
        Recursive = true,
        DefaultValueFactory = _ => 4,
    };

    public Option<string> StoreKind { get; } = new("--store")
    {
        Description = "View store: sqlite (a file in the data directory) or postgres (env LAMBDA_STORE).",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("LAMBDA_STORE") is { Length: > 0 } kind ? kind : "sqlite",
    };

    public Option<string?> PostgresConnection { get; } = new("--pg")
    {
        Description = "PostgreSQL connection string for --store postgres (env LAMBDA_PG).",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("LAMBDA_PG"),
    };

    public Option<string> PostgresSchema { get; } = new("--pg-schema")
    {
        Description = "PostgreSQL schema of the views, API keys, job history and (unless --scheduler-pg says otherwise) the schedule (env LAMBDA_PG_SCHEMA; default lambda).",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("LAMBDA_PG_SCHEMA") is { Length: > 0 } schema ? schema : PostgresViewStore.DefaultSchema,
    };

    /// <summary>The Kafka log's topic settings and timeout.</summary>
    public KafkaFlags Kafka { get; } = new();

    public PlatformOptions()
    {
        LogKind.AcceptOnlyFromAmong("embedded", "kafka");
        StoreKind.AcceptOnlyFromAmong("sqlite", "postgres");
        Partitions.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 1024)
            {
                result.AddError("--partitions must be between 1 and 1024");
            }
        });
    }

    public IEnumerable<Option> All => [DataDir, LogKind, KafkaBootstrap, KafkaConfig, .. Kafka.All, Partitions, StoreKind, PostgresConnection, PostgresSchema];

    /// <summary>Whether the command runs on the Kafka log.</summary>
    public bool IsKafka(ParseResult parsed) => parsed.GetValue(LogKind) == "kafka";

    /// <summary>Opens the configured view store and creates its schema if missing.</summary>
    public async Task<IViewStore> OpenStoreAsync(ParseResult parsed, CancellationToken cancellationToken)
    {
        IViewStore store;
        if (parsed.GetValue(StoreKind) == "postgres")
        {
            var connection = parsed.GetValue(PostgresConnection);
            if (string.IsNullOrWhiteSpace(connection))
            {
                throw new UsageException("--store postgres needs --pg (or LAMBDA_PG)");
            }

            store = new PostgresViewStore(connection, Schema(parsed));
        }
        else
        {
            var dataDir = parsed.GetValue(DataDir)!;
            Directory.CreateDirectory(dataDir);
            store = new SqliteViewStore(Path.Combine(dataDir, "views.db"));
        }

        await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        return store;
    }

    /// <summary>Opens the API key store beside the configured view store (same database) and creates its table if missing.</summary>
    public async Task<IApiKeyStore> OpenApiKeyStoreAsync(ParseResult parsed, CancellationToken cancellationToken)
    {
        IApiKeyStore keys;
        if (parsed.GetValue(StoreKind) == "postgres")
        {
            var connection = parsed.GetValue(PostgresConnection);
            if (string.IsNullOrWhiteSpace(connection))
            {
                throw new UsageException("--store postgres needs --pg (or LAMBDA_PG)");
            }

            keys = new PostgresApiKeyStore(connection, Schema(parsed));
        }
        else
        {
            keys = new SqliteApiKeyStore(Path.Combine(DataDirectory(parsed), "views.db"));
        }

        await keys.InitializeAsync(cancellationToken).ConfigureAwait(false);
        return keys;
    }

    /// <summary>Opens the job history beside the configured view store (same database) and creates its table if missing.</summary>
    public async Task<IJobHistoryStore> OpenJobHistoryAsync(ParseResult parsed, CancellationToken cancellationToken)
    {
        IJobHistoryStore history;
        if (parsed.GetValue(StoreKind) == "postgres")
        {
            var connection = parsed.GetValue(PostgresConnection);
            if (string.IsNullOrWhiteSpace(connection))
            {
                throw new UsageException("--store postgres needs --pg (or LAMBDA_PG)");
            }

            history = new PostgresJobHistoryStore(connection, Schema(parsed));
        }
        else
        {
            history = new SqliteJobHistoryStore(Path.Combine(DataDirectory(parsed), "views.db"));
        }

        await history.InitializeAsync(cancellationToken).ConfigureAwait(false);
        return history;
    }

    /// <summary>The PostgreSQL schema of the stores, checked to be a plain identifier.</summary>
    public string Schema(ParseResult parsed)
    {
        var schema = parsed.GetValue(PostgresSchema)!;
        if (!PostgresSchemaName.IsValid(schema))
        {
            throw new UsageException($"--pg-schema '{schema}' is not a plain lower-case identifier ({PostgresSchemaName.Rule})");
        }

        return schema;
    }

    /// <summary>The data directory (created if missing).</summary>
    public string DataDirectory(ParseResult parsed)
    {
        var dir = parsed.GetValue(DataDir)!;
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>
    /// Opens the configured log and makes sure the platform's topics exist. An embedded log opened for
    /// writing records <paramref name="owner"/> (default: the command's name) for others to name its owner.
    /// </summary>
    /// <param name="configure">Sets further options of an embedded log (e.g. its retention) before it opens.</param>
    /// <param name="createTopics">False to only read what exists (`lambda topics` on Kafka).</param>
    public async Task<IEventLog> OpenLogAsync(ParseResult parsed, CancellationToken cancellationToken, bool readOnly = false, string? owner = null,
        Action<EmbeddedLogOptions>? configure = null, bool createTopics = true)
    {
        var partitions = parsed.GetValue(Partitions);
        IEventLog log;
        if (parsed.GetValue(LogKind) == "kafka")
        {
            var bootstrap = parsed.GetValue(KafkaBootstrap);
            if (string.IsNullOrWhiteSpace(bootstrap))
            {
                throw new UsageException("--log kafka needs --kafka-bootstrap (or LAMBDA_KAFKA_BOOTSTRAP)");
            }

            IReadOnlyDictionary<string, string> extra;
            try
            {
                extra = KafkaClientSettings.Parse(parsed.GetValue(KafkaConfig));
            }
            catch (FormatException ex)
            {
                throw new UsageException($"--kafka-config: {ex.Message}");
            }

            var settings = RunSettings.FromEnvironment(KafkaSettings.Keys);
            Kafka.SetFlags(parsed, settings);
            var options = KafkaClientSettings.Options(bootstrap, partitions, extra);
            KafkaSettings.Read(settings).Apply(options);
            log = new KafkaEventLog(options);
        }
        else
        {
            var options = new EmbeddedLogOptions
            {
                RootPath = Path.Combine(parsed.GetValue(DataDir)!, "log"),
                DefaultPartitions = partitions,
                ReadOnly = readOnly,
                Owner = owner ?? $"lambda {parsed.CommandResult.Command.Name}",
            };
            configure?.Invoke(options);
            try
            {
                options.Validate();
            }
            catch (ArgumentException ex)
            {
                throw new UsageException(ex.Message);
            }

            log = EmbeddedEventLog.Open(options);
        }

        if (!readOnly && createTopics)
        {
            foreach (var topic in Topics.All)
            {
                await log.CreateTopicAsync(topic, partitions, cancellationToken).ConfigureAwait(false);
            }
        }

        return log;
    }
}
