using Lambda.DuckDb;

namespace Lambda.Batch.Recompute;

/// <summary>
/// One day's records as <see cref="ExactViewSql.SelectDay"/> gives them, copied out of DuckDB's
/// vectors into reusable arrays (so the next day's SQL can run while <see cref="DayRowBuilder"/> works
/// on these); the unattributed records counted on the way and left out, and the day check kept.
/// </summary>
internal sealed class DayRecords
{
    /// <summary>The kind in the low two bits of <see cref="Flags"/>.</summary>
    public const int KindMask = 3;

    /// <summary>Set in <see cref="Flags"/> when the record has a user hash.</summary>
    public const int HasUser = 16;

    private DayRecord[] _records = new DayRecord[4096];

    /// <summary>The day's date (its totals are recorded under it).</summary>
    public DateOnly Date { get; set; }

    /// <summary>Attributed records loaded.</summary>
    public int Count { get; private set; }

    /// <summary>The attributed records, in the result's order until <see cref="DayRowBuilder"/> sorts them in place.</summary>
    public Span<DayRecord> Records => _records.AsSpan(0, Count);

    /// <summary>The highest campaign number loaded (-1 when none).</summary>
    public int MaxCid { get; private set; }

    /// <summary>The first and last minute loaded.</summary>
    public long MinMinute { get; private set; }

    /// <inheritdoc cref="MinMinute"/>
    public long MaxMinute { get; private set; }

    /// <summary>Counted views of ads no served record names.</summary>
    public long UnattributedViews { get; private set; }

    /// <summary>Counted clicks of such ads.</summary>
    public long UnattributedClicks { get; private set; }

    /// <summary>Bot records without a campaign.</summary>
    public long UnattributedBots { get; private set; }

    /// <summary>Duplicate records without a campaign.</summary>
    public long UnattributedDuplicates { get; private set; }

    /// <summary>Whether any record had no campaign.</summary>
    public bool AnyUnattributed => UnattributedViews + UnattributedClicks + UnattributedBots + UnattributedDuplicates + _unattributedOther > 0;

    private readonly long[] _checks = new long[ExactViewSql.CheckMetrics];
    private readonly HashSet<string> _unattributedAds = new(StringComparer.Ordinal);
    private long _unattributedOther;

    /// <summary>Distinct non-bot served, view and click event ids, bot records, records, distinct user ids and user hashes (<see cref="ExactViewSql.SelectDay"/>).</summary>
    public ReadOnlySpan<long> Checks => _checks;

    /// <summary>The ads of unattributed records, in UTF-8 byte order (DuckDB's).</summary>
    public List<string> UnattributedAdIds()
    {
        var ads = _unattributedAds.ToList();
        ads.Sort((a, b) => System.Text.Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(System.Text.Encoding.UTF8.GetBytes(b)));
        return ads;
    }

    /// <summary>Replaces the content with the records of <paramref name="reader"/>.</summary>
    public void Load(DuckDbDataReader reader)
    {
        Count = 0;
        MaxCid = -1;
        MinMinute = long.MaxValue;
        MaxMinute = long.MinValue;
        UnattributedViews = UnattributedClicks = UnattributedBots = UnattributedDuplicates = _unattributedOther = 0;
        _unattributedAds.Clear();
        _checks.AsSpan().Fill(-1);
        EnsureCapacity((int)Math.Min(reader.RowCount, int.MaxValue));
        while (reader.ReadChunk())
        {
            var n = reader.ChunkRowCount;
            var cids = reader.GetInt32Vector(0);
            var minutes = reader.GetInt64Vector(1);
            var flags = reader.GetInt32Vector(2);
            var costs = reader.GetInt64Vector(3);
            var hashes = reader.GetUInt64Vector(4);
            bool cidsValid = reader.HasNoNulls(0), costsValid = reader.HasNoNulls(3), hashesValid = reader.HasNoNulls(4);
            for (var i = 0; i < n; i++)
            {
                var flag = flags[i];
                if (!cidsValid && reader.IsNullAt(0, i))
                {
                    CountUnattributed(flag);
                    if (!reader.IsNullAt(5, i))
                    {
                        _unattributedAds.Add(System.Text.Encoding.UTF8.GetString(reader.GetBytesAt(5, i)));
                    }

                    continue;
                }

                var cid = cids[i];
                if (cid == ExactViewSql.CheckRow)
                {
                    _checks[flag] = costs[i];
                    continue;
                }

                ref var record = ref _records[Count++];
                var minute = minutes[i];
                record.Cid = cid;
                record.Minute = minute;
                record.Cost = costsValid || !reader.IsNullAt(3, i) ? costs[i] : 0;
                var hasUser = hashesValid || !reader.IsNullAt(4, i);
                record.Hash = hasUser ? hashes[i] : 0;
                record.Flags = hasUser ? flag | HasUser : flag;
                MaxCid = Math.Max(MaxCid, cid);
                MinMinute = Math.Min(MinMinute, minute);
                MaxMinute = Math.Max(MaxMinute, minute);
            }
        }
    }

    private void CountUnattributed(int flag)
    {
        switch ((flag >> 2, flag & KindMask))
        {
            case (ExactViewSql.Bot, _):
                UnattributedBots++;
                break;
            case (ExactViewSql.Duplicate, _):
                UnattributedDuplicates++;
                break;
            case (_, 1):
                UnattributedViews++;
                break;
            case (_, 2):
                UnattributedClicks++;
                break;
            default:
                // A counted served record without a campaign: in no row and no unattributed counter (as before).
                _unattributedOther++;
                break;
        }
    }

    private void EnsureCapacity(int rows)
    {
        if (rows > _records.Length)
        {
            _records = new DayRecord[Math.Max(rows, _records.Length * 2)];
        }
    }
}
