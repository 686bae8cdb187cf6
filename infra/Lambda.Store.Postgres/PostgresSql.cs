namespace Lambda.Store.Postgres;

/// <summary>The schema and every statement of the PostgreSQL view store, in one schema.</summary>
internal sealed class PostgresSql
{
    private const string CountColumns =
        "impressions, views, clicks, spend_micros, bot_filtered, late, unattributed, duplicates";

    private const string SpeedColumns = $"campaign_id, bucket_start_ms, log_partition, {CountColumns}, sketch, is_final";

    private const string BatchRowColumns = $"campaign_id, granularity, bucket_start_ms, {CountColumns}, uniques, sketch";

    // Reads of one campaign (and granularity) leave out the columns the caller already knows.
    private const string SpeedReadColumns = $"bucket_start_ms, log_partition, {CountColumns}, sketch, is_final";

    private const string BatchReadColumns = $"bucket_start_ms, {CountColumns}, uniques, sketch";

    private const string VersionColumns = "version_id, watermark_ms, created_at, covered_offsets_json, row_count, state";

    private const string StatusColumns =
        "log_partition, owner, watermark_ms, lag, events_per_second, processed, bot_filtered, late, " +
        "unattributed, duplicates, dead_lettered, updated_at, owner_mismatched, future_dated";

