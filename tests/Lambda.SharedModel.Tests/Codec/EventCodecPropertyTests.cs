using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Lambda.SharedModel.Codec;
using Lambda.SharedModel.Events;

namespace Lambda.SharedModel.Tests.Codec;

/// <summary>encode → decode is the identity on every valid record.</summary>
public sealed class EventCodecPropertyTests
{
    private const long NowMs = 1714564800000;

    // Pieces that stress escaping: quotes, backslashes, controls, HTML characters, 2-, 3- and 4-byte UTF-8.
    private static readonly string[] Pieces =
    [
        "a", "Z", "0", "-", " ", "\"", "\\", "/", "\n", "\t", "\u0001", "\u001f", "\u007f", "<", ">", "&", "'", "+",
        "é", "ß", "\u0800", "日本", "\uffff", "😀", "\U0010FFFF", "\u2028",
    ];

    private static Gen<string> Text(int maxPieces) =>
        from count in Gen.Choose(1, maxPieces)
        from pieces in Gen.ArrayOf(Gen.Elements(Pieces), count)
        select string.Concat(pieces);

    // At most 32 pieces of at most 4 bytes: ids stay within the 128-byte limit.
    private static readonly Gen<string> Id = Text(32);

    private static readonly Gen<AdEventRecord> Records =
        from kind in Gen.Elements(EventKind.Served, EventKind.View, EventKind.Click)
        from eventId in Id
        from adId in Id
        from campaignId in Id
        from advertiserId in Id
        from userId in Id
        from ip in Id
        from userAgent in Text(200)
        from placement in Text(20)
        from score in Gen.Elements(0.0, -0.0, 1.0, 0.1, -1e-300, 1e300, double.Epsilon, double.MaxValue, 1.0 / 3).Select(s => s)
        from scoreNoise in Gen.Choose(-1_000_000, 1_000_000)
        from cost in Gen.Elements(0L, 1L, long.MaxValue, 1_000_000L)
        from costNoise in Gen.Choose(0, int.MaxValue)
        from time in Gen.Choose(0, int.MaxValue)
        select kind == EventKind.Served
            ? new AdEventRecord
            {
                Kind = kind,
                EventId = eventId,
                AdId = adId,
                CampaignId = campaignId,
                AdvertiserId = advertiserId,
                UserId = userId,
                Ip = ip,
                UserAgent = userAgent,
                Placement = placement,
                Score = score + (scoreNoise / 7.0),
                CostMicros = cost == long.MaxValue ? cost : cost + costNoise,
                EventTimeMs = EventDecoder.MinEventTimeMs + ((NowMs - EventDecoder.MinEventTimeMs) / int.MaxValue * time),
            }
            : new AdEventRecord
            {
                Kind = kind,
                EventId = eventId,
                AdId = adId,
                UserId = userId,
                Ip = ip,
                UserAgent = userAgent,
                EventTimeMs = NowMs + EventDecoder.DefaultMaxFutureSkewMs - time,
            };

    [Fact]
    public void encode_then_decode_round_trips_any_valid_record()
    {
        using var encoder = new EventEncoder();
        var decoder = new EventDecoder();

        Prop.ForAll(Records.ToArbitrary(), record =>
            {
                var json = encoder.Encode(record);
                var ok = decoder.TryDecodeRecord(record.Kind, json, NowMs, out var decoded, out var result);
                return ok && record == decoded
                    ? true
                    : throw new InvalidOperationException($"{result} for {Encoding.UTF8.GetString(json)}: got {decoded}");
            })
            .QuickCheckThrowOnFailure();
    }
}
