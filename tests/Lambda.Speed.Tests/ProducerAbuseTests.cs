using Lambda.SharedModel.Codec;
using Lambda.SharedModel.Events;
using Lambda.Speed.Processing;

namespace Lambda.Speed.Tests;

/// <summary>What one misbehaving producer can do to the speed layer: neither move a campaign nor stall the watermark.</summary>
public sealed class ProducerAbuseTests
{
    private static readonly long T0 = ProcessorHarness.T0;

    [Fact]
    public void a_served_record_naming_another_advertiser_is_dead_lettered_and_changes_nothing()
    {
        var h = new ProcessorHarness();
        h.Served("ad-1", "camp-b", T0, advertiser: "adv-b");
        // A misconfigured ad server names B's campaign with A's id and a new ad.
        h.Served("ad-x", "camp-b", T0 + 1, advertiser: "adv-a");
        h.View("ad-x", T0 + 2);

        var rejected = Assert.Single(h.DeadLetters.Rejected);
        Assert.Equal(RejectReason.CampaignOwnerMismatch, rejected.Reason);
        Assert.Equal(1, rejected.Source.Offset);
        Assert.Equal(1, h.Processor.Counters.DeadLettered);
        Assert.Equal(1, h.Counts("camp-b", T0).Impressions);
        // The rejected record taught nothing: its ad stays unknown, so the view waits for it.
        Assert.Equal(1, h.Processor.AdCount);
        Assert.Equal(1, h.Processor.PendingCount);
        var owners = h.Owners.Resolve(new("camp-b", "adv-a"));
        Assert.True(owners.Accepts("adv-b"u8) && !owners.Accepts("adv-a"u8), "camp-b is adv-b's alone");
    }

    [Fact]
    public void the_first_claim_anywhere_decides_for_every_partition_sharing_the_owners()
    {
        var first = new ProcessorHarness();
        var second = new ProcessorHarness();
        second.Processor = new PartitionProcessor(1, second.Options, Lambda.SharedModel.Bots.BotRules.Default, first.Owners, second.DeadLetters);

        first.Served("ad-1", "camp", T0, advertiser: "adv-1");
        second.Served("ad-2", "camp", T0, advertiser: "adv-2");
        second.Served("ad-3", "camp", T0, advertiser: "adv-1");

        Assert.Equal(RejectReason.CampaignOwnerMismatch, Assert.Single(second.DeadLetters.Rejected).Reason);
        Assert.Equal(1, second.Counts("camp", T0).Impressions);
    }

    [Fact]
    public void an_admin_transfer_adds_an_owner_whose_records_count_from_then_on()
    {
        var h = new ProcessorHarness();
        h.Served("ad-1", "camp", T0, advertiser: "adv-1");
        h.Served("ad-2", "camp", T0, advertiser: "adv-2");
        h.Owners.Apply([new("camp", "adv-1"), new("camp", "adv-2")]);
        h.Served("ad-3", "camp", T0, advertiser: "adv-2");
        h.Served("ad-4", "camp", T0, advertiser: "adv-1");

        Assert.Single(h.DeadLetters.Rejected);
        Assert.Equal(3, h.Counts("camp", T0).Impressions);
    }

    [Fact]
    public void a_future_stamped_burst_is_dead_lettered_and_live_traffic_after_it_stays_exact()
    {
        var h = new ProcessorHarness(maxFutureSkew: TimeSpan.FromMinutes(5));
        h.Served("ad-1", "camp", T0);
        // 72 events stamped 23 h ahead of their log time, as a producer with a wrong clock sends them.
        for (var i = 0; i < 72; i++)
        {
            h.Served("ad-1", "camp", h.Processor.LogTimeMs + (23 * 3_600_000L));
        }

        Assert.Equal(72, h.DeadLetters.Rejected.Count(r => r.Reason == RejectReason.EventTimeInFuture));
        Assert.True(h.Processor.WatermarkMs < T0 + 60_000, $"watermark {h.Processor.WatermarkMs} was pushed ahead");
        // Live traffic over the next ten minutes: every event counts, none is late.
        for (var minute = 0; minute < 10; minute++)
        {
            for (var i = 0; i < 5; i++)
            {
                h.AdvanceLogTimeTo(ProcessorHarness.Minute(minute) + (i * 1000));
                h.Served("ad-1", "camp", ProcessorHarness.Minute(minute) + (i * 1000));
                h.View("ad-1", ProcessorHarness.Minute(minute) + (i * 1000) + 10);
            }
        }

        Assert.Equal(0, h.Processor.Counters.Late);
        Assert.Equal(6, h.Counts("camp", T0).Impressions);
        for (var minute = 1; minute < 10; minute++)
        {
            Assert.Equal(5, h.Counts("camp", ProcessorHarness.Minute(minute)).Impressions);
            Assert.Equal(5, h.Counts("camp", ProcessorHarness.Minute(minute)).Views);
        }
    }

    [Fact]
    public void an_event_within_the_allowed_skew_counts_and_bounds_the_watermark_by_log_time_plus_skew()
    {
        var h = new ProcessorHarness(new SpeedOptions { AllowedLateness = TimeSpan.Zero }, maxFutureSkew: TimeSpan.FromMinutes(2));
        h.Served("ad-1", "camp", T0);
        var logTime = h.Processor.LogTimeMs;
        h.Served("ad-1", "camp", logTime + 120_000);
        h.Served("ad-1", "camp", logTime + 180_000);

        Assert.Equal(RejectReason.EventTimeInFuture, Assert.Single(h.DeadLetters.Rejected).Reason);
        Assert.True(h.Processor.WatermarkMs <= h.Processor.LogTimeMs + 120_000);
    }
}
