namespace Lambda.Speed;

/// <summary>
/// The event ids of the speed layer's log lines (3000-3299), all here so that no two lines share one:
/// operators, docs/reliability.md and the end-to-end tests match lines on them ("Lambda.Speed[3010]").
/// </summary>
internal static class SpeedLogEvents
{
    // A partition's life on a worker (3000-3099).
    public const int PartitionStarted = 3000;
    public const int PartitionStopped = 3001;
    public const int LayerRunning = 3002;
    public const int PartitionLost = 3003;
    public const int RevocationTimedOut = 3004;
    public const int PartitionsAssigned = 3005;
    public const int PartitionsRevoked = 3006;
    public const int PartitionsReleased = 3007;
    public const int JoiningGroup = 3008;
    public const int OffsetCommitRefused = 3009;
    public const int FlushStarting = 3010;
    public const int CheckpointStarting = 3011;
    public const int PartitionFenced = 3012;
    public const int EventLogUnreachable = 3013;
    public const int WorkerFailed = 3014;
    public const int OwnerClaimFailed = 3020;

    // Checkpoint files (3100-3199).
    public const int CheckpointCorrupt = 3100;
    public const int CheckpointAfterDamagedLink = 3101;
    public const int CheckpointChainCompacted = 3102;
    public const int CheckpointChainUnreadable = 3103;
    public const int CheckpointCompactionFailed = 3104;
    public const int CheckpointOfFormerOwnerDeleted = 3105;

    // Writes to the view store (3200-3299).
    public const int ViewWriteFailed = 3200;
    public const int ViewStoreRecovered = 3201;
    public const int ViewWriteFenced = 3202;
    public const int PartitionClaimFailed = 3203;
    public const int OwnerChangesReadFailed = 3204;
}
