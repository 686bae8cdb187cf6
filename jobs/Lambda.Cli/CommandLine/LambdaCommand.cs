using System.CommandLine;
using Lambda.Cli.Commands;

namespace Lambda.Cli.CommandLine;

/// <summary>The root of the `lambda` command line: builds the command tree and runs it.</summary>
internal static class LambdaCommand
{
    public static RootCommand Build(PlatformOptions platform)
    {
        var root = new RootCommand("Lambda: a Lambda-architecture platform for ad-campaign metrics.");
        foreach (var option in platform.All.Concat(Logging.All))
        {
            root.Options.Add(option);
        }

        root.Subcommands.Add(TopicsCommand.Create(platform));
        root.Subcommands.Add(TailCommand.Create(platform));
        root.Subcommands.Add(IngestCommand.Create(platform));
        root.Subcommands.Add(GenerateCommand.Create(platform));
        root.Subcommands.Add(SpeedCommand.Create(platform));
        root.Subcommands.Add(StatusCommand.Create(platform));
        root.Subcommands.Add(BenchCommand.Create(platform));
        root.Subcommands.Add(ServeCommand.Create(platform));
        root.Subcommands.Add(QueryCommand.Create(platform));
        root.Subcommands.Add(KeysCommand.Create(platform));
        root.Subcommands.Add(CampaignsCommand.Create(platform));
        root.Subcommands.Add(ArchiveCommand.Create(platform));
        root.Subcommands.Add(BackfillCommand.Create(platform));
        root.Subcommands.Add(BatchCommand.Create(platform));
        root.Subcommands.Add(RunCommand.Create(platform));
        root.Subcommands.Add(SchedulerCommand.Create(platform));
        root.Subcommands.Add(JobsCommand.Create(platform));
        return root;
    }

    /// <summary>
    /// Parses and runs; parse errors and <see cref="UsageException"/> exit with code 2, an expected failure
    /// (<see cref="ExpectedFailure"/>) prints one line and exits with code 1.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var platform = new PlatformOptions();
        var root = Build(platform);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors)
            {
                await error.WriteLineAsync($"error: {parseError.Message}").ConfigureAwait(false);
            }

            await error.WriteLineAsync("Run 'lambda --help' (or 'lambda <command> --help') for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true; // stop gracefully: the command sees the token and cleans up
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM, ctx =>
            {
                ctx.Cancel = true;
                cancel.Cancel();
            });
        try
        {
            // Termination is ours to handle (a clean stop may outlast System.CommandLine's default 2 s grace).
            var config = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
            return await parsed.InvokeAsync(config, cancel.Token).ConfigureAwait(false);
        }
        catch (UsageException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return ExitCodes.Ok;
        }
        catch (Exception ex) when (ExpectedFailure.Is(ex))
        {
            await error.WriteLineAsync($"error: {ExpectedFailure.OneLine(ex)}").ConfigureAwait(false);
            return ExitCodes.Failed;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
