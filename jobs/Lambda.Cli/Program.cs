using Lambda.Cli.CommandLine;

return await LambdaCommand.RunAsync(args, Console.Out, Console.Error);
