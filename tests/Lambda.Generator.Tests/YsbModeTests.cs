using Lambda.Generator;
using Lambda.SharedModel.Events;

namespace Lambda.Generator.Tests;

public sealed class YsbModeTests
{
    [Fact]
    public void ysb_mode_announces_100_campaigns_of_10_ads_then_sends_only_views_and_clicks()
    {
        var generator = new TrafficGenerator(GeneratorOptions.YahooStreamingBenchmark(seed: 3) with { ComputeOracle = true });
        var emitted = Traffic.Generate(generator, 60_000);
        var json = emitted.Select(x => x.Parse()).ToList();

        var announcements = json.Take(1000).ToList();
        Assert.All(announcements, j => Assert.Equal("served", j.GetProperty("type").GetString()));
        var adsByCampaign = announcements
            .GroupBy(j => j.GetProperty("campaign_id").GetString())
            .ToDictionary(g => g.Key!, g => g.Select(j => j.GetProperty("ad_id").GetString()).Distinct().Count());
        Assert.Equal(100, adsByCampaign.Count);
        Assert.All(adsByCampaign.Values, n => Assert.Equal(10, n));

        var announced = announcements.Select(j => j.GetProperty("ad_id").GetString()).ToHashSet();
        var rest = emitted.Skip(1000).ToList();
        Assert.All(rest, x => Assert.NotEqual(EventKind.Served, x.Event.Kind));
        Assert.All(json.Skip(1000), j => Assert.Contains(j.GetProperty("ad_id").GetString(), announced));

        var views = rest.Count(x => x.Event.Kind == EventKind.View);
        var clicks = rest.Count - views;
        Assert.InRange(views / (double)clicks, 0.95, 1.05);
        // Purchases are a third of YSB's events: about half as many as views and clicks together.
        Assert.InRange(generator.YsbPurchasesDropped / (double)rest.Count, 0.47, 0.53);
        Assert.Equal(generator.YsbPurchasesDropped, generator.Oracle!.Totals().YsbPurchasesDropped);
        Assert.Equal(1000, generator.Oracle.Totals().Impressions);
        Assert.Equal(rest.Count, generator.Oracle.Totals().Views + generator.Oracle.Totals().Clicks);
    }

    [Fact]
    public void ysb_ads_and_campaigns_are_picked_uniformly()
    {
        var emitted = Traffic.Generate(GeneratorOptions.YahooStreamingBenchmark(seed: 5), 101_000).Skip(1000).ToList();
        var perCampaign = emitted.GroupBy(x => x.Event.CampaignIndex).Select(g => g.Count()).ToList();

        Assert.Equal(100, perCampaign.Count);
        Assert.InRange(perCampaign.Max() / (double)perCampaign.Min(), 1.0, 1.3);
    }
}
