using Lambda.SharedModel.Events;

namespace Lambda.SharedModel.Codec;

/// <summary>
/// The outcome of decoding one record: <see cref="IsOk"/>, or a <see cref="Reason"/> and the field it
/// concerns. Carries no message text so that failures cost no allocation until <see cref="Message"/> is read.
/// </summary>
public readonly struct DecodeResult : IEquatable<DecodeResult>
{
    public DecodeResult(RejectReason reason, string? field)
    {
        Reason = reason;
        Field = field;
    }

    /// <summary>A successful decode.</summary>
    public static DecodeResult Ok => default;

    /// <summary><see cref="RejectReason.None"/> when the record was accepted.</summary>
    public RejectReason Reason { get; }

    /// <summary>The wire name of the offending field (one of <see cref="EventFields"/>), or null.</summary>
    public string? Field { get; }

    public bool IsOk => Reason == RejectReason.None;

    /// <summary>A human-readable explanation, built on demand.</summary>
    public string Message => Reason switch
    {
        RejectReason.None => "ok",
        RejectReason.MalformedJson => Field is null
            ? "malformed JSON: the record must be one well-formed UTF-8 JSON object"
            : $"malformed JSON in field '{Field}'",
        RejectReason.MissingField => $"missing required field '{Field}'",
        RejectReason.EmptyField => $"required field '{Field}' is empty",
        RejectReason.WrongType => $"field '{Field}' has the wrong JSON type",
        RejectReason.EventTimeInFuture => $"'{Field}' is further ahead of the time the record was received than the allowed clock skew",
        RejectReason.EventTimeTooOld => $"'{Field}' is before 2000-01-01T00:00:00Z",
        RejectReason.TooLarge => $"record is larger than {EventDecoder.MaxRecordBytes} bytes",
        RejectReason.FieldTooLong => $"field '{Field}' is longer than {EventDecoder.MaxIdBytes} bytes",
        RejectReason.UnknownTopic => $"unknown topic (expected one of {string.Join(", ", Topics.EventTopics)})",
        RejectReason.InvalidValue => $"field '{Field}' has an invalid value",
        RejectReason.DuplicateField => $"field '{Field}' appears more than once",
        RejectReason.CampaignOwnerMismatch => $"'{Field}' is not an owner of the campaign: a campaign's owner is set by its first served record and changes only by an admin transfer",
        _ => Reason.ToString(),
    };

    public bool Equals(DecodeResult other) => Reason == other.Reason && Field == other.Field;

    public override bool Equals(object? obj) => obj is DecodeResult other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Reason, Field);

    public override string ToString() => IsOk ? "ok" : $"{Reason.Code()}: {Message}";

    public static bool operator ==(DecodeResult left, DecodeResult right) => left.Equals(right);

    public static bool operator !=(DecodeResult left, DecodeResult right) => !left.Equals(right);
}
