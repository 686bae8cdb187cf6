using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Lambda.Cli.CommandLine;
using Lambda.Serving.Api;
using Lambda.Serving.Merge;
using Lambda.SharedModel.Time;

namespace Lambda.Cli.Commands;

/// <summary>
/// `lambda query`: the merged metrics of one campaign, straight from the store through the same
/// <see cref="MetricsQuery"/> as the API (no HTTP): a table with each bucket's source and the totals,
/// or with --json the API's JSON.
/// </summary>
internal static class QueryCommand
{
    public static Command Create(PlatformOptions platform)
    {
        var campaign = new Option<string>("--campaign") { Description = "The campaign id.", Required = true };
        var from = new Option<string>("--from") { Description = "Start, ISO-8601 with a zone (e.g. 2026-11-22T00:00:00Z) or a date.", Required = true };
        var to = new Option<string>("--to") { Description = "End (exclusive), ISO-8601 with a zone or a date.", Required = true };
        var granularity = new Option<string>("--granularity") { Description = "minute, hour or day.", DefaultValueFactory = _ => "minute" };
        var json = new Option<bool>("--json") { Description = "Print the API's JSON answer instead of a table." };
        var command = new Command("query", "Query one campaign's merged metrics (batch before W, speed after) from the store.")
        {
            campaign, from, to, granularity, json,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var fromMs = ParseTime(parsed.GetValue(from)!, "--from");
            var toMs = ParseTime(parsed.GetValue(to)!, "--to");
            if (!Granularities.TryParse(parsed.GetValue(granularity), out var g))
            {
                throw new UsageException($"unknown --granularity '{parsed.GetValue(granularity)}': expected minute, hour or day");
            }
            if (QueryLimits.Check(fromMs, toMs, g) is { } bad)
            {
                throw new UsageException($"--{bad.Field}: {bad.Message}");
            }

            await using var store = await platform.OpenStoreAsync(parsed, cancellationToken).ConfigureAwait(false);
            using var query = new MetricsQuery(store, TimeProvider.System, TimeSpan.Zero);
            var answer = await query.RunAsync(parsed.GetValue(campaign)!, fromMs, toMs, g, cancellationToken).ConfigureAwait(false);
            var output = parsed.InvocationConfiguration.Output;
            if (parsed.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(answer, ServingJsonContext.Default.MetricsAnswer)).ConfigureAwait(false);
            }
            else
            {
                await output.WriteAsync(Table(answer)).ConfigureAwait(false);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The answer as a text table: a header, a line per bucket, the totals and the gaps.</summary>
    internal static string Table(MetricsAnswer a)
    {
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine(inv, $"campaign {a.CampaignId}  {Iso(a.From)} .. {Iso(a.To)} per {a.Granularity}");
        text.AppendLine(inv, $"batch watermark {(a.BatchWatermark is { } w ? Iso(w) : "-")}  version {(a.BatchVersion?.ToString(inv) ?? "-")}  speed watermark {(a.Freshness.SpeedWatermark is { } s ? Iso(s) : "-")}  lag {a.Freshness.Lag}");
        text.AppendLine(inv, $"{"bucket",-20} {"source",-7} {"approx",-6} {"impressions",12} {"views",10} {"clicks",8} {"spend_micros",14} {"ctr",8} {"uniques",10} {"±",7} {"bots",7} {"late",6} {"unattr",6} {"dupes",6}");
        foreach (var r in a.Rows)
        {
            text.AppendLine(inv,
                $"{Iso(r.Bucket),-20} {Source(r.Source),-7} {(r.Approximate ? "yes" : "no"),-6} {r.Impressions,12} {r.Views,10} {r.Clicks,8} {r.SpendMicros,14} {r.Ctr,8:F4} {r.Uniques,10} {r.UniquesError,7} {r.BotFiltered,7} {r.Late,6} {r.Unattributed,6} {r.Duplicates,6}");
        }
        var t = a.Totals;
        text.AppendLine(inv,
            $"{"total",-20} {"",-7} {(t.Approximate ? "yes" : "no"),-6} {t.Impressions,12} {t.Views,10} {t.Clicks,8} {t.SpendMicros,14} {t.Ctr,8:F4} {t.Uniques,10} {t.UniquesError,7} {t.BotFiltered,7} {t.Late,6} {t.Unattributed,6} {t.Duplicates,6}");
        foreach (var gap in a.Gaps)
        {
            text.AppendLine(inv, $"missing {Iso(gap.From)} .. {Iso(gap.To)}: neither layer covers it (not counted in the totals)");
        }
        return text.ToString();
    }

    private static string Source(BucketSource source) => source switch
    {
        BucketSource.Batch => "batch",
        BucketSource.Speed => "speed",
        _ => "missing",
    };

    private static string Iso(DateTime time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static long ParseTime(string text, string option)
    {
        if (IsoTimestamp.TryParse(Encoding.UTF8.GetBytes(text.Trim()), out var ms))
        {
            return ms;
        }
        if (DateTime.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date))
        {
            return new DateTimeOffset(date, TimeSpan.Zero).ToUnixTimeMilliseconds();
        }
        throw new UsageException($"{option}: '{text}' is not an ISO-8601 time with a zone (e.g. 2026-11-22T00:00:00Z) or a date");
    }
}
