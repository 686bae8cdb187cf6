namespace Lambda.SharedModel.Views;

/// <summary>
/// Where the serving layer reads views from and the speed and batch layers write them: speed rows
/// keyed (campaign, bucket, partition), batch view versions with a current-version pointer and its
/// watermark W, and the campaign→advertiser map. Implementations: embedded SQLite (the default)
/// and PostgreSQL; one contract test suite runs against both.
/// </summary>
public interface IViewStore : IAsyncDisposable
{
    /// <summary>"sqlite" or "postgres".</summary>
    string Kind { get; }

    /// <summary>Creates the schema if missing. Safe to call from several processes.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    // Campaigns

    /// <summary>
    /// Registers each campaign not yet known with the claimed advertiser as its owner: the first claim
    /// wins, later claims of a known campaign change nothing (idempotent), so no producer can move a
    /// campaign to another advertiser. Returns every accepted owner pair of the claimed campaigns
    /// (<see cref="ReadCampaignOwnersAsync"/>), which is what the claimant must judge records by.
    /// </summary>
    Task<IReadOnlyList<CampaignInfo>> ClaimCampaignsAsync(IReadOnlyCollection<CampaignInfo> claims, CancellationToken cancellationToken = default);

    /// <summary>
    /// The admin action that moves a campaign to <paramref name="advertiserId"/>: it becomes the owner
    /// that reads the campaign, and is added to the campaign's accepted owners (the former ones stay
    /// accepted, so records already counted stay counted in both layers). Recorded in the owner history
    /// with <paramref name="changedBy"/>; bumps <see cref="GetCampaignOwnerGenerationAsync"/>.
    /// False if the campaign is unknown.
    /// </summary>
    Task<bool> TransferCampaignAsync(string campaignId, string advertiserId, string changedBy, CancellationToken cancellationToken = default);

    /// <summary>
    /// The accepted owner pairs: every (campaign, advertiser) whose ad-served records count. A served
    /// record naming any other advertiser for its campaign is dead-lettered by the speed layer and left
    /// out by the batch layer, alike. Ordered by campaign, then by when the pair was accepted.
    /// </summary>
    Task<IReadOnlyList<CampaignInfo>> ReadCampaignOwnersAsync(CancellationToken cancellationToken = default);

    /// <summary>A number that changes whenever a transfer adds an owner pair (claims of new campaigns do not change it).</summary>
    Task<long> GetCampaignOwnerGenerationAsync(CancellationToken cancellationToken = default);

    /// <summary>All campaigns, or only those of <paramref name="advertiserId"/>, ordered by id.</summary>
    Task<IReadOnlyList<CampaignInfo>> ListCampaignsAsync(string? advertiserId, CancellationToken cancellationToken = default);

    Task<CampaignInfo?> GetCampaignAsync(string campaignId, CancellationToken cancellationToken = default);

    // Speed rows

