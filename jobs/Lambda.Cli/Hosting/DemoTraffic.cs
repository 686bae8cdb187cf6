using System.Diagnostics;
using System.Globalization;
using Lambda.Generator;
using Lambda.Generator.Pacing;
using Lambda.Jobs;
using Lambda.SharedModel.Access;
using Lambda.SharedModel.Events;
using Lambda.SharedModel.Jobs;
using Lambda.SharedModel.Log;
using Lambda.SharedModel.Views;

namespace Lambda.Cli.Hosting;

/// <summary>
/// The demo of `lambda run --demo`: at the first start, days of past traffic written as fast as the log
/// takes it (event time ending now); then an archive and recompute straight away, so batch numbers exist
/// for past days; then live open-loop traffic at the same rate, so the speed layer shows today. Prints
/// an admin key and an advertiser key for the dashboard.
/// </summary>
internal sealed class DemoTraffic(IEventLog log, IViewStore store, IApiKeyStore keys, JobScheduler? scheduler, DemoSettings settings,
    TextWriter output)
{
    public async Task RunAsync(Stopwatch sinceStart, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var fresh = await IsEmptyAsync(cancellationToken).ConfigureAwait(false);
        var options = new GeneratorOptions
        {
            // A restart draws new event ids (and so new campaigns): the same seed would replay ids the log already has.
            Seed = fresh ? 1 : (ulong)now.ToUnixTimeSeconds(),
            Campaigns = settings.Campaigns,
            AdsPerCampaign = 5,
            Advertisers = Math.Max(1, settings.Campaigns / 5),
            Users = 20_000,
            EventsPerSecond = settings.EventsPerSecond,
            StartTime = fresh ? now.AddDays(-settings.HistoryDays) : now,
        };
        var generator = new TrafficGenerator(options);
        var batch = new GeneratedBatch(8192);
        await using var producer = log.CreateProducer();
        if (fresh)
        {
            var history = (long)settings.HistoryDays * 86_400 * settings.EventsPerSecond;
            long written = 0;
            while (written < history && !cancellationToken.IsCancellationRequested)
            {
                var n = generator.NextBatch(batch, (int)Math.Min(batch.Capacity, history - written));
                Enqueue(producer, batch);
                await producer.FlushAsync(cancellationToken).ConfigureAwait(false);
                written += n;
            }

            await Say($"demo: wrote {written:N0} records of {settings.HistoryDays} past days into the log ({sinceStart.Elapsed.TotalSeconds:F1} s since start)").ConfigureAwait(false);
        }

        await CreateKeysAsync(generator, cancellationToken).ConfigureAwait(false);
        if (scheduler is null)
        {
            await Say("demo: no scheduler in this process (--no-scheduler): batch numbers for past days come with the next recompute of 'lambda scheduler'").ConfigureAwait(false);
        }
        else
        {
            var run = await scheduler.RunNowAsync(JobNames.Recompute, cancellationToken).ConfigureAwait(false);
            var version = await store.GetCurrentBatchVersionAsync(cancellationToken).ConfigureAwait(false);
            await Say(run.Outcome == JobOutcomes.Succeeded
                ? $"demo: batch view v{version?.VersionId} ready, {run.Rows:N0} rows, watermark {FormatMs(version?.WatermarkMs)} ({sinceStart.Elapsed.TotalSeconds:F1} s since start)"
                : $"demo: the recompute {run.Outcome}: {run.Error}").ConfigureAwait(false);
        }

        var pacer = new OpenLoopPacer(generator, TimeProvider.System);
        await Say($"demo: live traffic at {settings.EventsPerSecond} records/s").ConfigureAwait(false);
        try
        {
            await pacer.RunAsync(batch, async (b, ct) =>
            {
                Enqueue(producer, b);
                await producer.FlushAsync(ct).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C: what was flushed is in the log; the rest of the schedule is simply not sent.
        }
    }

    private async Task CreateKeysAsync(TrafficGenerator generator, CancellationToken cancellationToken)
    {
        var admin = ApiKeys.NewKey();
        await keys.CreateAsync(ApiKeys.NewRecord(admin, null, DateTimeOffset.UtcNow), cancellationToken).ConfigureAwait(false);
        // The advertiser of the busiest campaign (campaign 0 draws the most traffic), learned as the speed layer sees it.
        var campaignId = generator.CampaignId(0);
        CampaignInfo? campaign = null;
        for (var i = 0; i < 300 && campaign is null; i++)
        {
            campaign = await store.GetCampaignAsync(campaignId, cancellationToken).ConfigureAwait(false);
            if (campaign is null)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }

        await Say($"demo: admin key      {admin}").ConfigureAwait(false);
        if (campaign is not null)
        {
            var advertiser = ApiKeys.NewKey();
            await keys.CreateAsync(ApiKeys.NewRecord(advertiser, campaign.AdvertiserId, DateTimeOffset.UtcNow), cancellationToken).ConfigureAwait(false);
            await Say($"demo: advertiser key {advertiser} (advertiser {campaign.AdvertiserId}, e.g. campaign {campaign.CampaignId})").ConfigureAwait(false);
        }
    }

    private async Task<bool> IsEmptyAsync(CancellationToken cancellationToken)
    {
        foreach (var topic in await log.ListTopicsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (topic.Name != Topics.Served)
            {
                continue;
            }

            for (var p = 0; p < topic.Partitions; p++)
            {
                if ((await log.GetOffsetsAsync(new TopicPartition(topic.Name, p), cancellationToken).ConfigureAwait(false)).End > 0)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static void Enqueue(ILogProducer producer, GeneratedBatch batch)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            producer.Enqueue(batch.Topic(i), batch.Key(i), batch.Value(i), 0);
        }
    }

    private static string FormatMs(long? ms) =>
        ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) : "-";

    private async Task Say(string line)
    {
        await output.WriteLineAsync(line).ConfigureAwait(false);
        await output.FlushAsync().ConfigureAwait(false);
    }
}
