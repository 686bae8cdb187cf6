using System.Globalization;

namespace Lambda.Cli.Tests.Chaos;

/// <summary>
/// The chaos run's size: <c>kills</c> kill -9s of `lambda run`, over a bounded demo stream long enough to
/// be appending through them. LAMBDA_CHAOS_KILLS overrides the kill count of any run.
/// </summary>
internal sealed record ChaosSettings(int Kills, int SendRate)
{
    public static ChaosSettings Fast => new(Override ?? 5, 4000);

    public static ChaosSettings Long => new(Override ?? 30, 4000);

    /// <summary>Event time of the stream: 15 minutes at 20 records/s a kill (about 24,000 records, 6 s of sending).</summary>
    public TimeSpan Duration => TimeSpan.FromMinutes(15 * Kills);

    private static int? Override =>
        int.TryParse(Environment.GetEnvironmentVariable("LAMBDA_CHAOS_KILLS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
}
