namespace Lambda.Store.Sqlite;

/// <summary>The schema and every statement of the SQLite view store.</summary>
internal static class SqliteSql
{
    // Tables keyed by their read path are WITHOUT ROWID: the primary key is the clustered b-tree,
    // so a one-campaign range is one contiguous scan with no second lookup per row.
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS campaigns (
            campaign_id   TEXT NOT NULL PRIMARY KEY,
            advertiser_id TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS campaigns_by_advertiser ON campaigns (advertiser_id, campaign_id);

        -- Accepted owner pairs: the first claim of each campaign, then one row per admin transfer.
        CREATE TABLE IF NOT EXISTS campaign_owners (
            seq           INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
            campaign_id   TEXT    NOT NULL,
            advertiser_id TEXT    NOT NULL,
            changed_at_us INTEGER NOT NULL,
            changed_by    TEXT    NOT NULL,
            UNIQUE (campaign_id, advertiser_id)
        );
        -- A store from before owner pairs: each known campaign's owner becomes its first pair.
        INSERT OR IGNORE INTO campaign_owners (campaign_id, advertiser_id, changed_at_us, changed_by)
            SELECT campaign_id, advertiser_id, 0, 'existing owner' FROM campaigns;
        CREATE TABLE IF NOT EXISTS campaign_owner_generation (
            id         INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
            generation INTEGER NOT NULL
        );
        INSERT OR IGNORE INTO campaign_owner_generation (id, generation) VALUES (1, 0);

        CREATE TABLE IF NOT EXISTS speed_rows (
            campaign_id     TEXT    NOT NULL,
            bucket_start_ms INTEGER NOT NULL,
            log_partition   INTEGER NOT NULL,
            impressions     INTEGER NOT NULL,
            views           INTEGER NOT NULL,
            clicks          INTEGER NOT NULL,
            spend_micros    INTEGER NOT NULL,
            bot_filtered    INTEGER NOT NULL,
            late            INTEGER NOT NULL,
            unattributed    INTEGER NOT NULL,
            duplicates      INTEGER NOT NULL,
            sketch          BLOB    NOT NULL,
            is_final        INTEGER NOT NULL,
            PRIMARY KEY (campaign_id, bucket_start_ms, log_partition)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS speed_rows_by_bucket ON speed_rows (bucket_start_ms);

        CREATE TABLE IF NOT EXISTS speed_partition_status (
            log_partition     INTEGER NOT NULL PRIMARY KEY,
            owner             TEXT    NOT NULL,
            watermark_ms      INTEGER NOT NULL,
            lag               INTEGER NOT NULL,
            events_per_second REAL    NOT NULL,
            processed         INTEGER NOT NULL,
            bot_filtered      INTEGER NOT NULL,
            late              INTEGER NOT NULL,
            unattributed      INTEGER NOT NULL,
            duplicates        INTEGER NOT NULL,
            dead_lettered     INTEGER NOT NULL,
            updated_at_us     INTEGER NOT NULL,
            owner_mismatched  INTEGER NOT NULL DEFAULT 0,
            future_dated      INTEGER NOT NULL DEFAULT 0
        );

        -- The owner epoch of each speed partition: fenced speed writes must name the current one.
        CREATE TABLE IF NOT EXISTS speed_partition_owner (
            log_partition INTEGER NOT NULL PRIMARY KEY,
            epoch         INTEGER NOT NULL,
            owner         TEXT    NOT NULL,
            claimed_at_us INTEGER NOT NULL
        );

        CREATE TABLE IF NOT EXISTS batch_versions (
            version_id           INTEGER NOT NULL PRIMARY KEY,
            watermark_ms         INTEGER NOT NULL,
            created_at_us        INTEGER NOT NULL,
            covered_offsets_json TEXT    NOT NULL,
            row_count            INTEGER NOT NULL,
            state                TEXT    NOT NULL
        );

        CREATE TABLE IF NOT EXISTS batch_rows (
            version_id      INTEGER NOT NULL,
            campaign_id     TEXT    NOT NULL,
            granularity     TEXT    NOT NULL,
            bucket_start_ms INTEGER NOT NULL,
            impressions     INTEGER NOT NULL,
            views           INTEGER NOT NULL,
            clicks          INTEGER NOT NULL,
            spend_micros    INTEGER NOT NULL,
            bot_filtered    INTEGER NOT NULL,
            late            INTEGER NOT NULL,
            unattributed    INTEGER NOT NULL,
            duplicates      INTEGER NOT NULL,
            uniques         INTEGER NOT NULL,
            sketch          BLOB    NOT NULL,
            PRIMARY KEY (version_id, campaign_id, granularity, bucket_start_ms)
        ) WITHOUT ROWID;

        CREATE TABLE IF NOT EXISTS current_batch_version (
            id         INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
            version_id INTEGER NOT NULL REFERENCES batch_versions (version_id)
        );

        -- Bumped in the transaction of every write a merged answer depends on (see BumpGeneration).
        CREATE TABLE IF NOT EXISTS view_generation (
            id         INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
            generation INTEGER NOT NULL
        );
        INSERT OR IGNORE INTO view_generation (id, generation) VALUES (1, 0);
        """;

    private const string CountColumns =
        "impressions, views, clicks, spend_micros, bot_filtered, late, unattributed, duplicates";

    private const string SpeedColumns = $"campaign_id, bucket_start_ms, log_partition, {CountColumns}, sketch, is_final";

    private const string BatchRowColumns = $"campaign_id, granularity, bucket_start_ms, {CountColumns}, uniques, sketch";

    // Reads of one campaign (and granularity) leave out the columns the caller already knows.
    private const string SpeedReadColumns = $"bucket_start_ms, log_partition, {CountColumns}, sketch, is_final";

    private const string BatchReadColumns = $"bucket_start_ms, {CountColumns}, uniques, sketch";

    private const string VersionColumns =
        "version_id, watermark_ms, created_at_us, covered_offsets_json, row_count, state";

    private const string StatusColumns =
        "log_partition, owner, watermark_ms, lag, events_per_second, processed, bot_filtered, late, " +
        "unattributed, duplicates, dead_lettered, updated_at_us, owner_mismatched, future_dated";

    public static readonly SqliteStatement SelectOne = new("SELECT 1");

    public static readonly SqliteStatement ClaimCampaign = new(
        "INSERT INTO campaigns (campaign_id, advertiser_id) VALUES ($c, $a) ON CONFLICT (campaign_id) DO NOTHING", "$c", "$a");

    public static readonly SqliteStatement AddCampaignOwner = new("""
        INSERT OR IGNORE INTO campaign_owners (campaign_id, advertiser_id, changed_at_us, changed_by)
        VALUES ($c, $a, CAST((julianday('now') - 2440587.5) * 86400000000.0 AS INTEGER), $by)
        """, "$c", "$a", "$by");

    public static readonly SqliteStatement SetCampaignOwner =
        new("UPDATE campaigns SET advertiser_id = $a WHERE campaign_id = $c", "$c", "$a");

    public static readonly SqliteStatement BumpCampaignOwnerGeneration =
        new("UPDATE campaign_owner_generation SET generation = generation + 1 WHERE id = 1");

    public static readonly SqliteStatement GetCampaignOwnerGeneration =
        new("SELECT generation FROM campaign_owner_generation WHERE id = 1");

    public static readonly SqliteStatement ListCampaignOwners =
        new("SELECT campaign_id, advertiser_id FROM campaign_owners ORDER BY campaign_id, seq");

    public static readonly SqliteStatement ListOwnersOfCampaign =
        new("SELECT campaign_id, advertiser_id FROM campaign_owners WHERE campaign_id = $c ORDER BY seq", "$c");

    public static readonly SqliteStatement ListCampaigns =
        new("SELECT campaign_id, advertiser_id FROM campaigns ORDER BY campaign_id");

    public static readonly SqliteStatement ListCampaignsOfAdvertiser = new(
        "SELECT campaign_id, advertiser_id FROM campaigns WHERE advertiser_id = $a ORDER BY campaign_id", "$a");

    public static readonly SqliteStatement GetCampaign =
        new("SELECT campaign_id, advertiser_id FROM campaigns WHERE campaign_id = $c", "$c");

    public static readonly SqliteStatement UpsertSpeedRow = new($"""
        INSERT INTO speed_rows ({SpeedColumns})
        VALUES ($c, $b, $p, $i, $v, $k, $s, $bf, $l, $u, $d, $sk, $f)
        ON CONFLICT (campaign_id, bucket_start_ms, log_partition) DO UPDATE SET
            impressions = excluded.impressions, views = excluded.views, clicks = excluded.clicks,
            spend_micros = excluded.spend_micros, bot_filtered = excluded.bot_filtered, late = excluded.late,
            unattributed = excluded.unattributed, duplicates = excluded.duplicates,
            sketch = excluded.sketch, is_final = excluded.is_final
        """, "$c", "$b", "$p", "$i", "$v", "$k", "$s", "$bf", "$l", "$u", "$d", "$sk", "$f");

    // A counters-only write leaves a stored row's sketch as it is; a new row gets the empty sketch ($sk).
    public static readonly SqliteStatement UpsertSpeedCounts = new($"""
        INSERT INTO speed_rows ({SpeedColumns})
        VALUES ($c, $b, $p, $i, $v, $k, $s, $bf, $l, $u, $d, $sk, $f)
        ON CONFLICT (campaign_id, bucket_start_ms, log_partition) DO UPDATE SET
            impressions = excluded.impressions, views = excluded.views, clicks = excluded.clicks,
            spend_micros = excluded.spend_micros, bot_filtered = excluded.bot_filtered, late = excluded.late,
            unattributed = excluded.unattributed, duplicates = excluded.duplicates,
            is_final = excluded.is_final
        """, "$c", "$b", "$p", "$i", "$v", "$k", "$s", "$bf", "$l", "$u", "$d", "$sk", "$f");

    public static readonly SqliteStatement ReadSpeedRows = new($"""
        SELECT {SpeedReadColumns} FROM speed_rows
        WHERE campaign_id = $c AND bucket_start_ms >= $f AND bucket_start_ms < $t
        ORDER BY bucket_start_ms, log_partition
        """, "$c", "$f", "$t");

    // MIN over the leading column of speed_rows_by_bucket is one index seek.
    public static readonly SqliteStatement OldestSpeedBucket = new("SELECT MIN(bucket_start_ms) FROM speed_rows");

    public static readonly SqliteStatement DeleteSpeedRowsBefore =
        new("DELETE FROM speed_rows WHERE bucket_start_ms < $b", "$b");

    public static readonly SqliteStatement UpsertPartitionStatus = new($"""
        INSERT OR REPLACE INTO speed_partition_status ({StatusColumns})
        VALUES ($p, $o, $w, $lag, $eps, $n, $bf, $l, $u, $d, $dl, $at, $om, $fd)
        """, "$p", "$o", "$w", "$lag", "$eps", "$n", "$bf", "$l", "$u", "$d", "$dl", "$at", "$om", "$fd");

    /// <summary>Columns added to speed_partition_status after its first release, with their definitions.</summary>
    public static readonly IReadOnlyList<(string Column, string Definition)> AddedStatusColumns =
    [
        ("owner_mismatched", "INTEGER NOT NULL DEFAULT 0"),
        ("future_dated", "INTEGER NOT NULL DEFAULT 0"),
    ];

    public static readonly SqliteStatement ClaimSpeedPartition = new("""
        INSERT INTO speed_partition_owner (log_partition, epoch, owner, claimed_at_us) VALUES ($p, 1, $o, $at)
        ON CONFLICT (log_partition) DO UPDATE SET
            epoch = epoch + 1, owner = excluded.owner, claimed_at_us = excluded.claimed_at_us
        """, "$p", "$o", "$at");

    public static readonly SqliteStatement SpeedPartitionEpoch =
        new("SELECT epoch FROM speed_partition_owner WHERE log_partition = $p", "$p");

    public static readonly SqliteStatement ListPartitionStatus =
        new($"SELECT {StatusColumns} FROM speed_partition_status ORDER BY log_partition");

    public static readonly SqliteStatement InsertBatchVersion = new($"""
        INSERT INTO batch_versions ({VersionColumns}) VALUES ($v, $w, $at, $j, $n, 'loading')
        ON CONFLICT (version_id) DO NOTHING
        """, "$v", "$w", "$at", "$j", "$n");

    public static readonly SqliteStatement GetBatchVersion =
        new($"SELECT {VersionColumns} FROM batch_versions WHERE version_id = $v", "$v");

    public static readonly SqliteStatement ListBatchVersions =
        new($"SELECT {VersionColumns} FROM batch_versions ORDER BY version_id DESC");

    public static readonly SqliteStatement GetCurrentBatchVersion = new($"""
        SELECT {VersionColumns} FROM batch_versions
        WHERE version_id = (SELECT version_id FROM current_batch_version WHERE id = 1)
        """);

    public static readonly SqliteStatement MarkBatchVersionReady = new(
        "UPDATE batch_versions SET state = 'ready', row_count = $n WHERE version_id = $v AND state = 'loading'",
        "$v", "$n");

    public static readonly SqliteStatement SetCurrentBatchVersion = new("""
        INSERT INTO current_batch_version (id, version_id) VALUES (1, $v)
        ON CONFLICT (id) DO UPDATE SET version_id = excluded.version_id
        """, "$v");

    public static readonly SqliteStatement BumpViewGeneration =
        new("UPDATE view_generation SET generation = generation + 1 WHERE id = 1");

    public static readonly SqliteStatement GetViewGeneration =
        new("SELECT generation FROM view_generation WHERE id = 1");

    public static readonly SqliteStatement DeleteBatchRows =
        new("DELETE FROM batch_rows WHERE version_id = $v", "$v");

    public static readonly SqliteStatement DeleteBatchVersion =
        new("DELETE FROM batch_versions WHERE version_id = $v", "$v");

    public static readonly SqliteStatement InsertBatchRow = new($"""
        INSERT INTO batch_rows (version_id, {BatchRowColumns})
        VALUES ($v, $c, $g, $b, $i, $vw, $k, $s, $bf, $l, $ua, $d, $u, $sk)
        """, "$v", "$c", "$g", "$b", "$i", "$vw", "$k", "$s", "$bf", "$l", "$ua", "$d", "$u", "$sk");

    public static readonly SqliteStatement ReadBatchRows = new($"""
        SELECT {BatchReadColumns} FROM batch_rows
        WHERE version_id = $v AND campaign_id = $c AND granularity = $g
          AND bucket_start_ms >= $f AND bucket_start_ms < $t
        ORDER BY bucket_start_ms
        """, "$v", "$c", "$g", "$f", "$t");
}
