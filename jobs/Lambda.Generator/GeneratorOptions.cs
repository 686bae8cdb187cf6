using System.Globalization;

namespace Lambda.Generator;

/// <summary>
/// Knobs of the traffic generator. All validation lives in <see cref="Validate"/>; every message
/// names the option. The same seed and options give byte-identical output whatever the batch size
/// or rate mode (on the same runtime: the Zipf tables use <see cref="Math.Pow(double, double)"/>).
/// </summary>
public sealed record GeneratorOptions
{
    /// <summary>Upper bound on users: the user sampler keeps an 8-byte alias entry per user.</summary>
    public const int MaxUsers = 50_000_000;

    /// <summary>Seed of every random choice (ids, sampling, imperfections).</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Number of campaigns.</summary>
    public int Campaigns { get; init; } = 100;

    /// <summary>Ads per campaign; every ad belongs to exactly one campaign.</summary>
    public int AdsPerCampaign { get; init; } = 10;

    /// <summary>Advertisers; campaign i belongs to advertiser i mod Advertisers. At most <see cref="Campaigns"/>.</summary>
    public int Advertisers { get; init; } = 10;

    /// <summary>Distinct (human) users. Users are drawn Zipf-distributed, so some come back often.</summary>
    public int Users { get; init; } = 100_000;

    /// <summary>Zipf exponent of user activity: 0 is uniform, higher means more returning users.</summary>
    public double UserZipfExponent { get; init; } = 1.0;

    /// <summary>Zipf exponent of campaign volume: higher makes a few campaigns hot (skewed keys).</summary>
    public double CampaignZipfExponent { get; init; } = 1.1;

    /// <summary>Probability that an impression is viewed (one ad-views record).</summary>
    public double ViewRate { get; init; } = 0.3;

    /// <summary>Probability that a view is clicked (one ad-clicks record).</summary>
    public double ClickRate { get; init; } = 0.05;

    /// <summary>
    /// Share of impressions (with their views and clicks) made by bots: IPs in 198.51.100.0/24 and user
    /// agents containing "bot", "crawler" or "headless", so the default bot rules drop them.
    /// </summary>
    public double BotShare { get; init; } = 0.02;

    /// <summary>Probability that a record is sent a second time, byte for byte (same event_id).</summary>
    public double DuplicateRate { get; init; } = 0.01;

