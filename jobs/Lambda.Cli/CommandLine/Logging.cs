using Microsoft.Extensions.Logging;

namespace Lambda.Cli.CommandLine;

/// <summary>
/// Structured logging for long-running commands: JSON lines (one object per event, with its
/// event id and named fields) when output is not a terminal, or when LAMBDA_LOG_FORMAT=json;
/// a compact single line per event on a terminal. LAMBDA_LOG_LEVEL sets the level of the platform's own categories.
/// </summary>
internal static class Logging
{
    public static ILoggerFactory Create()
    {
        var json = Environment.GetEnvironmentVariable("LAMBDA_LOG_FORMAT") switch
        {
            "json" => true,
            "text" => false,
            _ => Console.IsErrorRedirected,
        };
        return LoggerFactory.Create(builder =>
        {
            builder.SetMinimumLevel(LogLevel.Information);
            // Logs go to stderr so that a command's own output (tables, JSON) stays clean on stdout.
            if (json)
            {
                builder.AddJsonConsole(o =>
                {
                    o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                    o.UseUtcTimestamp = true;
                });
            }
            else
            {
                builder.AddSimpleConsole(o =>
                {
                    o.SingleLine = true;
                    o.TimestampFormat = "HH:mm:ss ";
                    o.UseUtcTimestamp = true;
                });
            }

            builder.AddFilter("Microsoft", LogLevel.Warning);
            // Hangfire's informational lines (each server start, each process) add nothing to the platform's own job lines.
            builder.AddFilter("Hangfire", LogLevel.Warning);
            // LAMBDA_LOG_LEVEL=debug shows the platform's own debug lines (e.g. each flush, checkpoint and
            // append starting, which the chaos test kills on) without the libraries' debug noise.
            if (Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("LAMBDA_LOG_LEVEL"), ignoreCase: true, out var level))
            {
                builder.AddFilter("Lambda", level);
            }

            builder.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        });
    }
}
