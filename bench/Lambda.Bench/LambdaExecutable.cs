using System.Diagnostics;
using System.Reflection;

namespace Lambda.Bench;

/// <summary>
/// How a benchmark starts the `lambda` command line as a child process (the soak's host): the executable,
/// and the arguments that go before the command's own.
/// </summary>
public sealed record LambdaExecutable(string FileName, IReadOnlyList<string> LeadingArguments)
{
    /// <summary>
    /// The running `lambda` again: its apphost, or `dotnet` and <paramref name="cliAssembly"/>'s file when it
    /// runs as `dotnet lambda.dll`.
    /// </summary>
    public static LambdaExecutable OfThisProcess(Assembly cliAssembly)
    {
        ArgumentNullException.ThrowIfNull(cliAssembly);
        var self = Environment.ProcessPath!;
        return Path.GetFileNameWithoutExtension(self) == "dotnet" ? new(self, [cliAssembly.Location]) : new(self, []);
    }

    /// <summary>A start with <paramref name="arguments"/> after the leading ones, its output and error redirected.</summary>
    public ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(FileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in LeadingArguments.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }
}
