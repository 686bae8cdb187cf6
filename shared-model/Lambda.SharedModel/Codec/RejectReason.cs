namespace Lambda.SharedModel.Codec;

/// <summary>
/// Why a record was rejected. The numeric values and the codes returned by
/// <see cref="RejectReasons.Code"/> are persisted in dead letters: never renumber or rename them.
/// </summary>
public enum RejectReason : byte
{
    None = 0,
    MalformedJson = 1,
    MissingField = 2,
    EmptyField = 3,
    WrongType = 4,
    EventTimeInFuture = 5,
    EventTimeTooOld = 6,
    TooLarge = 7,
    FieldTooLong = 8,
    UnknownTopic = 9,
    InvalidValue = 10,
}

public static class RejectReasons
{
    /// <summary>The stable snake_case code of a reason, as written to dead letters and summaries.</summary>
    public static string Code(this RejectReason reason) => reason switch
    {
        RejectReason.None => "none",
        RejectReason.MalformedJson => "malformed_json",
        RejectReason.MissingField => "missing_field",
        RejectReason.EmptyField => "empty_field",
        RejectReason.WrongType => "wrong_type",
        RejectReason.EventTimeInFuture => "event_time_in_future",
        RejectReason.EventTimeTooOld => "event_time_too_old",
        RejectReason.TooLarge => "too_large",
        RejectReason.FieldTooLong => "field_too_long",
        RejectReason.UnknownTopic => "unknown_topic",
        RejectReason.InvalidValue => "invalid_value",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };
}
