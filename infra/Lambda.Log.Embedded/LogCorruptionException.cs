namespace Lambda.Log.Embedded;

/// <summary>
/// A read reached bytes whose checksum or framing is wrong in the middle of the log (not a torn tail,
/// which is cut on open). Records before the bad range were served; none from it ever are.
/// </summary>
public sealed class LogCorruptionException(string segmentPath, long position, long offset, string detail)
    : IOException($"corrupt log data in '{segmentPath}' at byte {position} (record offset {offset} onwards): {detail}")
{
    /// <summary>The segment file holding the bad bytes.</summary>
    public string SegmentPath { get; } = segmentPath;

    /// <summary>Byte position in the segment where the bad batch starts.</summary>
    public long Position { get; } = position;

    /// <summary>The first record offset that cannot be served.</summary>
    public long Offset { get; } = offset;
}
