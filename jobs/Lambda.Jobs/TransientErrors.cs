using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Lambda.Jobs;

/// <summary>
/// Classifies a job's failure: transient errors (a busy or unreachable database, a timeout, an I/O
/// hiccup) are retried with backoff; anything else is fatal and raised as an alert.
/// </summary>
public static class TransientErrors
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    /// <summary>True if running the job again may succeed without anyone changing anything.</summary>
    public static bool IsTransient(Exception error) => error switch
    {
        TransientJobException => true,
        TimeoutException => true,
        SqliteException sqlite => sqlite.SqliteErrorCode is SqliteBusy or SqliteLocked,
        DbException db => db.IsTransient,
        // Missing files and paths are configuration faults; other I/O errors (a full pipe, a lock held
        // by a crashed process being cleaned up) tend to pass.
        FileNotFoundException or DirectoryNotFoundException or PathTooLongException => false,
        IOException => true,
        _ => error.InnerException is { } inner && IsTransient(inner),
    };
}
