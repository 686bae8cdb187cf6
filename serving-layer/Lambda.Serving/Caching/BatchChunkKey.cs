using Lambda.SharedModel.Time;

namespace Lambda.Serving.Caching;

/// <summary>A chunk of 1,440 buckets of one granularity (a day of minutes, 60 days of hours, ...) of one campaign in one version.</summary>
internal readonly record struct BatchChunkKey(long VersionId, string CampaignId, Granularity Granularity, long ChunkStartMs)
{
    public const int BucketsPerChunk = 1440;

    public static long ChunkLengthMs(Granularity granularity) => granularity.LengthMs() * BucketsPerChunk;
}
