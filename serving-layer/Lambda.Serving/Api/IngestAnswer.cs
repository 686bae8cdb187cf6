namespace Lambda.Serving.Api;

/// <summary>
/// The answer of <c>POST /v1/events</c>: rejected records went to dead-letters, counted by reason code; every
/// record appended (accepted or dead letter) carries <see cref="RequestId"/> in its <c>lambda-request-id</c> header.
/// </summary>
public sealed record IngestAnswer(long Accepted, long Rejected, IReadOnlyDictionary<string, long> Reasons, string RequestId);
