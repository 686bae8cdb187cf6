using Hangfire;
using Hangfire.Dashboard;
using Lambda.Jobs.Scheduled;
using Lambda.Serving.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Lambda.Jobs;

/// <summary>
/// Hangfire's dashboard over a <see cref="JobScheduler"/>'s schedule: the recurring jobs with their next
/// and last runs and a "Trigger now" button, the runs by state (failures with their exception), the
/// servers of the cluster. It is an <see cref="OperatorPage"/> of the serving host, mounted at
/// <see cref="Path"/> behind the serving layer's <see cref="OperatorGate"/> (admin keys only), so
/// Hangfire's own authorization (local requests only, by default) is switched off here.
/// </summary>
public static class JobsDashboard
{
    /// <summary>The dashboard of <paramref name="scheduler"/> as an operator page of the host it runs in.</summary>
    public static OperatorPage Page(JobScheduler scheduler) => new(Path, ContentSecurityPolicy, app => Serve(app, scheduler));

    /// <summary>Where the dashboard is mounted on the API's host.</summary>
    public const string Path = "/jobs";

    /// <summary>
    /// What Hangfire's pages need: their own scripts and styles, inline style attributes, XHRs for the
    /// live statistics, and forms (the trigger buttons) to themselves; nothing from elsewhere, no framing.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
        + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// Serves the dashboard of <paramref name="scheduler"/> on the branch <paramref name="app"/>. Until the
    /// scheduler has started (opened its schedule) the branch answers 503.
    /// </summary>
    private static void Serve(IApplicationBuilder app, JobScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(scheduler);
        var options = new DashboardOptions
        {
            Authorization = [],
            AsyncAuthorization = [],
            DashboardTitle = "Lambda scheduler",
            // "Back to site": the advertisers' dashboard on the same host.
            AppPath = "/",
            // The PostgreSQL connection string carries a password.
            DisplayStorageConnectionString = false,
            DisplayNameFunc = (_, job) => ScheduledJob.NameOf(job.Type) ?? job.ToString(),
        };
        app.Use(next =>
        {
            RequestDelegate? dashboard = null;
            return context =>
            {
                if (!scheduler.IsStarted)
                {
                    context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    return Task.CompletedTask;
                }
                dashboard ??= new AspNetCoreDashboardMiddleware(next, scheduler.Storage, options, DashboardRoutes.Routes).Invoke;
                return dashboard(context);
            };
        });
    }
}
