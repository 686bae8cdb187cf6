using System.Globalization;

namespace Lambda.Cli.Hosting;

/// <summary>What `lambda run --demo` generates. Read once, at the stream's first start (see <see cref="DemoStream"/>).</summary>
/// <param name="HistoryDays">Days of past traffic written at the first start (event time ends now).</param>
/// <param name="EventsPerSecond">Records per second of event time: the history's density and the live rate.</param>
/// <param name="Campaigns">Campaigns of the generated traffic.</param>
/// <param name="Seed">Seed of the stream: the same seed and settings give the same records.</param>
/// <param name="Start">Event time of the first record; null for <paramref name="HistoryDays"/> before the first start.</param>
/// <param name="Duration">Event time the stream spans; null for an endless stream. A bounded stream writes its oracle when complete.</param>
/// <param name="SendRate">
/// Records sent per wall-clock second from the first start on, whatever their event time; null to send each
/// record when the clock reaches its event time (history at once, then live).
/// </param>
internal sealed record DemoSettings(int HistoryDays, int EventsPerSecond, int Campaigns, ulong Seed = 1,
    DateTimeOffset? Start = null, TimeSpan? Duration = null, int? SendRate = null)
{
    public static readonly string[] Keys =
        ["demo", "demo_days", "demo_rate", "demo_campaigns", "demo_seed", "demo_start", "demo_duration", "demo_send_rate"];

    public static DemoSettings Read(RunSettings settings)
    {
        var duration = settings.GetDuration("demo_duration", TimeSpan.Zero);
        if (duration < TimeSpan.Zero)
        {
            throw settings.Bad("demo_duration", $"{duration} is negative");
        }

        var sendRate = settings.GetInt("demo_send_rate", 0, 0, 1_000_000);
        return new DemoSettings(
            settings.GetInt("demo_days", 3, 1, 30),
            settings.GetInt("demo_rate", 2, 1, 1_000_000),
            settings.GetInt("demo_campaigns", 20, 1, 10_000),
            settings.Get("demo_seed", 1UL, s => ulong.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture), "an unsigned integer"),
            settings.Get<DateTimeOffset?>("demo_start", null,
                s => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
                "an ISO-8601 instant such as 2026-11-20T00:00:00Z"),
            duration == TimeSpan.Zero ? null : duration,
            sendRate == 0 ? null : sendRate);
    }
}
