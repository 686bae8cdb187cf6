using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Lambda.Serving.Http;

/// <summary>ProblemDetails (RFC 9457) for every error the API returns; bad input names its field.</summary>
public static class Problems
{
    /// <summary>A 400 naming <paramref name="field"/> (in <c>field</c> and in <c>errors</c>).</summary>
    public static IResult BadField(string field, string message) => Results.Problem(BadFieldProblem(field, message));

    /// <summary>
    /// The 400 of a POST /v1/events refused whole (naming <c>body</c>), with the check's summary:
    /// <c>records</c>, <c>checked</c> (all records, or those checked until the count bound was passed),
    /// <c>rejected</c> and <c>reasons</c> (count per code, of those checked) and <c>examples</c> (the
    /// first few rejections with their record position and line).
    /// </summary>
    public static IResult IngestRefused(IngestCheck check, string message)
    {
        ArgumentNullException.ThrowIfNull(check);
        var problem = BadFieldProblem("body", message);
        problem.Extensions["records"] = check.Records;
        problem.Extensions["checked"] = check.Checked;
        problem.Extensions["rejected"] = check.Rejected;
        problem.Extensions["reasons"] = check.Reasons;
        problem.Extensions["examples"] = check.Examples;
        return Results.Problem(problem);
    }

    private static ProblemDetails BadFieldProblem(string field, string message) => new()
    {
        Status = StatusCodes.Status400BadRequest,
        Title = $"Invalid '{field}'",
        Detail = message,
        Extensions = { ["field"] = field, ["errors"] = new Dictionary<string, string[]> { [field] = [message] } },
    };

    /// <summary>A 404 that does not say whether the campaign exists (another advertiser's looks the same).</summary>
    public static IResult CampaignNotFound(string campaignId)
    {
        ArgumentNullException.ThrowIfNull(campaignId);
        // Echo at most an id's worth: a megabyte of path should not come back as a megabyte of error.
        var shown = campaignId.Length > 128 ? campaignId[..128] + "…" : campaignId;
        return Results.Problem(new ProblemDetails
        {
            Status = StatusCodes.Status404NotFound,
            Title = "Not found",
            Detail = $"No campaign '{shown}'.",
            Extensions = { ["field"] = "id" },
        });
    }

    /// <summary>The 429 for a key not looked up because too many unknown keys reached this host (see <c>FailedAuthLimiter</c>).</summary>
    public static Task TooManyFailedAuthentications(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.RetryAfter = "1";
        return Write(context, StatusCodes.Status429TooManyRequests, "Too many failed authentications",
            "Too many requests with unknown API keys reached this host; retry after 1 s.");
    }

    /// <summary>Writes a problem straight to the response (for middleware, which has no endpoint result).</summary>
    public static async Task Write(HttpContext context, int status, string title, string detail, string? field = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (field is not null)
        {
            problem.Extensions["field"] = field;
        }
        context.Response.StatusCode = status;
        var service = context.RequestServices.GetService(typeof(IProblemDetailsService)) as IProblemDetailsService;
        if (service is null || !await service.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }).ConfigureAwait(false))
        {
            await Results.Problem(problem).ExecuteAsync(context).ConfigureAwait(false);
        }
    }
}
