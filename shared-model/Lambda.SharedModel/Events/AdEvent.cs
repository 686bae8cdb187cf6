namespace Lambda.SharedModel.Events;

/// <summary>
/// A decoded ad event whose string fields are UTF-8 spans into the input record (or into the
/// decoder's scratch buffer when a string had JSON escapes). Valid only until the decoder is
/// used again or the input buffer is reused: copy what must outlive the record.
/// </summary>
public ref struct AdEvent
{
    public EventKind Kind;
    public ReadOnlySpan<byte> EventId;
    public ReadOnlySpan<byte> AdId;
    /// <summary>Empty unless <see cref="Kind"/> is <see cref="EventKind.Served"/>.</summary>
    public ReadOnlySpan<byte> CampaignId;
    /// <summary>Empty unless <see cref="Kind"/> is <see cref="EventKind.Served"/>.</summary>
    public ReadOnlySpan<byte> AdvertiserId;
    public ReadOnlySpan<byte> UserId;
    public ReadOnlySpan<byte> Ip;
    public ReadOnlySpan<byte> UserAgent;
    public ReadOnlySpan<byte> Placement;
    public double Score;
    public long CostMicros;
    /// <summary>Event time in Unix epoch milliseconds, UTC.</summary>
    public long EventTimeMs;
}
