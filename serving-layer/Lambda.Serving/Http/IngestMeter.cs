using System.Diagnostics.Metrics;

namespace Lambda.Serving.Http;

/// <summary>What <c>POST /v1/events</c> took in: records accepted and rejected, and requests refused whole.</summary>
internal static class IngestMeter
{
    private static readonly Meter Meter = new("Lambda.Serving");

    private static readonly Counter<long> Records = Meter.CreateCounter<long>("lambda.ingest.records", "{record}",
        "Records posted to /v1/events by outcome: accepted (appended to their topic) or rejected (dead-lettered).");

    private static readonly Counter<long> Refused = Meter.CreateCounter<long>("lambda.ingest.refused_requests", "{request}",
        "Requests to /v1/events refused whole (a malformed body, or rejects over the bounds): nothing appended.");

    public static void Appended(long accepted, long rejected)
    {
        Records.Add(accepted, new KeyValuePair<string, object?>("outcome", "accepted"));
        Records.Add(rejected, new KeyValuePair<string, object?>("outcome", "rejected"));
    }

    public static void RefusedRequest(string why) => Refused.Add(1, new KeyValuePair<string, object?>("reason", why));
}
