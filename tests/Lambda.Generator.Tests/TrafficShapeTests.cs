using Lambda.Generator;
using Lambda.SharedModel.Events;

namespace Lambda.Generator.Tests;

public sealed class TrafficShapeTests
{
    // 20 s of event time at 10,000 records/s, then the pending views and clicks are drained.
    private static readonly GeneratorOptions Options = new()
    {
        Seed = 7,
        Duration = TimeSpan.FromSeconds(20),
        ViewRate = 0.3,
        ClickRate = 0.1,
        BotShare = 0.05,
        DuplicateRate = 0.02,
        LateFraction = 0.01,
        ViewsBeforeServedShare = 0.2,
    };

    private static readonly Lazy<List<Emitted>> Sample = new(() => Traffic.Generate(Options, long.MaxValue));

    private static IEnumerable<GeneratedEvent> Originals => Sample.Value.Select(x => x.Event).Where(e => !e.IsDuplicate);

    [Fact]
    public void a_bounded_run_drains_every_pending_record()
    {
        var generator = new TrafficGenerator(Options);
        var count = Traffic.Generate(generator, long.MaxValue).Count;

        Assert.True(generator.IsCompleted);
        Assert.Equal(0, generator.Pending);
        Assert.True(count >= 200_000, $"{count} records");
        Assert.Equal(Sample.Value.Count, count);
    }

    [Fact]
    public void a_few_campaigns_get_most_of_the_impressions()
    {
        var perCampaign = Originals.Where(e => e.Kind == EventKind.Served)
            .GroupBy(e => e.CampaignIndex).Select(g => g.Count()).OrderDescending().ToList();
        var median = perCampaign[perCampaign.Count / 2];

        Assert.True(perCampaign[0] > 20 * median, $"top {perCampaign[0]}, median {median}");
    }

    [Fact]
    public void users_come_back()
    {
        var humans = Originals.Where(e => e.Kind == EventKind.Served && !e.IsBot).ToList();
        var perUser = humans.GroupBy(e => e.UserIndex).Select(g => g.Count()).ToList();

        Assert.True(perUser.Max() > 100, $"busiest user has {perUser.Max()} impressions");
        Assert.True(perUser.Count < humans.Count / 2, $"{perUser.Count} users for {humans.Count} impressions");
    }

    [Fact]
    public void view_click_bot_duplicate_and_late_rates_are_as_configured()
    {
        var originals = Originals.ToList();
        var human = originals.Where(e => !e.IsBot).ToList();
        var served = human.Count(e => e.Kind == EventKind.Served);
        var views = human.Count(e => e.Kind == EventKind.View);
        var clicks = human.Count(e => e.Kind == EventKind.Click);
        var duplicates = Sample.Value.Count(x => x.Event.IsDuplicate);

        Assert.InRange(views / (double)served, 0.29, 0.31);
        Assert.InRange(clicks / (double)views, 0.09, 0.11);
        Assert.InRange(originals.Count(e => e.IsBot) / (double)originals.Count, 0.045, 0.055);
        Assert.InRange(duplicates / (double)originals.Count, 0.018, 0.022);
        Assert.InRange(originals.Count(e => e.IsLate) / (double)originals.Count, 0.008, 0.013);
    }

    [Fact]
    public void late_records_arrive_at_least_the_lateness_after_their_event_time_and_others_sooner()
    {
        var lateness = (long)Options.Lateness.TotalMilliseconds;
        foreach (var e in Originals)
        {
            var delay = e.ArrivalTimeMs - e.EventTimeMs;
            Assert.True(e.IsLate ? delay >= lateness : delay < lateness, $"{e} delay {delay}");
            Assert.True(delay >= 0, $"{e} arrives before it happens");
        }
    }

    [Fact]
    public void duplicates_are_byte_identical_copies_of_an_earlier_record()
    {
        var firstById = new Dictionary<string, (long Sequence, byte[] Json)>();
        var duplicates = 0;
        foreach (var x in Sample.Value)
        {
            var id = x.Parse().GetProperty("event_id").GetString()!;
            if (firstById.TryGetValue(id, out var first))
            {
                duplicates++;
                Assert.True(x.Event.IsDuplicate);
                Assert.Equal(first.Json, x.Json);
                Assert.True(first.Sequence < x.Event.Sequence);
            }
            else
            {
                Assert.False(x.Event.IsDuplicate);
                firstById[id] = (x.Event.Sequence, x.Json);
            }
        }

        Assert.True(duplicates > 1000, $"{duplicates} duplicates");
    }

    [Fact]
    public void bot_records_carry_a_documentation_ip_and_a_bot_user_agent_and_humans_never_do()
    {
        string[] botTokens = ["bot", "crawler", "headless"];
        var bots = 0;
        foreach (var x in Sample.Value)
        {
            var json = x.Parse();
            var ip = json.GetProperty("ip").GetString()!;
            var agent = json.GetProperty("user_agent").GetString()!;
            var looksBot = botTokens.Any(t => agent.Contains(t, StringComparison.Ordinal));
            if (x.Event.IsBot)
            {
                bots++;
                Assert.StartsWith("198.51.100.", ip, StringComparison.Ordinal);
                Assert.InRange(int.Parse(ip["198.51.100.".Length..], System.Globalization.CultureInfo.InvariantCulture), 1, 254);
                Assert.True(looksBot, agent);
            }
            else
            {
                Assert.False(ip.StartsWith("198.", StringComparison.Ordinal), ip);
                Assert.False(botTokens.Any(t => agent.Contains(t, StringComparison.OrdinalIgnoreCase)), agent);
            }
        }

        Assert.True(bots > 5000, $"{bots} bot records");
    }

    [Fact]
    public void views_and_clicks_arrive_before_their_served_record_at_the_configured_share()
    {
        var servedOf = Originals.Where(e => e.Kind == EventKind.Served).ToDictionary(e => e.ImpressionId);
        var followUps = Originals.Where(e => e.Kind != EventKind.Served).ToList();

        foreach (var e in followUps)
        {
            var served = servedOf[e.ImpressionId];
            Assert.Equal(e.ArrivesBeforeServed, e.Sequence < served.Sequence);
            Assert.True(e.EventTimeMs > served.EventTimeMs, "a view or click happens after its ad was served");
        }

        var views = followUps.Where(e => e.Kind == EventKind.View).ToList();
        Assert.InRange(views.Count(e => e.ArrivesBeforeServed) / (double)views.Count, 0.18, 0.22);
    }

    [Fact]
    public void every_ad_belongs_to_one_campaign_in_the_served_records()
    {
        var campaignsPerAd = Sample.Value
            .Select(x => x.Parse())
            .Where(j => j.GetProperty("type").GetString() == "served")
            .GroupBy(j => j.GetProperty("ad_id").GetString())
            .Select(g => g.Select(j => j.GetProperty("campaign_id").GetString()).Distinct().Count());

        Assert.All(campaignsPerAd, n => Assert.Equal(1, n));
    }
}
