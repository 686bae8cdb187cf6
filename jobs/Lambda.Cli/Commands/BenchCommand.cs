using System.CommandLine;
using Lambda.Bench;
using Lambda.Cli.CommandLine;
using Lambda.Speed;

namespace Lambda.Cli.Commands;

/// <summary>
/// `lambda bench`: end-to-end benchmarks of the platform whose figures go into docs/benchmarks.md. Thin
/// wrappers: the benchmarks themselves are in bench/Lambda.Bench.
/// </summary>
internal static class BenchCommand
{
    public static Command Create(PlatformOptions platform)
    {
        var command = new Command("bench", "Measure the platform end to end (figures for docs/benchmarks.md).");
        var dir = new Option<string?>("--dir") { Description = "Parent directory for the throwaway data (default: the temp folder)." };
        var workers = new Option<int>("--workers") { Description = "Speed workers (default: the core count).", DefaultValueFactory = _ => Environment.ProcessorCount };

        var events = new Option<long>("--events") { Description = "Events to push through (default 5000000).", DefaultValueFactory = _ => 5_000_000 };
        var campaigns = new Option<int>("--campaigns") { Description = "Campaigns, Zipf s=1.1 (default 1000).", DefaultValueFactory = _ => 1000 };
        var throughput = new Command("speed-throughput", "Sustained events/s through the whole speed pipeline, from the embedded log.") { events, campaigns, dir, workers };
        throughput.SetAction(async (parsed, ct) =>
        {
            if (parsed.GetValue(events) < 1000)
            {
                throw new UsageException("--events must be at least 1000");
            }

            await SpeedThroughputBench.RunAsync(parsed.GetValue(events), parsed.GetValue(campaigns), parsed.GetValue(workers),
                parsed.GetValue(dir), parsed.InvocationConfiguration.Output, ct).ConfigureAwait(false);
            return ExitCodes.Ok;
        });

        var rate = new Option<long>("--rate") { Description = "Open-loop events/s (default 170000, YSB's top published load).", DefaultValueFactory = _ => 170_000 };
        var seconds = new Option<int>("--seconds") { Description = "Measured seconds after the warm-up (default 60).", DefaultValueFactory = _ => 60 };
        var warmup = new Option<int>("--warmup") { Description = "Warm-up seconds excluded from the figures (default 10).", DefaultValueFactory = _ => 10 };
        var flush = new Option<TimeSpan>("--flush-interval") { Description = "The speed layer's flush interval (default: the speed layer's, 00:00:00.5).", DefaultValueFactory = _ => new SpeedOptions().FlushInterval };
        var latency = new Command("speed-latency", "p50/p99 append-to-visible latency under an open-loop load.") { rate, seconds, warmup, flush, dir, workers };
        latency.SetAction(async (parsed, ct) =>
        {
            if (parsed.GetValue(rate) < 1 || parsed.GetValue(seconds) < 1 || parsed.GetValue(warmup) < 0 || parsed.GetValue(flush) <= TimeSpan.Zero)
            {
                throw new UsageException("--rate, --seconds and --flush-interval must be positive, --warmup zero or more");
            }

            await SpeedLatencyBench.RunAsync(parsed.GetValue(rate), TimeSpan.FromSeconds(parsed.GetValue(seconds)),
                TimeSpan.FromSeconds(parsed.GetValue(warmup)), parsed.GetValue(flush), parsed.GetValue(workers), parsed.GetValue(dir),
                parsed.InvocationConfiguration.Output, ct).ConfigureAwait(false);
            return ExitCodes.Ok;
        });

        var soakRate = new Option<long>("--rate") { Description = "Open-loop events/s into the host (default 200000).", DefaultValueFactory = _ => 200_000 };
        var minutes = new Option<double>("--minutes") { Description = "How long the judged part runs, after the warm-up (default 10).", DefaultValueFactory = _ => 10 };
        var soakWarmup = new Option<int>("--warmup")
        {
            Description = "Seconds of warm-up before the judged part: the designed fill of the state (dedupe window: 70 s of event time) and the GC settling (default 180).",
            DefaultValueFactory = _ => 180,
        };
        var window = new Option<int>("--window") { Description = "Seconds of the first and last windows compared (default 60).", DefaultValueFactory = _ => 60 };
        var sample = new Option<int>("--sample") { Description = "Seconds between CSV rows (default 10).", DefaultValueFactory = _ => 10 };
        var queryRate = new Option<double>("--query-rate") { Description = "Open-loop queries/s against the API (default 20).", DefaultValueFactory = _ => 20 };
        var outCsv = new Option<string>("--out") { Description = "CSV file of the samples (default soak.csv); the host's log goes beside it (soak.host.log).", DefaultValueFactory = _ => "soak.csv" };
        var logRetention = new Option<string>("--log-retention")
        {
            Description = "The host's log retention, e.g. 2m: keeps the log's disk use bounded by the rate (default 2m; the speed layer's group guards it).",
            DefaultValueFactory = _ => "2m",
        };
        var logSegmentMb = new Option<int>("--log-segment-mb") { Description = "The host's log segment size in MiB (default 64).", DefaultValueFactory = _ => 64 };
        var soak = new Command("soak", "Memory, lag and p99 query latency of `lambda run` under a steady load, checked flat after a warm-up (exit 1 if not).")
            { soakRate, minutes, soakWarmup, window, sample, queryRate, outCsv, dir, logRetention, logSegmentMb };
        soak.SetAction(async (parsed, ct) =>
        {
            var settings = new SoakSettings(parsed.GetValue(soakRate), TimeSpan.FromSeconds(parsed.GetValue(soakWarmup)),
                TimeSpan.FromMinutes(parsed.GetValue(minutes)), TimeSpan.FromSeconds(parsed.GetValue(window)), TimeSpan.FromSeconds(parsed.GetValue(sample)),
                parsed.GetValue(queryRate), parsed.GetValue(outCsv)!, parsed.GetValue(dir))
            {
                LogRetention = ParseDuration(parsed.GetValue(logRetention)!, "--log-retention"),
                LogSegmentMb = parsed.GetValue(logSegmentMb),
            };
            // Both checks here, before the host starts: each is a usage error (exit 2).
            if ((settings.Problem() ?? SoakBench.DiskProblem(settings, settings.Parent ?? Path.GetTempPath())) is { } problem)
            {
                throw new UsageException(problem);
            }

            return await SoakBench.RunAsync(settings, LambdaExecutable.OfThisProcess(typeof(BenchCommand).Assembly), parsed.InvocationConfiguration.Output, ct)
                .ConfigureAwait(false);
        });

        command.Subcommands.Add(throughput);
        command.Subcommands.Add(soak);
        command.Subcommands.Add(latency);
        command.Subcommands.Add(BareProduce());
        command.Subcommands.Add(BareConsume());
        command.Subcommands.Add(ServingSeedCommand(platform));
        return command;
    }

