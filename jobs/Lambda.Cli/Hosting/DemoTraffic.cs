using System.Diagnostics;
using System.Globalization;
using Lambda.Generator;
using Lambda.Generator.Pacing;
using Lambda.Generator.Resume;
using Lambda.Jobs;
using Lambda.SharedModel.Access;
using Lambda.SharedModel.IO;
using Lambda.SharedModel.Jobs;
using Lambda.SharedModel.Log;
using Lambda.SharedModel.Views;
using Microsoft.Extensions.Logging;

namespace Lambda.Cli.Hosting;

/// <summary>
/// The demo of `lambda run --demo`: one deterministic stream (<see cref="DemoStream"/>), fixed at the first
/// start. What is due is sent at once (at the first start: days of past traffic), then an archive and
/// recompute run while live traffic goes on at the stream's rate. A restart, clean or not, regenerates
/// the stream and skips what the log already holds (<see cref="StreamResume"/>), so no record is sent
/// twice or lost, and what fell due while it was down goes out as a catch-up burst. A bounded stream
/// writes its exact oracle when complete. Prints an admin key and an advertiser key for the dashboard.
/// </summary>
internal sealed partial class DemoTraffic(IEventLog log, IViewStore store, IApiKeyStore keys, JobScheduler? scheduler, DemoSettings settings,
    string dataDirectory, TextWriter output, ILogger logger)
{
    private string Directory => Path.Combine(dataDirectory, "demo");

    public async Task RunAsync(Stopwatch sinceStart, CancellationToken cancellationToken)
    {
        try
        {
            await RunStreamAsync(sinceStart, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFailed(logger, e);
            await Say($"demo: failed: {e.Message}").ConfigureAwait(false);
            throw;
        }
    }

    private async Task RunStreamAsync(Stopwatch sinceStart, CancellationToken cancellationToken)
    {
        var now = TimeProvider.System.GetUtcNow();
        var stream = DemoStream.TryRead(Directory);
        var fresh = stream is null;
        stream ??= DemoStream.Create(Directory, settings, now, await StreamResume.EndOffsetsAsync(log, cancellationToken).ConfigureAwait(false));
        var generator = new TrafficGenerator(stream.GeneratorOptions);
        var resume = await StreamResume.ReadAsync(log, stream.BaseOffsetsByPartition, cancellationToken).ConfigureAwait(false);
        var pacer = new OpenLoopPacer(generator, TimeProvider.System, DateTimeOffset.FromUnixTimeMilliseconds(stream.FirstDueMs), stream.SendRate);
        var batch = new GeneratedBatch(8192);
        await using var producer = log.CreateProducer();
        long sent = 0;
        var appendLog = Stopwatch.StartNew();
        async ValueTask Send(GeneratedBatch b, CancellationToken ct)
        {
            // At most one line per 50 ms: enough for the chaos test to aim a kill at an append.
            if (logger.IsEnabled(LogLevel.Debug) && appendLog.Elapsed >= TimeSpan.FromMilliseconds(50))
            {
                LogAppending(logger, b.Count, b.Event(0).Sequence);
                appendLog.Restart();
            }

            for (var i = 0; i < b.Count; i++)
            {
                var topic = b.Topic(i);
                if (resume.IsNew(topic, b.Key(i), b.Value(i), out var partition))
                {
                    producer.Enqueue(new TopicPartition(topic, partition), b.Key(i), b.Value(i), 0);
                    sent++;
                }
            }

            await producer.FlushAsync(ct).ConfigureAwait(false);
        }

        await pacer.SendDueAsync(batch, Send, cancellationToken).ConfigureAwait(false);
        await Say(fresh
            ? $"demo: wrote {sent:N0} records of past traffic into the log ({sinceStart.Elapsed.TotalSeconds:F1} s since start)"
            : $"demo: resumed the stream: {resume.Skipped:N0} records already in the log, {sent:N0} sent to catch up ({sinceStart.Elapsed.TotalSeconds:F1} s since start)").ConfigureAwait(false);

        await Say($"demo: live traffic at {stream.SendRate} records/s").ConfigureAwait(false);
        // Live traffic (and a bounded stream's completion) never waits for the keys or the recompute.
        var live = LiveAsync(pacer, batch, Send, resume, generator, cancellationToken);
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

        await live.ConfigureAwait(false);
    }

    private async Task LiveAsync(OpenLoopPacer pacer, GeneratedBatch batch, Func<GeneratedBatch, CancellationToken, ValueTask> send,
        StreamResume resume, TrafficGenerator generator, CancellationToken cancellationToken)
    {
        try
        {
            await pacer.RunAsync(batch, send, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C: what was flushed is in the log; the next start resumes from there.
            return;
        }

        if (resume.IsSkipping)
        {
            throw new InvalidDataException("the stream is complete but the log holds more of it than it has: the log holds records that are not from this stream");
        }

        if (generator.Oracle is { } oracle)
        {
            var path = Path.Combine(Directory, DemoStream.OracleFileName);
            DurableFiles.Replace(path, file =>
            {
                using var writer = new StreamWriter(file, leaveOpen: true);
                oracle.WriteCsv(writer);
            });
            await Say($"demo: stream complete: {generator.Emitted} records, {oracle.Totals().Unattributed} unattributed, oracle in {path}").ConfigureAwait(false);
        }
    }

    private async Task CreateKeysAsync(TrafficGenerator generator, CancellationToken cancellationToken)
    {
        var admin = ApiKeys.NewKey();
        await keys.CreateAsync(ApiKeys.NewRecord(admin, null, TimeProvider.System.GetUtcNow()), cancellationToken).ConfigureAwait(false);
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
            await keys.CreateAsync(ApiKeys.NewRecord(advertiser, campaign.AdvertiserId, TimeProvider.System.GetUtcNow()), cancellationToken).ConfigureAwait(false);
            await Say($"demo: advertiser key {advertiser} (advertiser {campaign.AdvertiserId}, e.g. campaign {campaign.CampaignId})").ConfigureAwait(false);
        }
    }

    private static string FormatMs(long? ms) =>
        ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) : "-";

    private async Task Say(string line)
    {
        await output.WriteLineAsync(line).ConfigureAwait(false);
        await output.FlushAsync().ConfigureAwait(false);
    }

    [LoggerMessage(EventId = CliLogEvents.DemoTrafficAppending, Level = LogLevel.Debug, Message = "Demo traffic appends {Records} records from slot {Slot}")]
    private static partial void LogAppending(ILogger logger, int records, long slot);

    [LoggerMessage(EventId = CliLogEvents.DemoTrafficFailed, Level = LogLevel.Error, Message = "Demo traffic failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
