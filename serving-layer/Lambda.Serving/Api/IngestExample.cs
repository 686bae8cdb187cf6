namespace Lambda.Serving.Api;

/// <summary>One rejected record of a refused POST /v1/events: its 1-based position among the records, the line it starts on, and why.</summary>
public sealed record IngestExample(long Record, int Line, string Reason, string? Field, string Message);