    // The bare Confluent.Kafka clients that `lambda ingest`, `generate`, `speed` and `archive` are compared with (bench/kafka.sh).
    private static Command BareProduce()
    {
        var bootstrap = new Option<string>("--bootstrap") { Description = "Kafka bootstrap servers.", Required = true };
        var file = new Argument<string>("file") { Description = "JSON Lines with a type field (lambda generate --out)." };
        var prefix = new Option<string>("--topic-prefix") { Description = "Prefix of the ad-served, ad-views and ad-clicks topics written (they must exist).", DefaultValueFactory = _ => "" };
        var compression = new Option<string>("--compression") { Description = "none, lz4 or zstd (default none).", DefaultValueFactory = _ => "none" };
        var linger = new Option<int>("--linger-ms") { Description = "linger.ms (default 5, as the platform's producer).", DefaultValueFactory = _ => 5 };
        var command = new Command("kafka-bare-produce", "A bare Confluent.Kafka producer (acks=all, idempotence) sending a JSON Lines file: the floor for lambda ingest.")
            { bootstrap, file, prefix, compression, linger };
        command.SetAction((parsed, _) => KafkaBareClient.ProduceAsync(parsed.GetValue(bootstrap)!, parsed.GetValue(file)!,
            parsed.GetValue(prefix)!, parsed.GetValue(compression)!, parsed.GetValue(linger), parsed.InvocationConfiguration.Output));
        return command;
    }

    private static Command BareConsume()
    {
        var bootstrap = new Option<string>("--bootstrap") { Description = "Kafka bootstrap servers.", Required = true };
        var topics = new Option<string>("--topics") { Description = "Comma-separated topics read from the start to their end (default the three event topics).", DefaultValueFactory = _ => "ad-served,ad-views,ad-clicks" };
        var command = new Command("kafka-bare-consume", "A bare Confluent.Kafka consumer reading topics from start to end: the floor for the speed layer and the archive.")
            { bootstrap, topics };
        command.SetAction((parsed, _) => KafkaBareClient.ConsumeAsync(parsed.GetValue(bootstrap)!,
            parsed.GetValue(topics)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), parsed.InvocationConfiguration.Output));
        return command;
    }

    private static Command ServingSeedCommand(PlatformOptions platform)
    {
        var command = new Command("serving-seed", "Seed the view store (--data-dir, --store, --pg) with the serving benchmarks' campaigns, batch version and speed rows (bench/serving.sh).");
        command.SetAction(async (parsed, ct) =>
        {
            await using var store = await platform.OpenStoreAsync(parsed, ct).ConfigureAwait(false);
            await ServingSeed.SeedAsync(store, parsed.InvocationConfiguration.Output, ct).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static TimeSpan ParseDuration(string text, string option)
    {
        try
        {
            return DurationText.Parse(text);
        }
        catch (FormatException e)
        {
            throw new UsageException($"{option}: {e.Message}");
        }
    }
}
