using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Lambda.Serving.Http;

/// <summary>ProblemDetails (RFC 9457) for every error the API returns; bad input names its field.</summary>
public static class Problems
{
    /// <summary>A 400 naming <paramref name="field"/> (in <c>field</c> and in <c>errors</c>).</summary>
    public static IResult BadField(string field, string message) => Results.Problem(new ProblemDetails
    {
        Status = StatusCodes.Status400BadRequest,
        Title = $"Invalid '{field}'",
        Detail = message,
        Extensions = { ["field"] = field, ["errors"] = new Dictionary<string, string[]> { [field] = [message] } },
    });

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
