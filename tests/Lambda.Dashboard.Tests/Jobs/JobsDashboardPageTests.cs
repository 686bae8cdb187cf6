using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Lambda.Jobs;
using Lambda.SharedModel.Jobs;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Lambda.Dashboard.Tests.Jobs;

/// <summary>
/// The scheduler's Hangfire dashboard at /jobs in headless Chromium, as an operator uses it: sign in
/// with an admin key, see the three recurring jobs with their next runs, trigger two of them now, and
/// find the runs in the history (the project's and Hangfire's), the failure with its exception. Every
/// script, style and XHR of the pages must load under the page's Content-Security-Policy.
/// </summary>
public sealed class JobsDashboardPageTests
{
    static JobsDashboardPageTests() => SetDefaultExpectTimeout(30_000);

    [SkippableFact]
    public async Task an_operator_sees_the_recurring_jobs_triggers_them_and_finds_the_runs_and_the_failure()
    {
        ChromiumRequirement.EnsureAvailable();
        await using var host = await SchedulerUnderTest.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await ChromiumRequirement.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        var signIn = await page.GotoAsync(host.BaseAddress + "/jobs/recurring");
        Assert.Equal(401, signIn!.Status);

        // From here on nothing may be refused: no CSP violation, no failed script, style or XHR.
        var refused = new ConcurrentQueue<string>();
        page.Console += (_, message) => { if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal)) refused.Enqueue(message.Text); };
        page.RequestFailed += (_, request) => refused.Enqueue($"{request.Url}: {request.Failure}");
        page.Response += (_, response) => { if (response.Status >= 400) refused.Enqueue($"{response.Url}: {response.Status}"); };
        await page.GetByLabel("Admin API key").FillAsync(host.AdminKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(host.BaseAddress + "/jobs/");
        await Expect(page).ToHaveTitleAsync(new Regex("Lambda scheduler"));

        await page.GotoAsync(host.BaseAddress + "/jobs/recurring");
        var rows = page.Locator("table tbody tr");
        await Expect(rows).ToHaveCountAsync(3);
        foreach (var job in JobNames.All)
        {
            var row = rows.Filter(new() { Has = page.Locator($"input[type=checkbox][value='{job}']") });
            await Expect(row).ToHaveCountAsync(1);
            await Expect(row).ToContainTextAsync(new SchedulerOptions().Schedules[job].Cron);
            // The next run, relative: "in 3 hours", "in a minute".
            await Expect(row).ToContainTextAsync(new Regex(@"\bin (an?|\d+) "));
        }

        // Trigger the archive (succeeds) and the recompute (fails) now.
        foreach (var job in new[] { JobNames.Archive, JobNames.Recompute })
        {
            await page.Locator($"input[type=checkbox][value='{job}']").CheckAsync();
        }
        await page.GetByRole(AriaRole.Button, new() { Name = "Trigger now" }).ClickAsync();
        // The page reloads itself once the trigger is done: fresh check boxes are unchecked.
        await Expect(page.Locator($"input[type=checkbox][value='{JobNames.Archive}']")).Not.ToBeCheckedAsync();
        await page.WaitForLoadStateAsync(LoadState.Load);

        var archive = await WaitForEndedRunAsync(host.History, JobNames.Archive);
        Assert.Equal((TriggerKinds.Manual, JobOutcomes.Succeeded, 7L), (archive.Trigger, archive.Outcome, archive.Rows));
        var recompute = await WaitForEndedRunAsync(host.History, JobNames.Recompute);
        Assert.Equal((TriggerKinds.Manual, JobOutcomes.Failed), (recompute.Trigger, recompute.Outcome));

        // Hangfire moves a run to Succeeded or Failed just after the history records its end; the list pages do not refresh.
        await UntilListedAsync(page, host.BaseAddress + "/jobs/jobs/succeeded", JobNames.Archive);
        await UntilListedAsync(page, host.BaseAddress + "/jobs/jobs/failed", JobNames.Recompute);
        await Expect(page.Locator("table tbody")).ToContainTextAsync(OperatorBatch.RecomputeError);

        // The recurring jobs now link their last run; the failed one shows its exception.
        await page.GotoAsync(host.BaseAddress + "/jobs/recurring");
        await rows.Filter(new() { Has = page.Locator($"input[value='{JobNames.Recompute}']") }).GetByRole(AriaRole.Link).First.ClickAsync();
        await Expect(page.Locator("body")).ToContainTextAsync("Failed");
        await Expect(page.Locator("body")).ToContainTextAsync($"InvalidDataException: {OperatorBatch.RecomputeError}");
        Assert.Empty(refused);
    }

    private static async Task UntilListedAsync(IPage page, string url, string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await page.GotoAsync(url);
            if ((await page.Locator("table tbody").AllInnerTextsAsync()).Any(t => t.Contains(text, StringComparison.Ordinal)))
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"{text} is not listed on {url} within 30 s");
            await Task.Delay(200);
        }
    }

    private static async Task<JobRun> WaitForEndedRunAsync(IJobHistoryStore history, string job)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if ((await history.ListRunsAsync(job, 10)).FirstOrDefault(r => r.EndedAt is not null) is { } run)
            {
                return run;
            }
            Assert.True(DateTime.UtcNow < deadline, $"no {job} run ended within 60 s of the trigger");
            await Task.Delay(100);
        }
    }
}
