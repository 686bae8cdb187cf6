using Microsoft.Extensions.Logging;

namespace Lambda.Cli.CommandLine;

/// <summary>
/// Structured logging for long-running commands: JSON lines (one object per event, with its
/// event id and named fields) when output is not a terminal, or when LAMBDA_LOG_FORMAT=json;
/// a compact single line per event on a terminal.
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
            builder.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        });
    }
}
