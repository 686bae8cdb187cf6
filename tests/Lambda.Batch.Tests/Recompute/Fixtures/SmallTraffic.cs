using System.Globalization;
using Lambda.SharedModel.Time;

namespace Lambda.Batch.Tests.Recompute.Fixtures;

/// <summary>Small hand-made traffic for tests about versions rather than metrics.</summary>
public static class SmallTraffic
{
    /// <summary>
    /// <paramref name="count"/> served records (and a view of every third) spread over
    /// <paramref name="day"/>, over 3 campaigns, logged in order; then one record at 02:00 the next day
    /// so the day is complete.
    /// </summary>
    public static List<MasterRecord> Day(SimulatedLog log, DateOnly day, int count = 300, string prefix = "e")
    {
        var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds();
        var records = new List<MasterRecord>();
        for (var i = 0; i < count; i++)
        {
            var t = start + (i * (Granularities.DayMs / count));
            var ad = "ad-" + (i % 9).ToString(CultureInfo.InvariantCulture);
            var campaign = "campaign-" + (i % 3).ToString(CultureInfo.InvariantCulture);
            var user = "user-" + (i % 50).ToString(CultureInfo.InvariantCulture);
            var id = prefix + i.ToString(CultureInfo.InvariantCulture);
            records.Add(log.Append(TrafficScenario.Served(id, ad, campaign, user, "192.0.2.1", "Mozilla/5.0", t, 1000 + i), t + 500));
            if (i % 3 == 0)
            {
                records.Add(log.Append(TrafficScenario.View(id + "-v", ad, user, "192.0.2.1", "Mozilla/5.0", t + 100), t + 600));
            }
        }

        var next = start + Granularities.DayMs + (2 * Granularities.HourMs);
        records.Add(log.Append(TrafficScenario.Served(prefix + "-tail", "ad-0", "campaign-0", "user-0", "192.0.2.1", "Mozilla/5.0", next), next));
        return records;
    }
}
