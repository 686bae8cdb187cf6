using Lambda.SharedModel.Access;
using Lambda.SharedModel.Views;
using Microsoft.Extensions.Caching.Memory;

namespace Lambda.Serving.Access;

/// <summary>
/// Resolves API keys to callers and campaigns to owners, remembering both (hits and misses) for
/// <see cref="Http.ServingOptions.AccessCacheDuration"/> so a request costs no store read.
/// </summary>
public sealed class AccessDirectory : IDisposable
{
    private readonly IApiKeyStore _keys;
    private readonly IViewStore _views;
    private readonly TimeSpan _ttl;
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 100_000 });

    public AccessDirectory(IApiKeyStore keys, IViewStore views, TimeSpan cacheDuration)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(views);
        _keys = keys;
        _views = views;
        _ttl = cacheDuration;
    }

    /// <summary>The caller a presented key stands for, or null if the key is unknown or revoked.</summary>
    public async ValueTask<Caller?> AuthenticateAsync(string presentedKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(presentedKey);
        var cacheKey = new KeyLookup(presentedKey);
        if (_cache.TryGetValue(cacheKey, out Caller? caller))
        {
            return caller;
        }
        var record = await _keys.FindByHashAsync(ApiKeys.Hash(presentedKey), cancellationToken).ConfigureAwait(false);
        caller = record is { IsActive: true } ? new Caller(record.KeyId, record.AdvertiserId, record.IsAdmin) : null;
        Remember(cacheKey, caller);
        return caller;
    }

    /// <summary>The campaign if it exists and <paramref name="caller"/> may see it; null otherwise (both are a 404).</summary>
    public async ValueTask<CampaignInfo?> FindVisibleCampaignAsync(Caller caller, string campaignId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(campaignId);
        var cacheKey = new CampaignLookup(campaignId);
        if (!_cache.TryGetValue(cacheKey, out CampaignInfo? campaign))
        {
            campaign = await _views.GetCampaignAsync(campaignId, cancellationToken).ConfigureAwait(false);
            Remember(cacheKey, campaign);
        }
        return campaign is not null && caller.Sees(campaign.AdvertiserId) ? campaign : null;
    }

    private void Remember(object key, object? value)
    {
        if (_ttl > TimeSpan.Zero)
        {
            _cache.Set(key, value, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = _ttl });
        }
    }

    /// <inheritdoc />
    public void Dispose() => _cache.Dispose();

    private readonly record struct KeyLookup(string Key);

    private readonly record struct CampaignLookup(string CampaignId);
}
