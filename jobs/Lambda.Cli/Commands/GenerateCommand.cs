using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Lambda.Cli.CommandLine;
using Lambda.Generator;
using Lambda.Generator.Pacing;
using Lambda.SharedModel.Log;

namespace Lambda.Cli.Commands;

/// <summary>
/// `lambda generate`: realistic ad traffic into the log (default) or to a JSON Lines file, as
/// fast as possible or open-loop at a fixed rate, optionally with the exact oracle beside it.
/// </summary>
internal static class GenerateCommand
{
    public static Command Create(PlatformOptions platform)
    {
        var events = new Option<long>("--events", "-n") { Description = "Records to generate (default 100000; 0 with --rate means until Ctrl-C).", DefaultValueFactory = _ => 100_000 };
        var output = new Option<string?>("--out", "-o") { Description = "Write JSON Lines (with a type field) to this file instead of the log." };
        var rate = new Option<long?>("--rate") { Description = "Open-loop: send this many records per second on the wall clock, event time following the clock." };
        var eventRate = new Option<long>("--event-rate") { Description = "As-fast mode: records per second of event time (default 10000).", DefaultValueFactory = _ => 10_000 };
        var start = new Option<DateTimeOffset?>("--start") { Description = "As-fast mode: event time of the first record (default: so that the traffic ends now)." };
        var seed = new Option<ulong>("--seed") { Description = "Random seed: the same seed and options give the same records.", DefaultValueFactory = _ => 1 };
        var campaigns = new Option<int>("--campaigns") { Description = "Campaigns (default 100).", DefaultValueFactory = _ => 100 };
        var ads = new Option<int>("--ads-per-campaign") { Description = "Ads per campaign (default 10).", DefaultValueFactory = _ => 10 };
        var users = new Option<int>("--users") { Description = "Distinct users (default 100000).", DefaultValueFactory = _ => 100_000 };
        var bots = new Option<double>("--bot-share") { Description = "Share of impressions from bots (default 0.02).", DefaultValueFactory = _ => 0.02 };
        var duplicates = new Option<double>("--duplicate-rate") { Description = "Share of records sent twice (default 0.01).", DefaultValueFactory = _ => 0.01 };
        var late = new Option<double>("--late-fraction") { Description = "Share of records that arrive late (default 0.001).", DefaultValueFactory = _ => 0.001 };
        var early = new Option<double>("--views-before-served") { Description = "Share of impressions whose views arrive before the served record (default 0.01).", DefaultValueFactory = _ => 0.01 };
        var clean = new Option<bool>("--clean") { Description = "No bots, duplicates, late records or views before their served record." };
        var ysb = new Option<bool>("--ysb") { Description = "Yahoo Streaming Benchmark mix: 100 campaigns x 10 ads." };
        var oracle = new Option<string?>("--oracle") { Description = "Also write the exact expected counts per (campaign, minute) to this CSV file." };

        var command = new Command("generate", "Generate realistic ad traffic into the log or to a JSON Lines file.")
        {
            events, output, rate, eventRate, start, seed, campaigns, ads, users, bots, duplicates, late, early, clean, ysb, oracle,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var count = parsed.GetValue(events);
            var paced = parsed.GetValue(rate);
            if (count < 0 || (count == 0 && paced is null))
            {
                throw new UsageException("--events must be positive (0 is allowed only with --rate)");
            }

            var perSecond = paced ?? parsed.GetValue(eventRate);
            var isClean = parsed.GetValue(clean);
            var options = new GeneratorOptions
            {
                Seed = parsed.GetValue(seed),
                Campaigns = parsed.GetValue(campaigns),
                AdsPerCampaign = parsed.GetValue(ads),
                Users = parsed.GetValue(users),
                BotShare = isClean ? 0 : parsed.GetValue(bots),
                DuplicateRate = isClean ? 0 : parsed.GetValue(duplicates),
                LateFraction = isClean ? 0 : parsed.GetValue(late),
                ViewsBeforeServedShare = isClean ? 0 : parsed.GetValue(early),
                EventsPerSecond = perSecond,
                StartTime = parsed.GetValue(start) ?? TimeProvider.System.GetUtcNow().AddSeconds(-(double)count / Math.Max(1, perSecond)),
                ComputeOracle = parsed.GetValue(oracle) is not null,
            };
            if (parsed.GetValue(ysb))
            {
                options = GeneratorOptions.YahooStreamingBenchmark(options.Seed) with
                {
                    EventsPerSecond = options.EventsPerSecond,
                    StartTime = options.StartTime,
                    ComputeOracle = options.ComputeOracle,
                };
            }

            var errors = options.GetErrors();
            if (errors.Count > 0)
            {
                throw new UsageException(string.Join("; ", errors));
            }

            var stopwatch = Stopwatch.StartNew();
            TrafficGenerator generator;
            long written;
            var outPath = parsed.GetValue(output);
            if (outPath is not null)
            {
                generator = new TrafficGenerator(options);
                written = await TrafficJsonLines.WriteAsync(generator, outPath, count, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await using var log = await platform.OpenLogAsync(parsed, cancellationToken).ConfigureAwait(false);
                await using var producer = log.CreateProducer();
                (generator, written) = paced is null
                    ? await WriteAsFastAsPossibleAsync(options, producer, count, cancellationToken).ConfigureAwait(false)
                    : await WriteOpenLoopAsync(options, producer, count, cancellationToken).ConfigureAwait(false);
            }

            if (parsed.GetValue(oracle) is { } oraclePath)
            {
                generator.Oracle!.WriteCsv(oraclePath);
            }

            var seconds = Math.Max(0.001, stopwatch.Elapsed.TotalSeconds);
            await parsed.InvocationConfiguration.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"generated {written} records in {seconds:F2} s ({written / seconds:F0} records/s) {(outPath is null ? "into the log" : "to " + outPath)}")).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<(TrafficGenerator, long)> WriteAsFastAsPossibleAsync(GeneratorOptions options, ILogProducer producer,
        long count, CancellationToken cancellationToken)
    {
        var generator = new TrafficGenerator(options);
        var batch = new GeneratedBatch(8192);
        long written = 0;
        while (written < count && !cancellationToken.IsCancellationRequested)
        {
            var n = generator.NextBatch(batch, (int)Math.Min(batch.Capacity, count - written));
            if (n == 0)
            {
                break;
            }

            Enqueue(producer, batch);
            await producer.FlushAsync(cancellationToken).ConfigureAwait(false);
            written += n;
        }

        return (generator, written);
    }

    private static async Task<(TrafficGenerator, long)> WriteOpenLoopAsync(GeneratorOptions options, ILogProducer producer,
        long count, CancellationToken cancellationToken)
    {
        var pacer = OpenLoopPacer.FollowingClock(options, TimeProvider.System);
        var batch = new GeneratedBatch(8192);
        while (!cancellationToken.IsCancellationRequested && (count == 0 || pacer.Sent < count))
        {
            pacer.EmitDue(batch, b => Enqueue(producer, b));
            await producer.FlushAsync(cancellationToken).ConfigureAwait(false);
            await Task.Delay(TimeSpan.FromMilliseconds(5), cancellationToken).ConfigureAwait(false);
        }

        return (pacer.Generator, pacer.Sent);
    }

    private static void Enqueue(ILogProducer producer, GeneratedBatch batch)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            producer.Enqueue(batch.Topic(i), batch.Key(i), batch.Value(i), 0);
        }
    }
}