    /// <summary>Longest delay between a record and its duplicate.</summary>
    public TimeSpan MaxDuplicateDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Out-of-order jitter: each record arrives up to this long after its event time. Below <see cref="Lateness"/>.</summary>
    public TimeSpan Jitter { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Probability that a record arrives late: <see cref="Lateness"/> plus jitter after its event time.</summary>
    public double LateFraction { get; init; } = 0.001;

    /// <summary>How late late records arrive. A consumer allowing less lateness than this counts them late.</summary>
    public TimeSpan Lateness { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Share of impressions with a view whose views and clicks arrive before the impression's ad-served
    /// record (the served record is held back until after them): exercises the join's waiting.
    /// </summary>
    public double ViewsBeforeServedShare { get; init; } = 0.01;

    /// <summary>Longest delay from serving to viewing, in event time. Pending follow-ups are held in memory for this long.</summary>
    public TimeSpan MaxViewDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest delay from viewing to clicking, in event time.</summary>
    public TimeSpan MaxClickDelay { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Event time of the first record. Fixed by default for reproducible output; the open-loop pacer's
    /// <c>FollowingClock</c> sets it to the clock's now.
    /// </summary>
    public DateTimeOffset StartTime { get; init; } = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Records per second. Record n is due at StartTime + n / EventsPerSecond: in as-fast-as-possible mode
    /// that is its nominal arrival (event time advances by this rate, not by the wall clock), in open-loop
    /// mode the pacer sends it at that instant.
    /// </summary>
    public long EventsPerSecond { get; init; } = 10_000;

    /// <summary>Event-time span to generate; null for an endless stream. At the end pending records are drained.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Yahoo Streaming Benchmark shape; see <see cref="YahooStreamingBenchmark"/>.</summary>
    public bool YsbMode { get; init; }

    /// <summary>Whether the generator keeps a <see cref="Oracle.TrafficOracle"/> (costs memory: a user set per campaign-minute).</summary>
    public bool ComputeOracle { get; init; }

    /// <summary>
    /// The Yahoo Streaming Benchmark workload: 100 campaigns of 10 ads, uniform ads and event types.
    /// Mapping: the 1000 ads are announced first by one ad-served record each (cost 0, placement "ysb");
    /// then each YSB event picks an ad and a type uniformly: view → ad-views, click → ad-clicks,
    /// purchase → dropped and counted (<see cref="Oracle.OracleTotals.YsbPurchasesDropped"/>).
    /// No bots, duplicates or late records unless set afterwards with <c>with</c>.
    /// </summary>
    public static GeneratorOptions YahooStreamingBenchmark(ulong seed = 1) => new()
    {
        Seed = seed,
        YsbMode = true,
        Campaigns = 100,
        AdsPerCampaign = 10,
        Advertisers = 10,
        CampaignZipfExponent = 0,
        BotShare = 0,
        DuplicateRate = 0,
        LateFraction = 0,
        ViewsBeforeServedShare = 0,
    };

    /// <summary>Every problem with these options, each naming its option; empty when valid.</summary>
    public IReadOnlyList<string> GetErrors()
    {
        var errors = new List<string>();
        void Positive(long value, string name)
        {
            if (value < 1)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{name} must be at least 1 (was {value})"));
            }
        }

        void Probability(double value, string name)
        {
            if (!(value >= 0 && value <= 1))
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{name} must be between 0 and 1 (was {value})"));
            }
        }

        void Exponent(double value, string name)
        {
            if (!(value >= 0 && value <= 10))
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{name} must be between 0 and 10 (was {value})"));
            }
        }

        void NonNegative(TimeSpan value, string name)
        {
            if (value < TimeSpan.Zero)
            {
                errors.Add($"{name} must not be negative (was {value})");
            }
        }

        Positive(Campaigns, nameof(Campaigns));
        Positive(AdsPerCampaign, nameof(AdsPerCampaign));
        Positive(Advertisers, nameof(Advertisers));
        Positive(Users, nameof(Users));
        Positive(EventsPerSecond, nameof(EventsPerSecond));
        if (Advertisers > Campaigns && Campaigns >= 1)
        {
            errors.Add($"{nameof(Advertisers)} must not exceed {nameof(Campaigns)} (was {Advertisers} > {Campaigns}): every advertiser needs a campaign");
        }

        if ((long)Campaigns * AdsPerCampaign > 10_000_000)
        {
            errors.Add($"{nameof(Campaigns)} × {nameof(AdsPerCampaign)} must be at most 10,000,000 ads");
        }

        if (Users > MaxUsers)
        {
            errors.Add($"{nameof(Users)} must be at most {MaxUsers} (was {Users})");
        }

        if (EventsPerSecond > 100_000_000)
        {
            errors.Add($"{nameof(EventsPerSecond)} must be at most 100,000,000 (was {EventsPerSecond})");
        }

        Exponent(UserZipfExponent, nameof(UserZipfExponent));
        Exponent(CampaignZipfExponent, nameof(CampaignZipfExponent));
        Probability(ViewRate, nameof(ViewRate));
        Probability(ClickRate, nameof(ClickRate));
        Probability(BotShare, nameof(BotShare));
        Probability(DuplicateRate, nameof(DuplicateRate));
        Probability(LateFraction, nameof(LateFraction));
        Probability(ViewsBeforeServedShare, nameof(ViewsBeforeServedShare));
        NonNegative(MaxDuplicateDelay, nameof(MaxDuplicateDelay));
        NonNegative(Jitter, nameof(Jitter));
        NonNegative(MaxViewDelay, nameof(MaxViewDelay));
        NonNegative(MaxClickDelay, nameof(MaxClickDelay));
        if (Jitter >= Lateness)
        {
            errors.Add($"{nameof(Lateness)} must be greater than {nameof(Jitter)} (was {Lateness} <= {Jitter}), or on-time and late records overlap");
        }

        if (Duration is { } d && d <= TimeSpan.Zero)
        {
            errors.Add($"{nameof(Duration)} must be positive when set (was {d})");
        }

        if (YsbMode && Duration is { } span && span.TotalSeconds * EventsPerSecond < (double)Campaigns * AdsPerCampaign)
        {
            errors.Add($"{nameof(Duration)} is too short for {nameof(YsbMode)}: it must leave room to announce all {Campaigns * AdsPerCampaign} ads");
        }

        return errors;
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every invalid option.</summary>
    public void Validate()
    {
        var errors = GetErrors();
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid generator options: " + string.Join("; ", errors));
        }
    }
}
