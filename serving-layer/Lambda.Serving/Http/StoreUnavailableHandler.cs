using System.Data.Common;
using System.Net.Sockets;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Lambda.Serving.Http;

/// <summary>
/// Turns a store that cannot be reached (any database error, a timeout, a refused socket) or an event
/// log that cannot write (an <see cref="IOException"/>, such as a full disk) into a 503 with
/// Retry-After, and a body the server refused (for its size, or its framing) into a 413 or 400; other
/// exceptions fall through to the default 500 ProblemDetails.
/// </summary>
internal sealed class StoreUnavailableHandler(IProblemDetailsService problems, ServingOptions options) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails problem;
        if (exception is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
        {
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status413PayloadTooLarge,
                Title = "Request body too large",
                Detail = $"The body is larger than {options.MaxRequestBodyBytes} bytes.",
            };
        }
        else if (exception is BadHttpRequestException bad)
        {
            // Malformed framing the server itself refused (a bad chunk, an unexpected end): the client's fault.
            problem = new ProblemDetails { Status = bad.StatusCode, Title = "Bad request", Detail = bad.Message };
        }
        else if (IsUnavailable(exception))
        {
            httpContext.Response.Headers.RetryAfter = options.StoreRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Store unavailable",
                Detail = "The view store cannot be reached; retry later.",
            };
        }
        else if (exception is IOException io && !httpContext.RequestAborted.IsCancellationRequested)
        {
            // The event log could not write (a full disk): nothing of the request was acknowledged, so
            // the caller retries the whole request later (event ids make a repeat harmless).
            httpContext.Response.Headers.RetryAfter = options.StoreRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Event log unavailable",
                Detail = $"The event log could not write the events; retry later. {io.Message}",
            };
        }
        else
        {
            return false;
        }
        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception })
            .ConfigureAwait(false);
    }

    private static bool IsUnavailable(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is DbException or TimeoutException or SocketException)
            {
                return true;
            }
        }
        return false;
    }
}
