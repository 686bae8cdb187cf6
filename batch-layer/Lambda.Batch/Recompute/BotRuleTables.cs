using Lambda.DuckDb;
using Lambda.SharedModel.Bots;

namespace Lambda.Batch.Recompute;

/// <summary>
/// Loads <see cref="BotRules"/> into the DuckDB tables the recompute joins against: <c>bot_ip</c>
/// (inclusive ranges as the two 64-bit halves of <see cref="IpKey"/>, like the master's ip_hi/ip_lo)
/// and <c>bot_ua</c> (lower-case substrings). The rules stay data: no SQL is built from them.
/// </summary>
internal static class BotRuleTables
{
    public static void Load(DuckDbConnection connection, BotRules rules)
    {
        using (var ranges = connection.CreateAppender("bot_ip"))
        {
            foreach (var (start, end) in rules.IpRanges)
            {
                ranges.AppendUInt64((ulong)(start >> 64));
                ranges.AppendUInt64((ulong)start);
                ranges.AppendUInt64((ulong)(end >> 64));
                ranges.AppendUInt64((ulong)end);
                ranges.EndRow();
            }

            ranges.Close();
        }

        using var substrings = connection.CreateAppender("bot_ua");
        foreach (var substring in rules.UserAgentSubstrings)
        {
            substrings.AppendVarchar(substring);
            substrings.EndRow();
        }

        substrings.Close();
    }
}
