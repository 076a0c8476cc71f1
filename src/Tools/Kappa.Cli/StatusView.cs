using System.Globalization;
using Kappa.Lifecycle;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Kappa.Cli;

/// <summary>Renders a <see cref="LifecycleStatus"/>: one table per processor, a progress bar and ETA per version, the serving views.</summary>
public static class StatusView
{
    private const int BarWidth = 20;

    public static IRenderable Render(LifecycleStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (status.Processors.Count == 0)
        {
            return new Markup("[grey]No processor in the registry yet: hosts record their versions when they start.[/]");
        }

        var rows = new List<IRenderable>();
        foreach (ProcessorStatus processor in status.Processors)
        {
            var table = new Table().Border(TableBorder.Rounded).Title($"[bold]{Markup.Escape(processor.Processor)}[/]");
            table.AddColumns("version", "state", "progress", "lag", "records/s", "ETA", "verified", "sink lag", "dead letters", "instances");
            foreach (VersionProgress v in processor.Versions)
            {
                table.AddRow(
                    new Text("v" + v.Version.ToString(CultureInfo.InvariantCulture)),
                    new Markup(State(v.State)),
                    new Markup(v.State == VersionState.Retired ? "[grey]-[/]" : Bar(v.Done, v.Total)),
                    new Text(v.State == VersionState.Retired ? "-" : v.Lag.ToString("N0", CultureInfo.InvariantCulture)),
                    new Text(v.RecordsPerSecond is { } rate ? rate.ToString("N0", CultureInfo.InvariantCulture) : "-"),
                    new Text(Eta(v)),
                    new Text(v.Verified ? "yes" : "no"),
                    new Text(v.SinkWriterLag is { } sinkLag ? sinkLag.ToString("N0", CultureInfo.InvariantCulture) : "-"),
                    new Text(v.DeadLetters.ToString("N0", CultureInfo.InvariantCulture)),
                    new Text(v.LiveInstances.Count == 0 ? "-" : string.Join(", ", v.LiveInstances)));
            }

            rows.Add(table);
            foreach (SinkServing sink in processor.Sinks)
            {
                rows.Add(new Markup($"  view [bold]{Markup.Escape(sink.Sink)}[/] serves {(sink.ServingVersion is { } served ? $"[green]v{served}[/]" : "[grey]nothing (no database given, or never switched)[/]")}"));
            }
        }

        return new Rows(rows);
    }

    /// <summary>A text progress bar: <c>██████░░░░  60%</c>.</summary>
    public static string Bar(long done, long total)
    {
        double fraction = total == 0 ? 1 : Math.Clamp((double)done / total, 0, 1);
        int filled = (int)Math.Round(fraction * BarWidth);
        return $"[green]{new string('█', filled)}[/][grey]{new string('░', BarWidth - filled)}[/] {fraction * 100,3:0}%";
    }

    private static string Eta(VersionProgress v) => v.State == VersionState.Retired ? "-"
        : v.Lag == 0 ? "caught up"
        : v.Eta is { } eta ? eta.ToString(eta.TotalHours >= 1 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture)
        : "-";

    private static string State(VersionState state) => state switch
    {
        VersionState.Serving => "[green]Serving[/]",
        VersionState.CaughtUp => "[blue]CaughtUp[/]",
        VersionState.Replaying => "[yellow]Replaying[/]",
        VersionState.Standby => "[aqua]Standby[/]",
        VersionState.Failed => "[red]Failed[/]",
        _ => "[grey]" + state + "[/]",
    };
}
