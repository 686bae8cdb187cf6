namespace Lambda.Store.Tests;

/// <summary>
/// What a contract test does when its store's server is not reachable: skip with the reason on a
/// developer's machine, fail when CI is set (CI installs and starts the server, so it must be there).
/// </summary>
internal static class StoreAvailability
{
    public static void Require(string? unavailable)
    {
        if (unavailable is null)
        {
            return;
        }

        var ci = Environment.GetEnvironmentVariable("CI");
        if (!string.IsNullOrEmpty(ci) && ci != "false" && ci != "0")
        {
            throw new InvalidOperationException($"{unavailable} (CI is set, so this is a failure, not a skip)");
        }

        Skip.If(true, unavailable);
    }
}
