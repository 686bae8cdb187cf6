using System.CommandLine;
using Microsoft.Extensions.Logging;

namespace Lambda.Cli.CommandLine;

/// <summary>
/// Logging of long-running commands, on stderr so that a command's own output (tables, JSON, the
/// demo's keys) stays clean on stdout. By default a short human-readable account: one line per event,
/// the platform's information lines (what started, jobs, batch versions, warnings and errors), libraries
/// only from warnings, routine internals (partition starts, compactions, stage timings) at debug.
/// <c>--log-format json</c> gives one JSON object per event (event id and named fields) for log
/// shippers; <c>--log-level</c> sets the platform's level (debug shows the routine internals).
/// </summary>
internal static class Logging
{
    private static readonly string[] Formats = ["text", "json"];

    public static readonly Option<string> Format = new("--log-format")
    {
        Description = "text (default: one readable line per event) or json (one object per line, for log shippers) (env LAMBDA_LOG_FORMAT).",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("LAMBDA_LOG_FORMAT") is { Length: > 0 } format ? format : "text",
    };

    public static readonly Option<string> Level = new("--log-level")
    {
        Description = "The platform's log level: trace, debug (adds routine internals), information (default), warning, error (env LAMBDA_LOG_LEVEL).",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("LAMBDA_LOG_LEVEL") is { Length: > 0 } level ? level : "information",
    };

    public static IEnumerable<Option> All => [Format, Level];

    /// <exception cref="UsageException">A bad --log-format or --log-level (or its variable).</exception>
    public static ILoggerFactory Create(ParseResult parsed)
    {
        var format = parsed.GetValue(Format)!.ToLowerInvariant();
        if (!Formats.Contains(format))
        {
            throw new UsageException($"--log-format '{format}' is not text or json");
        }

        if (!Enum.TryParse<LogLevel>(parsed.GetValue(Level), ignoreCase: true, out var level) || level == LogLevel.None
            || !Enum.IsDefined(level))
        {
            throw new UsageException($"--log-level '{parsed.GetValue(Level)}' is not trace, debug, information, warning or error");
        }

        return LoggerFactory.Create(builder =>
        {
            if (format == "json")
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

            builder.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            // Libraries (ASP.NET, the scheduler, the Kafka client) speak from warnings on, unless debugging.
            builder.SetMinimumLevel(level <= LogLevel.Debug ? LogLevel.Information : LogLevel.Warning);
            builder.AddFilter("Lambda", level);
        });
    }
}
