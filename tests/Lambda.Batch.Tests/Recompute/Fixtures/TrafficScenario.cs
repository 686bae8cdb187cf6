using Lambda.Generator;
using Lambda.Generator.Oracle;
using Lambda.SharedModel.Events;

namespace Lambda.Batch.Tests.Recompute.Fixtures;

/// <summary>
/// Two generated runs with every imperfection switched on (bots, duplicates, late and out-of-order
/// records, views before their served record), spanning 2025-01-01 18:00 to 2025-01-03 ~01:10 so
/// Jan 1 and Jan 2 are complete (W = Jan 3 with the 1 h cutoff), plus a few hand-made records:
/// views of an ad that is never served, an upper-case bot user agent and an ip that does not parse.
/// </summary>
public sealed class TrafficScenario
{
    public static readonly DateTimeOffset Day1 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly long WatermarkMs = Day1.AddDays(2).ToUnixTimeMilliseconds();

    public List<MasterRecord> Records { get; } = [];
    public List<TrafficOracle> Oracles { get; } = [];
    public SimulatedLog Log { get; } = new();

    public static GeneratorOptions Imperfect(ulong seed, DateTimeOffset start, TimeSpan duration) => new()
    {
        Seed = seed,
        Campaigns = 20,
        AdsPerCampaign = 5,
        Advertisers = 4,
        Users = 3_000,
        EventsPerSecond = 1,
        StartTime = start,
        Duration = duration,
        BotShare = 0.05,
        DuplicateRate = 0.03,
        LateFraction = 0.01,
        Lateness = TimeSpan.FromMinutes(3),
        Jitter = TimeSpan.FromSeconds(20),
        ViewsBeforeServedShare = 0.05,
        ViewRate = 0.4,
        ClickRate = 0.2,
        ComputeOracle = true,
    };

    public static TrafficScenario Create()
    {
        var scenario = new TrafficScenario();
        scenario.AddRun(Imperfect(11, Day1.AddHours(18), TimeSpan.FromHours(14)));
        scenario.AddManual();
        scenario.AddRun(Imperfect(12, Day1.AddHours(47.5), TimeSpan.FromHours(1.7)));
        return scenario;
    }

    public void AddRun(GeneratorOptions options)
    {
        Records.AddRange(Log.AppendGenerated(options, out var generator));
        Oracles.Add(generator.Oracle!);
    }

    private void AddManual()
    {
        var t = Day1.AddHours(20).ToUnixTimeMilliseconds();
        var logTime = Records[^1].LogTimeMs;
        Records.Add(Log.Append(View("manual-v1", "ad-never-served", "u-manual-1", "192.0.2.10", "Mozilla/5.0", t), logTime));
        Records.Add(Log.Append(View("manual-v2", "ad-never-served", "u-manual-2", "192.0.2.11", "Mozilla/5.0", t + 1000), logTime));
        Records.Add(Log.Append(View("manual-v2", "ad-never-served", "u-manual-2", "192.0.2.11", "Mozilla/5.0", t + 1000), logTime));
        Records.Add(Log.Append(Served("manual-s1", "ad-manual", "campaign-manual", "u-manual-3", "not-an-ip", "Mozilla/5.0", t + 2000), logTime));
        Records.Add(Log.Append(Served("manual-s2", "ad-manual", "campaign-manual", "u-manual-4", "192.0.2.12", "Mozilla HEADLESSChrome", t + 3000), logTime));
        Records.Add(Log.Append(Served("manual-s3", "ad-manual", "campaign-manual", "u-manual-5", "2001:db8:1::5", "Mozilla/5.0", t + 4000), logTime));
    }

    public static AdEventRecord View(string id, string ad, string user, string ip, string userAgent, long timeMs) => new()
    {
        Kind = EventKind.View,
        EventId = id,
        AdId = ad,
        UserId = user,
        Ip = ip,
        UserAgent = userAgent,
        EventTimeMs = timeMs,
    };

    public static AdEventRecord Served(string id, string ad, string campaign, string user, string ip, string userAgent, long timeMs, long cost = 1500) => new()
    {
        Kind = EventKind.Served,
        EventId = id,
        AdId = ad,
        CampaignId = campaign,
        AdvertiserId = "advertiser-manual",
        UserId = user,
        Ip = ip,
        UserAgent = userAgent,
        Placement = "manual",
        Score = 0.5,
        CostMicros = cost,
        EventTimeMs = timeMs,
    };
}
