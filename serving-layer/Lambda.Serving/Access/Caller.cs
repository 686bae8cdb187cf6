namespace Lambda.Serving.Access;

/// <summary>Who is calling: an authenticated API key and what it may see.</summary>
/// <param name="AdvertiserId">The advertiser whose campaigns the caller sees; null for admin.</param>
public sealed record Caller(string KeyId, string? AdvertiserId, bool IsAdmin)
{
    /// <summary>Whether the caller may see a campaign owned by <paramref name="advertiserId"/>.</summary>
    public bool Sees(string advertiserId) => IsAdmin || string.Equals(AdvertiserId, advertiserId, StringComparison.Ordinal);
}
