using Kappa.Cli;
using Spectre.Console;

return KappaCli.Run(args, AnsiConsole.Console, Console.Out, Console.Error);
