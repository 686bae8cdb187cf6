namespace Lambda.SharedModel.Access;

/// <summary>
/// A stored API key: never the key itself, only its SHA-256 <see cref="Hash"/>. The key grants
/// either one advertiser's campaigns (<see cref="AdvertiserId"/>) or everything (<see cref="IsAdmin"/>).
/// </summary>
/// <param name="KeyId">A short public id (derived from the hash) to list and revoke the key by.</param>
/// <param name="Hash">SHA-256 of the key's UTF-8 bytes, 32 bytes.</param>
/// <param name="AdvertiserId">The advertiser whose campaigns the key sees; null for an admin key.</param>
/// <param name="RevokedAt">When the key was revoked; a revoked key authenticates nothing.</param>
public sealed record ApiKeyRecord(
    string KeyId,
    byte[] Hash,
    string? AdvertiserId,
    bool IsAdmin,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt)
{
    /// <summary>True unless revoked.</summary>
    public bool IsActive => RevokedAt is null;
}