    public PostgresSql(string schema)
    {
        var s = $"\"{schema}\"";
        // speed_rows is rewritten every second without touching a key: free space on each page
        // (fillfactor) lets those updates stay HOT, with no new index entries.
        // Ids are COLLATE "C": they compare and sort by code point, whatever the database's locale,
        // as they do in SQLite.
        Schema = $"""
            CREATE SCHEMA IF NOT EXISTS {s};
            CREATE TABLE IF NOT EXISTS {s}.campaigns (
                campaign_id   text COLLATE "C" NOT NULL PRIMARY KEY,
                advertiser_id text COLLATE "C" NOT NULL
            );
            CREATE INDEX IF NOT EXISTS campaigns_by_advertiser ON {s}.campaigns (advertiser_id, campaign_id);

            -- Accepted owner pairs: the first claim of each campaign, then one row per admin transfer.
            CREATE TABLE IF NOT EXISTS {s}.campaign_owners (
                seq           bigserial   NOT NULL PRIMARY KEY,
                campaign_id   text COLLATE "C" NOT NULL,
                advertiser_id text COLLATE "C" NOT NULL,
                changed_at    timestamptz NOT NULL DEFAULT now(),
                changed_by    text        NOT NULL,
                UNIQUE (campaign_id, advertiser_id)
            );
            -- A store from before owner pairs: each known campaign's owner becomes its first pair.
            INSERT INTO {s}.campaign_owners (campaign_id, advertiser_id, changed_by)
                SELECT campaign_id, advertiser_id, 'existing owner' FROM {s}.campaigns
                ON CONFLICT (campaign_id, advertiser_id) DO NOTHING;
            CREATE TABLE IF NOT EXISTS {s}.campaign_owner_generation (
                id         integer NOT NULL PRIMARY KEY CHECK (id = 1),
                generation bigint  NOT NULL
            );
            INSERT INTO {s}.campaign_owner_generation (id, generation) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;

            CREATE TABLE IF NOT EXISTS {s}.speed_rows (
                campaign_id     text COLLATE "C" NOT NULL,
                bucket_start_ms bigint  NOT NULL,
                log_partition   integer NOT NULL,
                impressions     bigint  NOT NULL,
                views           bigint  NOT NULL,
                clicks          bigint  NOT NULL,
                spend_micros    bigint  NOT NULL,
                bot_filtered    bigint  NOT NULL,
                late            bigint  NOT NULL,
                unattributed    bigint  NOT NULL,
                duplicates      bigint  NOT NULL,
                sketch          bytea   NOT NULL,
                is_final        boolean NOT NULL,
                PRIMARY KEY (campaign_id, bucket_start_ms, log_partition)
            ) WITH (fillfactor = 70);
            CREATE INDEX IF NOT EXISTS speed_rows_by_bucket ON {s}.speed_rows (bucket_start_ms);

            CREATE TABLE IF NOT EXISTS {s}.speed_partition_status (
                log_partition     integer NOT NULL PRIMARY KEY,
                owner             text    NOT NULL,
                watermark_ms      bigint  NOT NULL,
                lag               bigint  NOT NULL,
                events_per_second double precision NOT NULL,
                processed         bigint  NOT NULL,
                bot_filtered      bigint  NOT NULL,
                late              bigint  NOT NULL,
                unattributed      bigint  NOT NULL,
                duplicates        bigint  NOT NULL,
                dead_lettered     bigint  NOT NULL,
                updated_at        timestamptz NOT NULL
            );
            -- Counters added after the first release: a store made by an older build gets them here.
            ALTER TABLE {s}.speed_partition_status ADD COLUMN IF NOT EXISTS owner_mismatched bigint NOT NULL DEFAULT 0;
            ALTER TABLE {s}.speed_partition_status ADD COLUMN IF NOT EXISTS future_dated bigint NOT NULL DEFAULT 0;

            -- The owner epoch of each speed partition: fenced speed writes must name the current one.
            CREATE TABLE IF NOT EXISTS {s}.speed_partition_owner (
                log_partition integer NOT NULL PRIMARY KEY,
                epoch         bigint  NOT NULL,
                owner         text    NOT NULL,
                claimed_at    timestamptz NOT NULL
            );

            CREATE TABLE IF NOT EXISTS {s}.batch_versions (
                version_id           bigint NOT NULL PRIMARY KEY,
                watermark_ms         bigint NOT NULL,
                created_at           timestamptz NOT NULL,
                covered_offsets_json text   NOT NULL,
                row_count            bigint NOT NULL,
                state                text   NOT NULL
            );

            CREATE TABLE IF NOT EXISTS {s}.batch_rows (
                version_id      bigint NOT NULL,
                campaign_id     text COLLATE "C" NOT NULL,
                granularity     text COLLATE "C" NOT NULL,
                bucket_start_ms bigint NOT NULL,
                impressions     bigint NOT NULL,
                views           bigint NOT NULL,
                clicks          bigint NOT NULL,
                spend_micros    bigint NOT NULL,
                bot_filtered    bigint NOT NULL,
                late            bigint NOT NULL,
                unattributed    bigint NOT NULL,
                duplicates      bigint NOT NULL,
                uniques         bigint NOT NULL,
                sketch          bytea  NOT NULL,
                PRIMARY KEY (version_id, campaign_id, granularity, bucket_start_ms)
            );

            CREATE TABLE IF NOT EXISTS {s}.current_batch_version (
                id         integer NOT NULL PRIMARY KEY CHECK (id = 1),
                version_id bigint  NOT NULL REFERENCES {s}.batch_versions (version_id)
            );

            CREATE TABLE IF NOT EXISTS {s}.view_generation (
                id         integer NOT NULL PRIMARY KEY CHECK (id = 1),
                generation bigint  NOT NULL
            );
            INSERT INTO {s}.view_generation (id, generation) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
            """;

        // Every write a merged answer depends on bumps the generation in its own statement (so in its
        // transaction): a reader that sees the new generation sees the write.
        var bump = $"WITH bumped AS (UPDATE {s}.view_generation SET generation = generation + 1 WHERE id = 1)";
        // A fenced speed write (owner epochs in two arrays, the statement's last parameters) locks its
        // partitions' owner rows FOR SHARE, so a concurrent claim waits for it (or it sees the claim),
        // and writes nothing, not even the generation bump, if any epoch is not the current one.
        string Fenced(int p, int e) => $"""
            WITH held AS (
                SELECT log_partition, epoch FROM {s}.speed_partition_owner
                WHERE log_partition = ANY(${p}::integer[]) FOR SHARE
            ), fenced AS (
                SELECT 1 FROM unnest(${p}::integer[], ${e}::bigint[]) AS f(log_partition, epoch)
                LEFT JOIN held h USING (log_partition)
                WHERE h.epoch IS DISTINCT FROM f.epoch
            ), bumped AS (
                UPDATE {s}.view_generation SET generation = generation + 1
                WHERE id = 1 AND NOT EXISTS (SELECT 1 FROM fenced)
            )
            """;
        GetViewGeneration = $"SELECT generation FROM {s}.view_generation WHERE id = 1";

        // DO NOTHING: the first claim of a campaign wins, in one statement as across statements.
        ClaimCampaigns = $"""
            WITH claimed AS (
                INSERT INTO {s}.campaigns (campaign_id, advertiser_id)
                SELECT * FROM unnest($1::text[], $2::text[])
                ON CONFLICT (campaign_id) DO NOTHING
                RETURNING campaign_id, advertiser_id),
            added AS (
                INSERT INTO {s}.campaign_owners (campaign_id, advertiser_id, changed_by)
                SELECT campaign_id, advertiser_id, 'first served record' FROM claimed
                ON CONFLICT (campaign_id, advertiser_id) DO NOTHING)
            SELECT campaign_id, advertiser_id FROM claimed
            """;
        OwnersOfCampaigns = $"""
            SELECT campaign_id, advertiser_id FROM {s}.campaign_owners
            WHERE campaign_id = ANY($1::text[]) ORDER BY campaign_id, seq
            """;
        TransferCampaign = $"""
            WITH moved AS (
                UPDATE {s}.campaigns SET advertiser_id = $2 WHERE campaign_id = $1 RETURNING campaign_id),
            added AS (
                INSERT INTO {s}.campaign_owners (campaign_id, advertiser_id, changed_by)
                SELECT campaign_id, $2, $3 FROM moved
                ON CONFLICT (campaign_id, advertiser_id) DO NOTHING),
            owners AS (
                UPDATE {s}.campaign_owner_generation SET generation = generation + 1
                WHERE id = 1 AND EXISTS (SELECT 1 FROM moved)),
            views AS (
                UPDATE {s}.view_generation SET generation = generation + 1
                WHERE id = 1 AND EXISTS (SELECT 1 FROM moved))
            SELECT count(*) FROM moved
            """;
        ListCampaignOwners = $"SELECT campaign_id, advertiser_id FROM {s}.campaign_owners ORDER BY campaign_id, seq";
        GetCampaignOwnerGeneration = $"SELECT generation FROM {s}.campaign_owner_generation WHERE id = 1";
        ListCampaigns = $"SELECT campaign_id, advertiser_id FROM {s}.campaigns ORDER BY campaign_id";
        ListCampaignsOfAdvertiser =
            $"SELECT campaign_id, advertiser_id FROM {s}.campaigns WHERE advertiser_id = $1 ORDER BY campaign_id";
        GetCampaign = $"SELECT campaign_id, advertiser_id FROM {s}.campaigns WHERE campaign_id = $1";

        UpsertSpeedRows = $"""
            {Fenced(14, 15)}
            INSERT INTO {s}.speed_rows ({SpeedColumns})
            SELECT * FROM unnest($1::text[], $2::bigint[], $3::integer[], $4::bigint[], $5::bigint[], $6::bigint[],
                $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[], $12::bytea[], $13::boolean[])
            WHERE NOT EXISTS (SELECT 1 FROM fenced)
            ON CONFLICT (campaign_id, bucket_start_ms, log_partition) DO UPDATE SET
                impressions = excluded.impressions, views = excluded.views, clicks = excluded.clicks,
                spend_micros = excluded.spend_micros, bot_filtered = excluded.bot_filtered, late = excluded.late,
                unattributed = excluded.unattributed, duplicates = excluded.duplicates,
                sketch = excluded.sketch, is_final = excluded.is_final
            """;
        // A counters-only write leaves a stored row's sketch as it is; a new row gets the empty sketch ($13).
        UpsertSpeedCounts = $"""
            {Fenced(14, 15)}
            INSERT INTO {s}.speed_rows ({SpeedColumns})
            SELECT c, b, p, i, v, k, sp, bf, l, u, d, $13::bytea, f
            FROM unnest($1::text[], $2::bigint[], $3::integer[], $4::bigint[], $5::bigint[], $6::bigint[],
                $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[], $12::boolean[])
                AS r(c, b, p, i, v, k, sp, bf, l, u, d, f)
            WHERE NOT EXISTS (SELECT 1 FROM fenced)
            ON CONFLICT (campaign_id, bucket_start_ms, log_partition) DO UPDATE SET
                impressions = excluded.impressions, views = excluded.views, clicks = excluded.clicks,
                spend_micros = excluded.spend_micros, bot_filtered = excluded.bot_filtered, late = excluded.late,
                unattributed = excluded.unattributed, duplicates = excluded.duplicates,
                is_final = excluded.is_final
            """;
        ReadSpeedRows = $"""
            SELECT {SpeedReadColumns} FROM {s}.speed_rows
            WHERE campaign_id = $1 AND bucket_start_ms >= $2 AND bucket_start_ms < $3
            ORDER BY bucket_start_ms, log_partition
            """;
        DeleteSpeedRowsBefore = $"{bump} DELETE FROM {s}.speed_rows WHERE bucket_start_ms < $1";
        OldestSpeedBucket = $"SELECT min(bucket_start_ms) FROM {s}.speed_rows";

        UpsertPartitionStatus = $"""
            {Fenced(15, 16)}
            INSERT INTO {s}.speed_partition_status ({StatusColumns})
            SELECT * FROM unnest($1::integer[], $2::text[], $3::bigint[], $4::bigint[], $5::double precision[],
                $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[], $12::timestamptz[],
                $13::bigint[], $14::bigint[])
            WHERE NOT EXISTS (SELECT 1 FROM fenced)
            ON CONFLICT (log_partition) DO UPDATE SET
                owner = excluded.owner, watermark_ms = excluded.watermark_ms, lag = excluded.lag,
                events_per_second = excluded.events_per_second, processed = excluded.processed,
                bot_filtered = excluded.bot_filtered, late = excluded.late, unattributed = excluded.unattributed,
                duplicates = excluded.duplicates, dead_lettered = excluded.dead_lettered, updated_at = excluded.updated_at,
                owner_mismatched = excluded.owner_mismatched, future_dated = excluded.future_dated
            """;
        ListPartitionStatus = $"SELECT {StatusColumns} FROM {s}.speed_partition_status ORDER BY log_partition";
        ClaimSpeedPartition = $"""
            INSERT INTO {s}.speed_partition_owner (log_partition, epoch, owner, claimed_at) VALUES ($1, 1, $2, now())
            ON CONFLICT (log_partition) DO UPDATE SET
                epoch = speed_partition_owner.epoch + 1, owner = excluded.owner, claimed_at = excluded.claimed_at
            RETURNING epoch
            """;
        SpeedPartitionEpochs =
            $"SELECT log_partition, epoch FROM {s}.speed_partition_owner WHERE log_partition = ANY($1::integer[])";

        InsertBatchVersion = $"""
            INSERT INTO {s}.batch_versions ({VersionColumns}) VALUES ($1, $2, $3, $4, $5, 'loading')
            ON CONFLICT (version_id) DO NOTHING
            """;
        GetBatchVersion = $"SELECT {VersionColumns} FROM {s}.batch_versions WHERE version_id = $1";
        LockBatchVersionShared = $"SELECT {VersionColumns} FROM {s}.batch_versions WHERE version_id = $1 FOR SHARE";
        LockBatchVersionExclusive = $"SELECT {VersionColumns} FROM {s}.batch_versions WHERE version_id = $1 FOR UPDATE";
        ListBatchVersions = $"SELECT {VersionColumns} FROM {s}.batch_versions ORDER BY version_id DESC";
        GetCurrentBatchVersion = $"""
            SELECT {VersionColumns} FROM {s}.batch_versions
            WHERE version_id = (SELECT version_id FROM {s}.current_batch_version WHERE id = 1)
            """;
        MarkBatchVersionReady =
            $"UPDATE {s}.batch_versions SET state = 'ready', row_count = $2 WHERE version_id = $1 AND state = 'loading'";
        SetCurrentBatchVersion = $"""
            {bump}
            INSERT INTO {s}.current_batch_version (id, version_id) VALUES (1, $1)
            ON CONFLICT (id) DO UPDATE SET version_id = excluded.version_id
            """;
        DeleteBatchRows = $"DELETE FROM {s}.batch_rows WHERE version_id = $1";
        DeleteBatchVersion = $"DELETE FROM {s}.batch_versions WHERE version_id = $1";
        CopyBatchRows = $"COPY {s}.batch_rows (version_id, {BatchRowColumns}) FROM STDIN (FORMAT BINARY)";
        ReadBatchRows = $"""
            SELECT {BatchReadColumns} FROM {s}.batch_rows
            WHERE version_id = $1 AND campaign_id = $2 AND granularity = $3
              AND bucket_start_ms >= $4 AND bucket_start_ms < $5
            ORDER BY bucket_start_ms
            """;
        ReadCurrentBatchRows = $"""
            SELECT {BatchReadColumns} FROM {s}.batch_rows
            WHERE version_id = (SELECT version_id FROM {s}.current_batch_version WHERE id = 1)
              AND campaign_id = $1 AND granularity = $2 AND bucket_start_ms >= $3 AND bucket_start_ms < $4
            ORDER BY bucket_start_ms
            """;
    }

