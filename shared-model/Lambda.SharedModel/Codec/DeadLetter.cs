using System.Text;
using System.Text.Unicode;

namespace Lambda.SharedModel.Codec;

/// <summary>
/// A rejected record as written to the <c>dead-letters</c> topic: why it was rejected, where it came
/// from, and the original bytes. <see cref="DeadLetterCodec"/> gives its JSON form.
/// </summary>
public sealed record DeadLetter
{
    /// <summary>Why the record was rejected (written as its <see cref="RejectReasons.Code"/>).</summary>
    public required RejectReason Reason { get; init; }

    /// <summary>A human-readable explanation.</summary>
    public required string Message { get; init; }

    /// <summary>The wire name of the offending field, if one.</summary>
    public string? Field { get; init; }

    /// <summary>Where the record came from: a file path, <c>stdin</c>, <c>http</c>, <c>speed:ad-views[2]@1234</c>.</summary>
    public required string Source { get; init; }

    /// <summary>The 1-based line in <see cref="Source"/>, when it is line-oriented.</summary>
    public long? Line { get; init; }

    /// <summary>The topic the record was meant for, if known.</summary>
    public string? Topic { get; init; }

    /// <summary>The rejected bytes, exactly as received.</summary>
    public required ReadOnlyMemory<byte> Original { get; init; }

    /// <summary>The original bytes as text when they are valid UTF-8, else null.</summary>
    public string? OriginalText => Utf8.IsValid(Original.Span) ? Encoding.UTF8.GetString(Original.Span) : null;

    /// <summary>A dead letter for a record the decoder rejected with <paramref name="result"/>.</summary>
    public static DeadLetter From(DecodeResult result, ReadOnlySpan<byte> original, string source, long? line, string? topic) => new()
    {
        Reason = result.Reason,
        Message = result.Message,
        Field = result.Field,
        Source = source,
        Line = line,
        Topic = topic,
        Original = original.ToArray(),
    };

    public bool Equals(DeadLetter? other) =>
        other is not null && Reason == other.Reason && Message == other.Message && Field == other.Field
        && Source == other.Source && Line == other.Line && Topic == other.Topic
        && Original.Span.SequenceEqual(other.Original.Span);

    public override int GetHashCode() => HashCode.Combine(Reason, Message, Field, Source, Line, Topic, Original.Length);
}
