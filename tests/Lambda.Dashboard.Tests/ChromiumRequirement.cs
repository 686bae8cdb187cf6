using Microsoft.Playwright;

namespace Lambda.Dashboard.Tests;

/// <summary>
/// The browser the test drives: Debian's Chromium (infra/setup.d/chromium.sh), never a Playwright
/// download. Missing on a developer machine: the test is skipped with the reason; missing in CI
/// (CI is set): the test fails, because a skipped browser test there would hide a broken setup.
/// </summary>
internal static class ChromiumRequirement
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>Flags for a headless, quiet run as root in a container: no sandbox, no GPU, no updates.</summary>
    public static IReadOnlyList<string> Args { get; } =
    [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
    ];

    /// <summary>Starts the browser headless with <see cref="Args"/>.</summary>
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = Args,
        });

    public static void EnsureAvailable()
    {
        if (File.Exists(ExecutablePath))
        {
            return;
        }
        var reason = $"{ExecutablePath} is missing: run infra/setup.d/chromium.sh (or infra/setup.sh) to install Debian's chromium";
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            Assert.Fail(reason);
        }
        Skip.If(true, reason);
    }
}
