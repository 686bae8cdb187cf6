using static Lambda.Speed.Tests.ProcessorHarness;

namespace Lambda.Speed.Tests;

/// <summary>
/// Rounds of varied traffic for checkpoint chain tests, each a function of its round number alone:
/// new campaigns and ads, views before their ad, duplicates, late and bot events on evicted
/// windows (which re-creates them), with options under which windows finalize and are evicted and
/// dedupe slices are dropped (by the watermark and by capacity) within a few rounds.
/// </summary>
internal static class ChainWorkload
{
    private const int EventsPerRound = 120;
    private const long RoundMs = 20_000;

    public static SpeedOptions Options(string checkpointDirectory) => new()
    {
        AllowedLateness = TimeSpan.Zero,
        WindowRetention = TimeSpan.FromMinutes(1),
        JoinHorizon = TimeSpan.FromMinutes(1),
        DedupeCapacity = 1_000,
        CheckpointDirectory = checkpointDirectory,
    };

    /// <summary>Feeds round <paramref name="round"/> and flushes.</summary>
    public static void Round(ProcessorHarness h, int round)
    {
        var random = new Random(round);
        var start = Minute(0) + (round * RoundMs);
        var ads = 10 + (round * 3);
        for (var i = 0; i < EventsPerRound; i++)
        {
            var ad = random.Next(ads);
            var time = start + random.Next((int)RoundMs);
            var user = $"u{random.Next(50)}";
            var id = $"r{round}-{i}";
            switch (random.Next(10))
            {
                case 0:
                    // A copy of an event of the previous round.
                    h.Served($"ad-{ad}", Campaign(ad), time - RoundMs, user: user, eventId: $"r{round - 1}-{i}");
                    break;
                case 1:
                    // Late, into a window long evicted.
                    h.Served($"ad-{ad}", Campaign(ad), time - (4 * 60_000), user: user, eventId: id);
                    break;
                case 2:
                    h.Served($"ad-{ad}", Campaign(ad), time - (4 * 60_000), user: user, eventId: id, userAgent: "Googlebot/2.1");
                    break;
                case 3:
                    h.View($"ad-{ad + 5}", time, user: user, eventId: id); // often an ad not served yet
                    break;
                case 4:
                    h.Click($"ad-{ad}", time, user: user, eventId: id);
                    break;
                default:
                    h.Served($"ad-{ad}", Campaign(ad), time, user: user, cost: 100 + ad, eventId: id);
                    break;
            }
        }

        h.Flush();
    }

    private static string Campaign(int ad) => $"camp-{ad / 4}";
}
