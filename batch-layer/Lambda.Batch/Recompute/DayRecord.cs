namespace Lambda.Batch.Recompute;

/// <summary>
/// One attributed record of a day (<see cref="DayRecords"/>), 32 bytes: the fields travel together
/// through <see cref="DayRowBuilder"/>'s counting sorts, so the pass after them reads memory in order
/// (with one array per field it read five arrays at random, a cache miss each at 3.3M records a day).
/// </summary>
internal struct DayRecord
{
    /// <summary>Minute start (ms).</summary>
    public long Minute;

    /// <summary>User hash (meaningful with <see cref="DayRecords.HasUser"/>).</summary>
    public ulong Hash;

    /// <summary>Cost in micros (0 when NULL).</summary>
    public long Cost;

    /// <summary>Campaign number (see <c>campaigns</c>).</summary>
    public int Cid;

    /// <summary>Kind, 4 × how it counts (<see cref="ExactViewSql.Counted"/>, Bot, Duplicate), <see cref="DayRecords.HasUser"/>.</summary>
    public int Flags;
}
