namespace Lambda.SharedModel.Access;

/// <summary>
/// API keys of the serving layer, kept hashed beside the views (same database, same connection).
/// Implementations: SQLite and PostgreSQL; one contract test suite runs against both.
/// </summary>
public interface IApiKeyStore : IAsyncDisposable
{
    /// <summary>Creates the schema if missing. Safe to call from several processes.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores a new key. Throws <see cref="InvalidOperationException"/> if its id or hash exists.</summary>
    Task CreateAsync(ApiKeyRecord key, CancellationToken cancellationToken = default);

    /// <summary>Marks the key revoked at <paramref name="revokedAt"/>; false if there is no such active key.</summary>
    Task<bool> RevokeAsync(string keyId, DateTimeOffset revokedAt, CancellationToken cancellationToken = default);

    /// <summary>The key (active or revoked) whose hash is <paramref name="hash"/>, or null.</summary>
    Task<ApiKeyRecord?> FindByHashAsync(byte[] hash, CancellationToken cancellationToken = default);

    /// <summary>Every key, revoked ones included, ordered by creation time then id.</summary>
    Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken = default);
}
