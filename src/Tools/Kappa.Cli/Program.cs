using Kappa.Cli;
using Spectre.Console;

IAnsiConsole console = AnsiConsole.Console;
if (Console.IsOutputRedirected)
{
    // Piped or captured output has no terminal width; tables need more than the default 80 columns.
    console.Profile.Width = 140;
}

return KappaCli.Run(args, console, Console.Out, Console.Error);
