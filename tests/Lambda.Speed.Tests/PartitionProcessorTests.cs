using System.Text;
using Lambda.SharedModel.Codec;
using Lambda.SharedModel.Sketches;
using Lambda.Speed.State;
using static Lambda.Speed.Tests.ProcessorHarness;

namespace Lambda.Speed.Tests;

public class PartitionProcessorTests
{
    [Fact]
    public void served_views_and_clicks_aggregate_per_campaign_minute()
    {
        var h = new ProcessorHarness();
        h.Served("ad-1", "camp-A", Minute(0) + 1_000, user: "u1", cost: 1500);
        h.Served("ad-1", "camp-A", Minute(0) + 2_000, user: "u2", cost: 500);
        h.Served("ad-2", "camp-B", Minute(0) + 3_000, user: "u1", cost: 100);
        h.View("ad-1", Minute(0) + 4_000);
        h.Click("ad-1", Minute(0) + 5_000);
        h.Served("ad-1", "camp-A", Minute(1) + 1_000, user: "u3");

        var a0 = h.Counts("camp-A", Minute(0));
        Assert.Equal((2, 1, 1, 2000L), (a0.Impressions, a0.Views, a0.Clicks, a0.SpendMicros));
        Assert.Equal(1, h.Counts("camp-B", Minute(0)).Impressions);
        Assert.Equal(1, h.Counts("camp-A", Minute(1)).Impressions);
        Assert.Equal(2, HyperLogLog.FromBytes(h.Rows[("camp-A", Minute(0))].UniquesSketch).Estimate());
    }

    [Fact]
    public void a_view_before_its_served_record_waits_and_is_joined()
    {
        var h = new ProcessorHarness();
        h.View("ad-9", Minute(0) + 10_000);
        h.Click("ad-9", Minute(0) + 11_000);
        Assert.Equal(2, h.Processor.PendingCount);

        h.Served("ad-9", "camp-A", Minute(0) + 9_000);

        Assert.Equal(0, h.Processor.PendingCount);
        var counts = h.Counts("camp-A", Minute(0));
        Assert.Equal((1, 1, 1), (counts.Impressions, counts.Views, counts.Clicks));
        Assert.Equal(0, h.Processor.Counters.Unattributed);
    }

    [Fact]
    public void a_view_whose_ad_never_appears_is_unattributed_after_the_join_horizon()
    {
        var h = new ProcessorHarness(new SpeedOptions { JoinHorizon = TimeSpan.FromMinutes(10), AllowedLateness = TimeSpan.Zero });
        h.View("ad-unknown", Minute(0));
        h.Served("ad-1", "camp-A", Minute(5));
        h.View("ad-1", Minute(5));
        h.Click("ad-1", Minute(5));
        Assert.Equal(0, h.Processor.Counters.Unattributed);

        // Every topic moves past the view's event time plus the horizon.
        h.Served("ad-1", "camp-A", Minute(11));
        h.View("ad-1", Minute(11));
        h.Click("ad-1", Minute(11));

        Assert.Equal(1, h.Processor.Counters.Unattributed);
        Assert.Equal(0, h.Processor.PendingCount);
    }

    [Fact]
    public void duplicate_event_ids_count_once_and_are_counted_as_duplicates()
    {
        var h = new ProcessorHarness();
        h.Served("ad-1", "camp-A", Minute(0), eventId: "same");
        h.Served("ad-1", "camp-A", Minute(0), eventId: "same");
        h.View("ad-1", Minute(0), eventId: "same"); // same id on another topic is another event
        h.View("ad-1", Minute(0), eventId: "same");

        var counts = h.Counts("camp-A", Minute(0));
        Assert.Equal((1, 1, 2L), (counts.Impressions, counts.Views, counts.Duplicates));
        Assert.Equal(2, h.Processor.Counters.Duplicates);
    }

    [Fact]
    public void bot_traffic_is_filtered_and_counted_by_ip_and_user_agent()
    {
        var h = new ProcessorHarness();
        h.Served("ad-1", "camp-A", Minute(0));
        h.Served("ad-1", "camp-A", Minute(0), ip: "198.51.100.7");
        h.Served("ad-1", "camp-A", Minute(0), userAgent: "Mozilla/5.0 (compatible; Googlebot/2.1)");
        h.View("ad-1", Minute(0), userAgent: "python-requests/2.31");

        var counts = h.Counts("camp-A", Minute(0));
        Assert.Equal((1, 0, 3L), (counts.Impressions, counts.Views, counts.BotFiltered));
    }

    [Fact]
    public void events_behind_the_watermark_are_late_and_not_applied()
    {
        var h = new ProcessorHarness(new SpeedOptions { AllowedLateness = TimeSpan.FromSeconds(60) });
        h.Served("ad-1", "camp-A", Minute(10));
        h.View("ad-1", Minute(10));
        h.Click("ad-1", Minute(10));
        Assert.Equal(Minute(9), h.Processor.WatermarkMs);

        h.Served("ad-1", "camp-A", Minute(8) + 59_000);
        h.View("ad-1", Minute(8));

        var counts = h.Counts("camp-A", Minute(8));
        Assert.Equal((0, 0, 2L), (counts.Impressions, counts.Views, counts.Late));
        Assert.Equal(2, h.Processor.Counters.Late);
    }