    /// <summary>Writes full values keyed (campaign, bucket, partition) in one transaction: writing twice changes nothing.</summary>
    /// <param name="ownerEpochs">
    /// Fences the write (partition → owner epoch, every row's partition listed): in the same transaction
    /// each listed partition's current epoch must equal the given one, else nothing is written and
    /// <see cref="PartitionFencedException"/> is thrown. Null writes unfenced.
    /// </param>
    Task UpsertSpeedRowsAsync(IReadOnlyCollection<SpeedViewRow> rows, IReadOnlyDictionary<int, long>? ownerEpochs = null,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes the counters and final flag of speed rows keyed (campaign, bucket, partition) in one transaction,
    /// leaving a stored row's sketch as it is; a row not stored yet is inserted with an empty sketch. Full
    /// values: writing twice changes nothing. For windows whose sketch is stored and can no longer change.
    /// </summary>
    /// <param name="ownerEpochs">Fences the write as in <see cref="UpsertSpeedRowsAsync"/>.</param>
    Task UpsertSpeedCountsAsync(IReadOnlyCollection<SpeedCountsRow> rows, IReadOnlyDictionary<int, long>? ownerEpochs = null,
        CancellationToken cancellationToken = default);

    /// <summary>Speed rows of one campaign with bucket start in [fromMs, toMs), every partition, ordered by bucket then partition.</summary>
    Task<IReadOnlyList<SpeedViewRow>> ReadSpeedRowsAsync(string campaignId, long fromMs, long toMs, CancellationToken cancellationToken = default);

    /// <summary>
    /// The earliest bucket start of any speed row still retained (any campaign), or null if there is none.
    /// Rows only ever disappear by <see cref="DeleteSpeedRowsBeforeAsync"/>, so the speed view is complete
    /// from this bucket on: the serving layer reports older buckets it needs from speed as missing.
    /// </summary>
    Task<long?> GetOldestSpeedBucketAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes speed rows with bucket start before <paramref name="bucketStartMs"/>; returns how many.</summary>
    Task<long> DeleteSpeedRowsBeforeAsync(long bucketStartMs, CancellationToken cancellationToken = default);

    // Speed status

    /// <summary>Inserts or replaces the status of partitions (keyed by partition).</summary>
    /// <param name="ownerEpochs">Fences the write as in <see cref="UpsertSpeedRowsAsync"/>.</param>
    Task UpsertPartitionStatusAsync(IReadOnlyCollection<SpeedPartitionStatus> statuses,
        IReadOnlyDictionary<int, long>? ownerEpochs = null, CancellationToken cancellationToken = default);

    // Speed partition owners

    /// <summary>
    /// Claims a speed partition for <paramref name="owner"/> and returns its new owner epoch: greater than
    /// every epoch claimed before for the partition, by any process (one atomic increment). From then on
    /// writes fenced with an older epoch are refused, so a member that lost the partition without noticing
    /// cannot write over its new owner.
    /// </summary>
    Task<long> ClaimSpeedPartitionAsync(int partition, string owner, CancellationToken cancellationToken = default);

    /// <summary>The latest status of every partition, ordered by partition.</summary>
    Task<IReadOnlyList<SpeedPartitionStatus>> ListPartitionStatusAsync(CancellationToken cancellationToken = default);

    // Batch versions

    /// <summary>Registers a new version in state Loading; its rows are invisible until it is made current.</summary>
    Task CreateBatchVersionAsync(BatchVersionInfo version, CancellationToken cancellationToken = default);

    /// <summary>Appends rows to a version that is Loading (bulk; may be called many times).</summary>
    Task AppendBatchRowsAsync(long versionId, IReadOnlyCollection<BatchViewRow> rows, CancellationToken cancellationToken = default);

    /// <summary>Marks a Loading version Ready with its final row count.</summary>
    Task MarkBatchVersionReadyAsync(long versionId, long rowCount, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes a Ready version current in one atomic flip. Readers see either the old or the new
    /// version, never a mix.
    /// </summary>
    Task SetCurrentBatchVersionAsync(long versionId, CancellationToken cancellationToken = default);

    /// <summary>The current version, or null before the first batch run.</summary>
    Task<BatchVersionInfo?> GetCurrentBatchVersionAsync(CancellationToken cancellationToken = default);

    /// <summary>Every version, newest first.</summary>
    Task<IReadOnlyList<BatchVersionInfo>> ListBatchVersionsAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes a version that is not current, with its rows.</summary>
    Task DeleteBatchVersionAsync(long versionId, CancellationToken cancellationToken = default);

    /// <summary>Rows of one campaign in a version at a granularity, bucket start in [fromMs, toMs), ordered by bucket.</summary>
    Task<IReadOnlyList<BatchViewRow>> ReadBatchRowsAsync(long versionId, string campaignId, string granularity,
        long fromMs, long toMs, CancellationToken cancellationToken = default);

    /// <summary>
    /// A number that grows with every committed write a merged answer depends on: speed rows (upsert,
    /// retention), partition status and the current-version flip. A write that completed before this
    /// call started is always reflected, so an answer computed after reading generation g may be reused
    /// for as long as the generation stays g (from any process writing to the same store).
    /// </summary>
    ValueTask<long> GetViewGenerationAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// A consistent read for the merge: the current version, its batch rows and the speed rows of
    /// one campaign over [fromMs, toMs), all from one snapshot, so a flip during the query never mixes versions.
    /// </summary>
    Task<ViewSnapshot> ReadSnapshotAsync(string campaignId, string batchGranularity, long fromMs, long toMs,
        CancellationToken cancellationToken = default);
}

/// <summary>What <see cref="IViewStore.ReadSnapshotAsync"/> returns.</summary>
public sealed record ViewSnapshot(
    BatchVersionInfo? CurrentVersion,
    IReadOnlyList<BatchViewRow> BatchRows,
    IReadOnlyList<SpeedViewRow> SpeedRows);
