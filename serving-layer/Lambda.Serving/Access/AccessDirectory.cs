using System.Collections.Concurrent;
using System.Diagnostics;
using Lambda.SharedModel.Access;
using Lambda.SharedModel.Views;
using Microsoft.Extensions.Caching.Memory;

namespace Lambda.Serving.Access;

/// <summary>
/// Resolves API keys to callers and campaigns to owners, remembering both (hits and misses) for
/// <see cref="Http.ServingOptions.AccessCacheDuration"/> so a request costs no store read. An answer is
/// used only while the read it came from started less than that long ago (a revoked key works for at
/// most that long); past half of it one refresh per key runs in the background, so under steady load no
/// request waits for the store. Concurrent misses of one key share one read. A presented key that is
/// not shaped like a key is unknown at once (no hash, no read, no cache entry); an unknown well-formed
/// key is not remembered either, but counts against the host's <see cref="FailedAuthLimiter"/>, which
/// refuses lookups of keys not remembered while failures run above its rate.
/// </summary>
public sealed class AccessDirectory : IDisposable
{
    private readonly IApiKeyStore _keys;
    private readonly IViewStore _views;
    private readonly TimeSpan _ttl;
    private readonly FailedAuthLimiter _failures;
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 100_000 });
    private readonly ConcurrentDictionary<object, Lazy<Task<object?>>> _loading = new();

    public AccessDirectory(IApiKeyStore keys, IViewStore views, TimeSpan cacheDuration, FailedAuthLimiter failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        _failures = failures;
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(views);
        _keys = keys;
        _views = views;
        _ttl = cacheDuration;
    }

    /// <summary>The caller a presented key stands for; no caller if the key is unknown or revoked, or if it was not looked up because too many authentications failed.</summary>
    public async ValueTask<Authentication> AuthenticateAsync(string presentedKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(presentedKey);
        if (!ApiKeys.IsWellFormed(presentedKey))
        {
            return default;
        }
        var lookup = new KeyLookup(presentedKey);
        if (_ttl > TimeSpan.Zero && _cache.TryGetValue(lookup, out Remembered? _))
        {
            return new Authentication((Caller?)await LookupAsync(lookup, cancellationToken).ConfigureAwait(false), Throttled: false);
        }
        if (_failures.IsExhausted)
        {
            return new Authentication(null, Throttled: true);
        }
        var caller = _ttl <= TimeSpan.Zero
            ? await FindCallerAsync(presentedKey, cancellationToken).ConfigureAwait(false)
            : (Caller?)await LookupAsync(lookup, cancellationToken).ConfigureAwait(false);
        if (caller is null)
        {
            _failures.CountFailure();
        }
        return new Authentication(caller, Throttled: false);
    }

    /// <summary>Remembered lookups (keys and campaigns), for tests.</summary>
    internal long RememberedCount => _cache.Count;

    /// <summary>The campaign if it exists and <paramref name="caller"/> may see it; null otherwise (both are a 404).</summary>
    public async ValueTask<CampaignInfo?> FindVisibleCampaignAsync(Caller caller, string campaignId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(campaignId);
        var campaign = _ttl <= TimeSpan.Zero
            ? await _views.GetCampaignAsync(campaignId, cancellationToken).ConfigureAwait(false)
            : (CampaignInfo?)await LookupAsync(new CampaignLookup(campaignId), cancellationToken).ConfigureAwait(false);
        return campaign is not null && caller.Sees(campaign.AdvertiserId) ? campaign : null;
    }

    private async Task<Caller?> FindCallerAsync(string presentedKey, CancellationToken cancellationToken)
    {
        var record = await _keys.FindByHashAsync(ApiKeys.Hash(presentedKey), cancellationToken).ConfigureAwait(false);
        return record is { IsActive: true } ? new Caller(record.KeyId, record.AdvertiserId, record.IsAdmin) : null;
    }

    private async ValueTask<object?> LookupAsync(object key, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(key, out Remembered? hit) && hit is not null)
        {
            if (Stopwatch.GetElapsedTime(hit.ReadStartedAt) >= _ttl / 2 && !_loading.ContainsKey(key))
            {
                _ = Task.Run(() => RefreshAsync(key), CancellationToken.None);
            }
            return hit.Value;
        }
        return await LoadOnce(key).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task RefreshAsync(object key)
    {
        try
        {
            await LoadOnce(key).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The remembered answer stays until it expires; the first miss after that reports the failure.
        }
    }

    /// <summary>One read per key at a time: concurrent misses (and a refresh) share it.</summary>
    private Task<object?> LoadOnce(object key) =>
        _loading.GetOrAdd(key, static (k, self) => new Lazy<Task<object?>>(() => self.LoadAndRememberAsync(k)), this).Value;

    private async Task<object?> LoadAndRememberAsync(object key)
    {
        try
        {
            var started = Stopwatch.GetTimestamp();
            // Shared by every waiter, so no single caller's cancellation may stop it.
            object? value = key switch
            {
                KeyLookup k => await FindCallerAsync(k.Key, CancellationToken.None).ConfigureAwait(false),
                CampaignLookup c => await _views.GetCampaignAsync(c.CampaignId, CancellationToken.None).ConfigureAwait(false),
                _ => throw new ArgumentException($"unknown lookup {key}", nameof(key)),
            };
            var left = _ttl - Stopwatch.GetElapsedTime(started);
            // An unknown key is not remembered: guessed keys must not fill the cache (the failure limiter bounds their reads).
            if (left > TimeSpan.Zero && !(key is KeyLookup && value is null))
            {
                _cache.Set(key, new Remembered(value, started), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = left });
            }
            return value;
        }
        finally
        {
            _loading.TryRemove(key, out _);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _cache.Dispose();
        _failures.Dispose();
    }

    /// <summary>The outcome of <see cref="AuthenticateAsync"/>: the caller, or none (<see cref="Throttled"/>: not even looked up).</summary>
    public readonly record struct Authentication(Caller? Caller, bool Throttled);

    private sealed record Remembered(object? Value, long ReadStartedAt);

    private readonly record struct KeyLookup(string Key);

    private readonly record struct CampaignLookup(string CampaignId);
}
