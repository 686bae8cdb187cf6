using System.Diagnostics.CodeAnalysis;

namespace Lambda.SharedModel.Codec;

/// <summary>The stable codes of <see cref="RejectReason"/>, as written to dead letters and summaries.</summary>
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
        RejectReason.DuplicateField => "duplicate_field",
        RejectReason.CampaignOwnerMismatch => "campaign_owner_mismatch",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    /// <summary>The reason whose <see cref="Code"/> is <paramref name="code"/> (exact, case-sensitive).</summary>
    public static bool TryParseCode(string code, out RejectReason reason)
    {
        foreach (var candidate in Enum.GetValues<RejectReason>())
        {
            if (candidate.Code() == code)
            {
                reason = candidate;
                return true;
            }
        }

        reason = default;
        return false;
    }

    /// <summary>As <see cref="TryParseCode"/>, throwing <see cref="FormatException"/> for an unknown code.</summary>
    public static RejectReason ParseCode(string code) =>
        TryParseCode(code, out var reason) ? reason : ThrowUnknownCode(code);

    [DoesNotReturn]
    private static RejectReason ThrowUnknownCode(string code) =>
        throw new FormatException($"unknown reject reason code '{code}'");
}