    [Fact]
    public void out_of_order_events_within_the_allowed_lateness_are_counted_exactly()
    {
        var h = new ProcessorHarness(new SpeedOptions { AllowedLateness = TimeSpan.FromSeconds(60) });
        var times = new[] { 50, 10, 40, 0, 55, 20, 30, 5 };
        foreach (var s in times)
        {
            h.Served("ad-1", "camp-A", Minute(3) + (s * 1000));
            h.View("ad-1", Minute(3) + (s * 1000));
        }

        var counts = h.Counts("camp-A", Minute(3));
        Assert.Equal((8, 8, 0L), (counts.Impressions, counts.Views, counts.Late));
    }

    [Fact]
    public void an_idle_topic_stops_holding_the_watermark_back_after_the_idle_timeout()
    {
        var h = new ProcessorHarness(new SpeedOptions { AllowedLateness = TimeSpan.Zero, IdleTimeout = TimeSpan.FromSeconds(30) });
        h.View("ad-1", Minute(0));
        h.Served("ad-1", "camp-A", Minute(5));
        h.Click("ad-1", Minute(5));
        Assert.Equal(Minute(0), h.Processor.WatermarkMs); // views hold it back

        h.Processor.AdvanceLogTime(h.Processor.LogTimeMs + 31_000);
        Assert.Equal(Minute(5), h.Processor.WatermarkMs);
    }

    [Fact]
    public void a_topic_without_a_record_yet_holds_the_watermark_so_a_burst_whose_served_records_land_last_counts_them()
    {
        // On Kafka each topic has its own leader: a burst spanning minutes of event time can land its
        // views and clicks before the served records they follow.
        var h = new ProcessorHarness(new SpeedOptions { AllowedLateness = TimeSpan.Zero, IdleTimeout = TimeSpan.FromSeconds(30) });
        h.View("ad-1", Minute(8));
        h.Click("ad-1", Minute(8));
        Assert.Equal(EventTimeWatermark.Start, h.Processor.WatermarkMs);

        h.Served("ad-1", "camp-A", Minute(1));
        h.Served("ad-1", "camp-A", Minute(8));

        var first = h.Counts("camp-A", Minute(1));
        Assert.Equal((1, 0L), (first.Impressions, first.Late));
        Assert.Equal((1, 1, 1), (h.Counts("camp-A", Minute(8)).Impressions, h.Counts("camp-A", Minute(8)).Views, h.Counts("camp-A", Minute(8)).Clicks));
        Assert.Equal(Minute(8), h.Processor.WatermarkMs);
    }

    [Fact]
    public void a_topic_that_never_has_a_record_stops_holding_the_watermark_after_the_idle_timeout()
    {
        var h = new ProcessorHarness(new SpeedOptions { AllowedLateness = TimeSpan.Zero, IdleTimeout = TimeSpan.FromSeconds(30) });
        h.Served("ad-1", "camp-A", Minute(5));
        Assert.Equal(EventTimeWatermark.Start, h.Processor.WatermarkMs);

        h.Processor.AdvanceLogTime(h.Processor.LogTimeMs + 31_000);
        Assert.Equal(Minute(5), h.Processor.WatermarkMs);
    }

    [Fact]
    public void windows_become_final_once_the_watermark_passes_their_end()
    {
        var h = new ProcessorHarness(new SpeedOptions { AllowedLateness = TimeSpan.Zero });
        h.Served("ad-1", "camp-A", Minute(0));
        h.Flush();
        Assert.False(h.Rows[("camp-A", Minute(0))].Final);

        h.AfterIdleTimeout(); // views and clicks have no record: after the idle timeout they hold nothing back
        h.Served("ad-1", "camp-A", Minute(1) + 1);
        h.Flush();
        Assert.True(h.Rows[("camp-A", Minute(0))].Final);
    }

    [Fact]
    public void a_malformed_record_goes_to_dead_letters_and_processing_continues()
    {
        var h = new ProcessorHarness();
        h.SendRaw(1, Encoding.UTF8.GetBytes("{\"event_id\": 42"));
        h.SendRaw(0, Encoding.UTF8.GetBytes("not json"));
        h.Served("ad-1", "camp-A", Minute(0));

        Assert.Equal([RejectReason.MalformedJson, RejectReason.MalformedJson], h.DeadLetters.Rejected.Select(r => r.Reason));
        Assert.Equal(("ad-views", 0L), (h.DeadLetters.Rejected[0].Source.TopicPartition.Topic, h.DeadLetters.Rejected[0].Source.Offset));
        Assert.Equal(2, h.Processor.Counters.DeadLettered);
        Assert.Equal(1, h.Counts("camp-A", Minute(0)).Impressions);
    }

    [Fact]
    public void rows_are_full_values_not_increments()
    {
        var h = new ProcessorHarness();
        h.Served("ad-1", "camp-A", Minute(0));
        h.Flush();
        h.Served("ad-1", "camp-A", Minute(0));
        h.Flush();
        Assert.Equal(2, h.Rows[("camp-A", Minute(0))].Counts.Impressions);
    }
}
