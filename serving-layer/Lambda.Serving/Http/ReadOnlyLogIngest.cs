using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Lambda.Serving.Http;

/// <summary>
/// Registered (as a singleton) by a host that reads an event log another process owns, such as
/// <c>lambda serve</c> beside the process that owns the embedded log: POST /v1/events cannot append
/// here, so it answers 503 with the problem <paramref name="describe"/> gives at request time (who owns
/// the log, where to send events instead), never a 500.
/// </summary>
public sealed class ReadOnlyLogIngest(Func<ProblemDetails> describe)
{
    /// <summary>The 503 answer of POST /v1/events.</summary>
    public IResult Answer()
    {
        var problem = describe();
        problem.Status = StatusCodes.Status503ServiceUnavailable;
        problem.Title ??= "The event log is read-only on this host";
        return Results.Problem(problem);
    }
}
