using System.Text.Json.Serialization;

namespace Lambda.Serving.Api;

/// <summary>Where the numbers of one bucket come from. Exactly one source per bucket.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BucketSource>))]
public enum BucketSource
{
    /// <summary>The current batch version: exact.</summary>
    [JsonStringEnumMemberName("batch")]
    Batch,

    /// <summary>The speed view (for a bucket straddling W: batch minutes before W plus speed minutes after): approximate.</summary>
    [JsonStringEnumMemberName("speed")]
    Speed,

    /// <summary>Neither layer can vouch for the bucket: its numbers are unknown, not zero.</summary>
    [JsonStringEnumMemberName("missing")]
    Missing,
}
