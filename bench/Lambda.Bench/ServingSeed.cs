using System.Globalization;
using Lambda.SharedModel.Sketches;
using Lambda.SharedModel.Views;

namespace Lambda.Bench;

/// <summary>
/// `lambda bench serving-seed`: the store the serving benchmarks query (bench/serving.sh, bench/cache_abuse.py).
/// Campaigns bench-0..9 of advertiser bench-adv, a batch version whose W is noon of day D, batch minute and
/// hour rows before W and speed minute rows (4 partitions) from 11:00 to the end of D, every row with a real
/// sketch of 20 users.
/// </summary>
public static class ServingSeed
{
    /// <summary>Day D: 2026-11-23T00:00:00Z.</summary>
    public const long DayMs = 1_795_392_000_000;

    private const long MinuteMs = 60_000;
    private const long HourMs = 3_600_000;

    /// <summary>W: noon of day D.</summary>
    public const long WatermarkMs = DayMs + (12 * HourMs);

    /// <summary>Seeds <paramref name="store"/> (initialized) and prints one line.</summary>
    public static async Task SeedAsync(IViewStore store, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(output);
        var campaigns = Enumerable.Range(0, 10).Select(i => new CampaignInfo($"bench-{i}", "bench-adv")).ToArray();
        await store.ClaimCampaignsAsync(campaigns, cancellationToken).ConfigureAwait(false);

        var versionId = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        await store.CreateBatchVersionAsync(new BatchVersionInfo(versionId, WatermarkMs, TimeProvider.System.GetUtcNow(), "{}", 0, BatchVersionStates.Loading),
            cancellationToken).ConfigureAwait(false);
        var rows = 0L;
        foreach (var campaign in campaigns)
        {
            var batch = new List<BatchViewRow>();
            for (var m = DayMs; m < WatermarkMs; m += MinuteMs)
            {
                batch.Add(new BatchViewRow(campaign.CampaignId, "minute", m, Counts(m), 20, Sketch(m)));
            }

            for (var h = DayMs; h < WatermarkMs; h += HourMs)
            {
                batch.Add(new BatchViewRow(campaign.CampaignId, "hour", h, Counts(h), 20, Sketch(h)));
            }

            await store.AppendBatchRowsAsync(versionId, batch, cancellationToken).ConfigureAwait(false);
            rows += batch.Count;

            var speed = new List<SpeedViewRow>();
            for (var m = WatermarkMs - HourMs; m < DayMs + (24 * HourMs); m += MinuteMs)
            {
                for (var p = 0; p < 4; p++)
                {
                    speed.Add(new SpeedViewRow(campaign.CampaignId, m, p, Counts(m + p), Sketch(m + p), false));
                }
            }

            await store.UpsertSpeedRowsAsync(speed, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        await store.MarkBatchVersionReadyAsync(versionId, rows, cancellationToken).ConfigureAwait(false);
        await store.SetCurrentBatchVersionAsync(versionId, cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"seeded {campaigns.Length} campaigns, version {versionId} with W = 2026-11-23T12:00:00Z")).ConfigureAwait(false);
    }

    private static MetricCounts Counts(long seed) => new(10 + (seed % 7), 5, 1, 1000, 0, 0, 0, 0);

    private static byte[] Sketch(long seed)
    {
        var sketch = new HyperLogLog();
        for (var u = 0; u < 20; u++)
        {
            sketch.Add(UserHash.Of($"user-{((seed / MinuteMs) % 500) + u}"));
        }

        return sketch.ToBytes();
    }
}
