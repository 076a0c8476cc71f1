using System.Text.Json;
using Kappa.Lifecycle;
using Spectre.Console;

namespace Kappa.Cli;

/// <summary><c>kappa status --watch</c>: a live display redrawn every interval (records/s and ETA from consecutive measurements).</summary>
public static class StatusWatch
{
    /// <param name="lifecycle">What to measure.</param>
    /// <param name="console">Where the live display goes.</param>
    /// <param name="json">When set, one JSON document per line per round instead of the live display.</param>
    /// <param name="interval">Time between rounds.</param>
    /// <param name="rounds">Rounds to run; 0 for until cancelled.</param>
    /// <param name="cancellationToken">Ends the watch.</param>
    public static void Run(KappaLifecycle lifecycle, IAnsiConsole console, TextWriter? json, TimeSpan interval, int rounds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        ArgumentNullException.ThrowIfNull(console);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            LifecycleStatus status = lifecycle.Status();
            if (json is not null)
            {
                for (int round = 1; ; round++)
                {
                    json.WriteLine(JsonSerializer.Serialize(status, LifecycleJson.Options));
                    if ((rounds > 0 && round >= rounds) || stop.Token.WaitHandle.WaitOne(interval))
                    {
                        return;
                    }

                    status = lifecycle.Status(status);
                }
            }

            console.Live(StatusView.Render(status)).AutoClear(false).Start(context =>
            {
                for (int round = 1; rounds == 0 || round < rounds; round++)
                {
                    if (stop.Token.WaitHandle.WaitOne(interval))
                    {
                        return;
                    }

                    status = lifecycle.Status(status);
                    context.UpdateTarget(StatusView.Render(status));
                    context.Refresh();
                }
            });
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
