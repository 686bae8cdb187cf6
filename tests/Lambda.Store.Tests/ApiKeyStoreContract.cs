using Lambda.SharedModel.Access;

namespace Lambda.Store.Tests;

/// <summary>
/// The API key store contract, run against every implementation, as <see cref="ViewStoreContract"/>:
/// a derived class supplies stores over one fresh database or sets <see cref="Unavailable"/>.
/// </summary>
public abstract class ApiKeyStoreContract : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);
    private readonly List<IApiKeyStore> _stores = [];
    private IApiKeyStore? _store;

    /// <summary>Why the store cannot be tested here, or null.</summary>
    protected string? Unavailable { get; set; }

    /// <summary>The initialized store under test.</summary>
    protected IApiKeyStore Store
    {
        get
        {
            StoreAvailability.Require(Unavailable);
            return _store!;
        }
    }

    protected abstract Task PrepareAsync();

    protected abstract IApiKeyStore NewStore();

    protected abstract Task CleanUpAsync();

    [SkippableFact]
    public async Task a_created_key_is_found_by_its_hash_and_never_stored_in_clear()
    {
        var key = ApiKeys.NewKey();
        var record = ApiKeys.NewRecord(key, "adv-1", T0);
        await Store.CreateAsync(record);

        var found = await Store.FindByHashAsync(ApiKeys.Hash(key));

        Assert.NotNull(found);
        Assert.Equal(record.KeyId, found.KeyId);
        Assert.Equal(record.Hash, found.Hash);
        Assert.Equal("adv-1", found.AdvertiserId);
        Assert.False(found.IsAdmin);
        Assert.Equal(T0, found.CreatedAt);
        Assert.True(found.IsActive);
        Assert.Null(await Store.FindByHashAsync(ApiKeys.Hash(key + "x")));
        Assert.DoesNotContain((await Store.ListAsync()), k => k.KeyId.Contains(key, StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task an_admin_key_has_no_advertiser()
    {
        var key = ApiKeys.NewKey();
        await Store.CreateAsync(ApiKeys.NewRecord(key, null, T0));

        var found = await Store.FindByHashAsync(ApiKeys.Hash(key));

        Assert.NotNull(found);
        Assert.True(found.IsAdmin);
        Assert.Null(found.AdvertiserId);
    }

    [SkippableFact]
    public async Task a_revoked_key_is_found_revoked_and_revoking_twice_reports_false()
    {
        var key = ApiKeys.NewKey();
        var record = ApiKeys.NewRecord(key, "adv-1", T0);
        await Store.CreateAsync(record);

        Assert.True(await Store.RevokeAsync(record.KeyId, T0.AddHours(1)));
        Assert.False(await Store.RevokeAsync(record.KeyId, T0.AddHours(2)));
        Assert.False(await Store.RevokeAsync("k_nosuchkey", T0.AddHours(2)));

        var found = await Store.FindByHashAsync(record.Hash);
        Assert.NotNull(found);
        Assert.False(found.IsActive);
        Assert.Equal(T0.AddHours(1), found.RevokedAt);
    }

    [SkippableFact]
    public async Task creating_a_key_twice_fails()
    {
        var record = ApiKeys.NewRecord(ApiKeys.NewKey(), "adv-1", T0);
        await Store.CreateAsync(record);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.CreateAsync(record));
    }

    [SkippableFact]
    public async Task keys_are_listed_by_creation_time_and_seen_by_a_second_store()
    {
        var late = ApiKeys.NewRecord(ApiKeys.NewKey(), "adv-2", T0.AddMinutes(5));
        var early = ApiKeys.NewRecord(ApiKeys.NewKey(), null, T0);
        await Store.CreateAsync(late);
        await Store.CreateAsync(early);
        var other = NewStore();
        _stores.Add(other);
        await other.InitializeAsync();

        Assert.Equal([early.KeyId, late.KeyId], (await other.ListAsync()).Select(k => k.KeyId));
    }

    public async Task InitializeAsync()
    {
        await PrepareAsync();
        if (Unavailable is null)
        {
            _store = NewStore();
            _stores.Add(_store);
            await _store.InitializeAsync();
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }
        if (Unavailable is null)
        {
            await CleanUpAsync();
        }
    }
}
