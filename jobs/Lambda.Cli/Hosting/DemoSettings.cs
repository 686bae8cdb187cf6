namespace Lambda.Cli.Hosting;

/// <summary>What `lambda run --demo` generates.</summary>
/// <param name="HistoryDays">Days of past traffic written at the first start (event time ends now).</param>
/// <param name="EventsPerSecond">Records per second of event time: the history's density and the live rate.</param>
/// <param name="Campaigns">Campaigns of the generated traffic.</param>
internal sealed record DemoSettings(int HistoryDays, int EventsPerSecond, int Campaigns)
{
    public static readonly string[] Keys = ["demo", "demo_days", "demo_rate", "demo_campaigns"];

    public static DemoSettings Read(RunSettings settings) => new(
        settings.GetInt("demo_days", 3, 1, 30),
        settings.GetInt("demo_rate", 2, 1, 100_000),
        settings.GetInt("demo_campaigns", 20, 1, 10_000));
}
