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
    /// <summary>A known field appears twice in one record (the codec rejects rather than guess which wins).</summary>
    DuplicateField = 11,
    /// <summary>An ad-served record names an advertiser that does not own its campaign (see <c>IViewStore.ClaimCampaignsAsync</c>).</summary>
    CampaignOwnerMismatch = 12,
}
