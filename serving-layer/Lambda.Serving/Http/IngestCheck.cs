using Lambda.Serving.Api;
using Lambda.SharedModel.Codec;

namespace Lambda.Serving.Http;

/// <summary>
/// What checking a request's records found before any was appended: how many, how many would be
/// rejected and why, and the first few rejections with their place in the body. A request whose
/// rejections pass the bounds (<see cref="ServingOptions.IngestMaxRejected"/>,
/// <see cref="ServingOptions.IngestMaxRejectedShare"/>) is refused whole: dead-lettering junk line by
/// line turned 4 MiB of <c>x\n</c> into 2 million dead letters (125× the input).
/// </summary>
public sealed class IngestCheck
{
    /// <summary>Rejections kept as examples for the refusal.</summary>
    public const int MaxExamples = 5;

    /// <summary>
    /// The share bound applies from this many records: one bad record out of two is a producer's bug
    /// to find in dead letters, not a flood.
    /// </summary>
    public const int ShareAppliesFrom = 100;

    private readonly Dictionary<string, long> _reasons = new(StringComparer.Ordinal);
    private readonly List<IngestExample> _examples = [];

    /// <summary>Records in the body.</summary>
    public long Records { get; private set; }

    /// <summary>Records checked: all of them, unless the count bound was passed first (then the rest are only counted).</summary>
    public long Checked { get; private set; }

    public long Rejected { get; private set; }

    /// <summary>Rejections per reason code.</summary>
    public IReadOnlyDictionary<string, long> Reasons => _reasons;

    /// <summary>The first <see cref="MaxExamples"/> rejections.</summary>
    public IReadOnlyList<IngestExample> Examples => _examples;

    /// <summary>Counts the outcome of checking the record at 1-based <paramref name="position"/>, starting on <paramref name="line"/>.</summary>
    public void Count(DecodeResult result, long position, int line)
    {
        Records++;
        Checked++;
        if (result.IsOk)
        {
            return;
        }
        Rejected++;
        var code = result.Reason.Code();
        _reasons[code] = _reasons.GetValueOrDefault(code) + 1;
        if (_examples.Count < MaxExamples)
        {
            _examples.Add(new IngestExample(position, line, code, result.Field, result.Message));
        }
    }

    /// <summary>
    /// Whether the next record needs checking: not once the count bound is passed, as the request is
    /// refused anyway (a body of records that each cost the decoder an exception would otherwise take seconds).
    /// </summary>
    public bool NeedsChecking(ServingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Rejected <= options.IngestMaxRejected;
    }

    /// <summary>Counts a record that was not checked (see <see cref="NeedsChecking"/>).</summary>
    public void Skip() => Records++;

    /// <summary>Why the request is refused whole under <paramref name="options"/>' bounds; null if it may be appended.</summary>
    public string? Refusal(ServingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (Rejected > options.IngestMaxRejected)
        {
            return $"{Rejected} of the first {Checked} of {Records} records are invalid, more than the {options.IngestMaxRejected} a request may carry; "
                + "nothing was appended: fix the producer and resend";
        }
        if (Records >= ShareAppliesFrom && Rejected > options.IngestMaxRejectedShare * Records)
        {
            return $"{Rejected} of {Records} records are invalid, more than the share of {options.IngestMaxRejectedShare:P0} a request may carry; "
                + "nothing was appended: fix the producer and resend";
        }
        return null;
    }
}
