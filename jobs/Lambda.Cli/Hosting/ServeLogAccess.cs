using System.CommandLine;
using Lambda.Cli.CommandLine;
using Lambda.Log.Embedded;
using Lambda.Serving.Http;
using Lambda.SharedModel.Log;
using Microsoft.AspNetCore.Mvc;

namespace Lambda.Cli.Hosting;

/// <summary>
/// How `lambda serve` reaches the log. Kafka: as a client, like every process. Embedded: the log has
/// one owner (the process that runs the speed layer); serve owns it only if it is free (auto) or asked
/// to (owner), else it serves read-only, without the log: POST /v1/events answers 503 naming the owner.
/// </summary>
internal sealed record ServeLogAccess(IEventLog? Log, ReadOnlyLogIngest? ReadOnlyIngest, string Description, string? Notice)
{
    public const string Auto = "auto";
    public const string Owner = "owner";
    public const string ReadOnly = "read-only";

    public static async Task<ServeLogAccess> OpenAsync(PlatformOptions platform, ParseResult parsed, string access, string owner,
        CancellationToken cancellationToken)
    {
        if (parsed.GetValue(platform.LogKind) == "kafka")
        {
            var kafka = await platform.OpenLogAsync(parsed, cancellationToken).ConfigureAwait(false);
            return new ServeLogAccess(kafka, null, "kafka log", null);
        }

        var root = Path.GetFullPath(Path.Combine(parsed.GetValue(platform.DataDir)!, "log"));
        string? notice = null;
        if (access != ReadOnly)
        {
            try
            {
                var log = await platform.OpenLogAsync(parsed, cancellationToken, owner: owner).ConfigureAwait(false);
                return new ServeLogAccess(log, null, $"embedded log at {root}, owned by this process", null);
            }
            catch (LogOwnedException e) when (access == Auto)
            {
                notice = $"lambda serve: the embedded log at {root} is owned by {Describe(e.Owner)}; serving read-only beside it "
                    + "(queries and /v1/status read the store; POST /v1/events answers 503 and names the owner)";
            }
            catch (LogOwnedException e)
            {
                throw new IOException($"{e.Message}. Run 'lambda serve --log-access read-only' (or auto) to serve beside it.", e);
            }
        }

        return new ServeLogAccess(null, new ReadOnlyLogIngest(() => Problem(root)), $"embedded log at {root} read-only: ingest goes to its owner", notice);
    }

    private static string Describe(LogOwner? owner) => owner is null ? "another process" : owner.ToString();

    /// <summary>The 503 of POST /v1/events, read at request time: the owner may have restarted since.</summary>
    private static ProblemDetails Problem(string root)
    {
        var owner = LogOwner.Read(root);
        var problem = new ProblemDetails
        {
            Title = "The event log is read-only on this host",
            Detail = $"This 'lambda serve' reads the embedded log at {root} beside the process that owns it, {Describe(owner)}"
                + (owner is { IsRunning: false } ? " (not running now)" : "")
                + ". Only the owner appends: send events to its POST /v1/events (if it serves the API), or run the platform "
                + "on Kafka (--log kafka), where every process can ingest.",
        };
        problem.Extensions["log"] = root;
        if (owner is not null)
        {
            problem.Extensions["log_owner_pid"] = owner.ProcessId;
            problem.Extensions["log_owner"] = owner.Description;
        }

        return problem;
    }
}
