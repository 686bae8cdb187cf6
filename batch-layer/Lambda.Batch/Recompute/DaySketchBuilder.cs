using Lambda.DuckDb;

namespace Lambda.Batch.Recompute;

/// <summary>
/// Builds one day's sketches from the register query: minute sketches from their registers, hour and
/// day sketches by folding the minute registers (the max of maxima, so the same registers a
/// GROUP BY hour would give), appended to the <c>sketches</c> table in one streaming pass.
/// </summary>
internal static class DaySketchBuilder
{
    public static void Build(DuckDbConnection connection)
    {
        var campaigns = new List<string>();
        using (var reader = connection.Query(ExactViewSql.SelectDayCampaigns))
        {
            while (reader.Read())
            {
                campaigns.Add(reader.GetString(0));
            }
        }

        if (campaigns.Count == 0)
        {
            return;
        }

        var minute = new SketchRegisters();
        var hour = new SketchRegisters();
        var day = new SketchRegisters();
        using var appender = connection.CreateAppender("sketches");
        using var registers = connection.Query(ExactViewSql.SelectMinuteRegisters);
        int cid = -1;
        long minuteMs = long.MinValue, hourMs = long.MinValue, dayMs = long.MinValue;
        while (registers.Read())
        {
            var rowCid = registers.GetInt32(0);
            var rowMinute = registers.GetInt64(1);
            if (rowCid != cid || rowMinute != minuteMs)
            {
                if (cid >= 0)
                {
                    Emit(appender, "minute", campaigns[cid], minuteMs, minute);
                    var rowHour = rowMinute - (rowMinute % 3_600_000);
                    if (rowCid != cid || rowHour != hourMs)
                    {
                        Emit(appender, "hour", campaigns[cid], hourMs, hour);
                    }

                    if (rowCid != cid)
                    {
                        Emit(appender, "day", campaigns[cid], dayMs, day);
                    }
                }

                cid = rowCid;
                minuteMs = rowMinute;
                hourMs = rowMinute - (rowMinute % 3_600_000);
                dayMs = rowMinute - (rowMinute % 86_400_000);
            }

            var index = registers.GetInt32(2);
            var rho = (byte)registers.GetInt32(3);
            minute.Add(index, rho);
            hour.Add(index, rho);
            day.Add(index, rho);
        }

        if (cid >= 0)
        {
            Emit(appender, "minute", campaigns[cid], minuteMs, minute);
            Emit(appender, "hour", campaigns[cid], hourMs, hour);
            Emit(appender, "day", campaigns[cid], dayMs, day);
        }

        appender.Close();
    }

    private static void Emit(DuckDbAppender appender, string granularity, string campaignId, long bucketStartMs, SketchRegisters registers)
    {
        if (registers.Count == 0)
        {
            return;
        }

        appender.AppendVarchar(granularity);
        appender.AppendVarchar(campaignId);
        appender.AppendInt64(bucketStartMs);
        appender.AppendBlob(registers.ToBytes());
        appender.EndRow();
        registers.Clear();
    }
}
