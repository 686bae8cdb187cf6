using Lambda.SharedModel.Ingestion;
using Microsoft.AspNetCore.Http;

namespace Lambda.Serving.Http;

/// <summary>Endpoint metadata: the endpoint's requests have an id that travels with what they append (<c>POST /v1/events</c>).</summary>
public sealed record CarriesRequestId;

/// <summary>The id of the current request (<see cref="RequestIds"/>), set by <see cref="RequestIdMiddleware"/>.</summary>
public sealed record RequestIdFeature(string Id);

/// <summary>
/// Gives each request to an endpoint marked <see cref="CarriesRequestId"/> its id, refusing an
/// <c>X-Request-Id</c> that cannot be one with a 400. Runs after routing and before authentication, so
/// every answer carries the id in its <c>X-Request-Id</c> header, errors included: the header is set when
/// the response starts, which also covers the exception handler's 503 (it clears the headers set before).
/// Every ProblemDetails of such a request names it as <c>request_id</c> too (<see cref="AddToProblem"/>).
/// </summary>
public sealed class RequestIdMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.GetEndpoint()?.Metadata.GetMetadata<CarriesRequestId>() is null)
        {
            return next(context);
        }

        if (RequestIds.Choose(context.Request) is not { } id)
        {
            return Problems.Write(context, StatusCodes.Status400BadRequest, $"Invalid '{RequestIds.Header}'",
                $"{RequestIds.Header} must be one value of 1 to {RequestId.MaxLength} visible ASCII characters (no spaces).",
                field: RequestIds.Header);
        }

        context.Features.Set(new RequestIdFeature(id));
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[RequestIds.Header] = id;
            return Task.CompletedTask;
        });
        return next(context);
    }

    /// <summary>Adds the request's id to a ProblemDetails as <c>request_id</c> (the <c>CustomizeProblemDetails</c> hook).</summary>
    public static void AddToProblem(ProblemDetailsContext problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (problem.HttpContext.Features.Get<RequestIdFeature>() is { } requestId)
        {
            problem.ProblemDetails.Extensions["request_id"] = requestId.Id;
        }
    }
}
