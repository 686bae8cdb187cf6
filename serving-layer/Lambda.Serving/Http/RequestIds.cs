using System.Buffers;
using Lambda.SharedModel.Ingestion;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Lambda.Serving.Http;

/// <summary>
/// Where a request's id comes from (<see cref="RequestIdMiddleware"/>): the caller's <c>X-Request-Id</c>,
/// else the trace-id of its W3C <c>traceparent</c>, else a new one. The trace-id, not the whole header:
/// it names the caller's whole trace (what a tracing backend is searched by), while the parent-id changes
/// at every hop and the flags only say whether it is sampled.
/// </summary>
public static class RequestIds
{
    public const string Header = "X-Request-Id";
    public const string TraceParentHeader = "traceparent";

    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    /// <summary>
    /// The id of <paramref name="request"/>, or null if its <c>X-Request-Id</c> is not one (the caller asked for
    /// an id the platform cannot carry: refused, not replaced). An empty one counts as none; a malformed
    /// traceparent is ignored, as W3C says.
    /// </summary>
    public static string? Choose(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var given = request.Headers[Header];
        if (!StringValues.IsNullOrEmpty(given))
        {
            return given is [{ } one] && RequestId.IsValid(one) ? one : null;
        }

        return TraceIdOf(request.Headers[TraceParentHeader]) ?? RequestId.New();
    }

    /// <summary>The trace-id of a valid W3C traceparent (<c>version-traceid-parentid-flags</c>), or null.</summary>
    public static string? TraceIdOf(StringValues traceparent)
    {
        if (traceparent is not [{ } value])
        {
            return null;
        }

        var header = value.AsSpan().Trim(" \t");
        // Version 00 is exactly 55 characters; a later version may append fields after a '-'.
        if (header.Length < 55 || (header.Length > 55 && (header.StartsWith("00") || header[55] != '-')))
        {
            return null;
        }

        var version = header[..2];
        var traceId = header[3..35];
        var parentId = header[36..52];
        var flags = header[53..55];
        var wellFormed = header[2] == '-' && header[35] == '-' && header[52] == '-'
            && IsLowerHex(version) && !version.SequenceEqual("ff") && IsLowerHex(traceId) && IsLowerHex(parentId) && IsLowerHex(flags)
            && traceId.ContainsAnyExcept('0') && parentId.ContainsAnyExcept('0');
        return wellFormed ? traceId.ToString() : null;
    }

    private static bool IsLowerHex(ReadOnlySpan<char> text) => !text.ContainsAnyExcept(LowerHex);
}
