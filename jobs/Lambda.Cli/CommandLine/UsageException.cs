namespace Lambda.Cli.CommandLine;

/// <summary>A bad option or argument value: printed without a stack trace, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
