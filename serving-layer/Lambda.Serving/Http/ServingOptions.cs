namespace Lambda.Serving.Http;

/// <summary>
/// Knobs of the serving host. <see cref="Validate"/> is the one place they are checked; its
/// messages name the option.
/// </summary>
public sealed class ServingOptions
{
    /// <summary>
    /// How long a merged answer may be reused while the store has not changed. Freshness does not
    /// depend on it: queries check the store's view generation (<see cref="GenerationMaxAge"/>) and
    /// recompute after any speed flush or batch flip. It bounds the age of
    /// <c>freshness.speed_read_at</c>; zero turns the answer cache off.
    /// </summary>
    public TimeSpan SpeedCacheDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How old a read of the store's view generation a query may use: a write (speed flush, retention,
    /// batch flip) is in every answer to a query arriving this long after it commits. Reads are then
    /// refreshed off the request path (no query waits for the store while a young enough read exists);
    /// zero makes every query wait for a read that started after it arrived (strict).
    /// </summary>
    public TimeSpan GenerationMaxAge { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Estimated bytes the query cache may hold (batch rows of versions; answers with their JSON and
    /// gzip). Sized for the 2-core, 24 GB machine the platform shares with the speed layer and DuckDB:
    /// ~100 week-long minute answers (~3.5 MB each) or many campaign-days of batch rows, and a heap
    /// small enough that a full collection does not stall requests for long. Counting rows let a week of
    /// minutes weigh as little as 10,000 rows: 3,000 such queries grew the server by 3.5 GB.
    /// </summary>
    public long CacheSizeBytes { get; set; } = 384L << 20;

    /// <summary>
    /// How long an API key lookup (found or not) and a campaign's owner are remembered: a revoked key
    /// keeps working for at most this long, in exchange for no store read per request.
    /// </summary>
    public TimeSpan AccessCacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Requests per second each key may make on average (the token bucket's refill).</summary>
    public int RateLimitPerSecond { get; set; } = 200;

    /// <summary>Requests a key may make in a burst (the token bucket's size).</summary>
    public int RateLimitBurst { get; set; } = 400;

    /// <summary>
    /// Failed authentications of well-formed keys per second the whole host allows on average (a token
    /// bucket's refill); beyond it keys not remembered get a 429 before their lookup.
    /// </summary>
    public int FailedAuthPerSecond { get; set; } = 50;

    /// <summary>Failed authentications the host allows in a burst (that bucket's size).</summary>
    public int FailedAuthBurst { get; set; } = 200;

    /// <summary>The largest request body accepted (POST /v1/events); larger is a 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// The most invalid records a POST /v1/events may carry: with more, the request is refused whole
    /// (400 with a summary) and nothing of it is appended, instead of a dead letter per bad record.
    /// </summary>
    public long IngestMaxRejected { get; set; } = 1_000;

    /// <summary>
    /// The largest share of invalid records a POST /v1/events of at least
    /// <see cref="IngestCheck.ShareAppliesFrom"/> records may carry before it is refused whole.
    /// </summary>
    public double IngestMaxRejectedShare { get; set; } = 0.5;

    /// <summary>Seconds a client is told to wait (Retry-After) when the store cannot be reached.</summary>
    public int StoreRetryAfterSeconds { get; set; } = 5;

    /// <summary>The folder served at <c>/</c>; by default <c>wwwroot</c> beside the binaries.</summary>
    public string WebRoot { get; set; } = Path.Combine(AppContext.BaseDirectory, "wwwroot");

    /// <summary>
    /// The absolute URL clients reach this host at (e.g. behind a proxy), named as the OpenAPI
    /// document's server; null names none. Never taken from a request's Host header.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (SpeedCacheDuration < TimeSpan.Zero || SpeedCacheDuration > TimeSpan.FromMinutes(1))
        {
            throw new ArgumentException($"serving option {nameof(SpeedCacheDuration)} must be between 0 and 1 minute (got {SpeedCacheDuration})", nameof(SpeedCacheDuration));
        }
        if (GenerationMaxAge < TimeSpan.Zero || GenerationMaxAge > TimeSpan.FromMinutes(1))
        {
            throw new ArgumentException($"serving option {nameof(GenerationMaxAge)} must be between 0 and 1 minute (got {GenerationMaxAge})", nameof(GenerationMaxAge));
        }
        if (CacheSizeBytes < 1 << 20)
        {
            throw new ArgumentException($"serving option {nameof(CacheSizeBytes)} must be at least 1 MiB (got {CacheSizeBytes})", nameof(CacheSizeBytes));
        }
        if (AccessCacheDuration < TimeSpan.Zero)
        {
            throw new ArgumentException($"serving option {nameof(AccessCacheDuration)} must not be negative (got {AccessCacheDuration})", nameof(AccessCacheDuration));
        }
        if (RateLimitPerSecond < 1 || RateLimitBurst < 1)
        {
            throw new ArgumentException($"serving options {nameof(RateLimitPerSecond)} and {nameof(RateLimitBurst)} must be positive (got {RateLimitPerSecond}, {RateLimitBurst})", nameof(RateLimitPerSecond));
        }
        if (FailedAuthPerSecond < 1 || FailedAuthBurst < 1)
        {
            throw new ArgumentException($"serving options {nameof(FailedAuthPerSecond)} and {nameof(FailedAuthBurst)} must be positive (got {FailedAuthPerSecond}, {FailedAuthBurst})", nameof(FailedAuthPerSecond));
        }
        if (MaxRequestBodyBytes < 1024)
        {
            throw new ArgumentException($"serving option {nameof(MaxRequestBodyBytes)} must be at least 1024 (got {MaxRequestBodyBytes})", nameof(MaxRequestBodyBytes));
        }
        if (IngestMaxRejected < 0)
        {
            throw new ArgumentException($"serving option {nameof(IngestMaxRejected)} must not be negative (got {IngestMaxRejected})", nameof(IngestMaxRejected));
        }
        if (!(IngestMaxRejectedShare is >= 0 and <= 1))
        {
            throw new ArgumentException($"serving option {nameof(IngestMaxRejectedShare)} must be between 0 and 1 (got {IngestMaxRejectedShare})", nameof(IngestMaxRejectedShare));
        }
        if (StoreRetryAfterSeconds < 1)
        {
            throw new ArgumentException($"serving option {nameof(StoreRetryAfterSeconds)} must be positive (got {StoreRetryAfterSeconds})", nameof(StoreRetryAfterSeconds));
        }
        if (PublicUrl is not null
            && !(Uri.TryCreate(PublicUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" && url.Query.Length == 0 && url.Fragment.Length == 0))
        {
            throw new ArgumentException($"serving option {nameof(PublicUrl)} must be an absolute http(s) URL without query or fragment (got '{PublicUrl}')", nameof(PublicUrl));
        }
    }
}
