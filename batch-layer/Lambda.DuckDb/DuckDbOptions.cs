namespace Lambda.DuckDb;

/// <summary>Configuration applied when a database is opened (duckdb_set_config).</summary>
public sealed class DuckDbOptions
{
    private readonly int? _threads;

    /// <summary>
    /// Worker threads for one query. Null = DuckDB's default (all cores). Lower it when several jobs
    /// share a machine: a query then takes longer but leaves cores to the speed layer.
    /// </summary>
    public int? Threads
    {
        get => _threads;
        init
        {
            if (value is <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(Threads), value, "threads must be positive");
            }
            _threads = value;
        }
    }

    /// <summary>
    /// Memory cap such as "2GB". Null = DuckDB's default (80% of RAM). Above the cap, operators that
    /// can spill (sort, aggregate, join) go to <see cref="TempDirectory"/>; the rest fail.
    /// </summary>
    public string? MemoryLimit { get; init; }

    /// <summary>Where DuckDB spills; null = DuckDB's default (next to the database file, or none in memory).</summary>
    public string? TempDirectory { get; init; }

    /// <summary>
    /// Any other DuckDB option by its name (for example "access_mode" = "READ_ONLY"). These win over
    /// the typed properties and over this binding's defaults.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Settings { get; init; }

    /// <summary>The option pairs given to DuckDB, in order; later ones override earlier ones.</summary>
    internal IEnumerable<KeyValuePair<string, string>> ToConfig()
    {
        // Nothing can be downloaded at run time here: fail fast instead of trying to fetch extensions.
        yield return new("autoinstall_known_extensions", "false");
        if (Threads is { } threads)
        {
            yield return new("threads", threads.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        if (MemoryLimit is { } memoryLimit)
        {
            yield return new("memory_limit", memoryLimit);
        }
        if (TempDirectory is { } tempDirectory)
        {
            yield return new("temp_directory", tempDirectory);
        }
        foreach (var setting in Settings ?? new Dictionary<string, string>())
        {
            yield return setting;
        }
    }
}
