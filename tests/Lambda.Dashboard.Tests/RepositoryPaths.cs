namespace Lambda.Dashboard.Tests;

/// <summary>Paths in the source tree, found by walking up from the test binaries to Lambda.sln.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The dashboard's static files.</summary>
    public static string WebRoot => Path.Combine(Root, "serving-layer", "Lambda.Serving", "wwwroot");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Lambda.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"Lambda.sln not found above {AppContext.BaseDirectory}");
    }
}