    public string Schema { get; }
    public string GetViewGeneration { get; }
    public string ClaimCampaigns { get; }
    public string OwnersOfCampaigns { get; }
    public string TransferCampaign { get; }
    public string ListCampaignOwners { get; }
    public string GetCampaignOwnerGeneration { get; }
    public string ListCampaigns { get; }
    public string ListCampaignsOfAdvertiser { get; }
    public string GetCampaign { get; }
    public string UpsertSpeedRows { get; }
    public string UpsertSpeedCounts { get; }
    public string ReadSpeedRows { get; }
    public string DeleteSpeedRowsBefore { get; }
    public string OldestSpeedBucket { get; }
    public string UpsertPartitionStatus { get; }
    public string ListPartitionStatus { get; }
    public string ClaimSpeedPartition { get; }
    public string SpeedPartitionEpochs { get; }
    public string InsertBatchVersion { get; }
    public string GetBatchVersion { get; }
    public string LockBatchVersionShared { get; }
    public string LockBatchVersionExclusive { get; }
    public string ListBatchVersions { get; }
    public string GetCurrentBatchVersion { get; }
    public string MarkBatchVersionReady { get; }
    public string SetCurrentBatchVersion { get; }
    public string DeleteBatchRows { get; }
    public string DeleteBatchVersion { get; }
    public string CopyBatchRows { get; }
    public string ReadBatchRows { get; }
    public string ReadCurrentBatchRows { get; }
}
