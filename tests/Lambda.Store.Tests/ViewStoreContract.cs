using Lambda.SharedModel.Views;

namespace Lambda.Store.Tests;

/// <summary>
/// The view store contract, run against every implementation. A derived class supplies stores over
/// one fresh, isolated database; when that database cannot be had it sets <see cref="Unavailable"/>
/// and every test skips with the reason, or fails when the CI variable is set (CI must test it).
/// </summary>
public abstract partial class ViewStoreContract : IAsyncLifetime
{
    private readonly List<IViewStore> _stores = [];
    private IViewStore? _store;

    /// <summary>Why the store cannot be tested here, or null.</summary>
    protected string? Unavailable { get; set; }

    /// <summary>The initialized store under test.</summary>
    protected IViewStore Store
    {
        get
        {
            StoreAvailability.Require(Unavailable);
            return _store!;
        }
    }

    /// <summary>Prepares the isolated database; sets <see cref="Unavailable"/> if there is none.</summary>
    protected abstract Task PrepareAsync();

    /// <summary>A new, uninitialized store over the same database as every other one of this instance.</summary>
    protected abstract IViewStore NewStore();

    /// <summary>Removes the isolated database after every store is disposed.</summary>
    protected abstract Task CleanUpAsync();

    /// <summary>A second store over the same database, initialized and disposed with this instance.</summary>
    protected async Task<IViewStore> OpenAnotherStoreAsync()
    {
        var store = NewStore();
        _stores.Add(store);
        await store.InitializeAsync();
        return store;
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
