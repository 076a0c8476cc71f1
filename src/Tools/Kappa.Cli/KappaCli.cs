using System.CommandLine;
using System.Text.Json;
using Kappa.Lifecycle;
using Spectre.Console;

namespace Kappa.Cli;

/// <summary>
/// The <c>kappa</c> command tree on System.CommandLine: status [--watch], promote, rollback, retire [--dry-run], history,
/// schema check (<see cref="SchemaCheckCommand"/>).
/// Every command takes <c>--json</c> (one JSON document on stdout, shape in docs/operations.md) and exits with
/// <see cref="ExitCodes"/>.
/// </summary>
public static class KappaCli
{
    public static int Run(string[] args, IAnsiConsole console, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        RootCommand root = Build(console, output, error, cancellationToken);
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors)
            {
                error.WriteLine(e.Message);
            }

            return ExitCodes.Error;
        }

        return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }

    private static RootCommand Build(IAnsiConsole console, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var log = new Option<string?>("--log") { Description = "An embedded log directory.", Recursive = true };
        var kafka = new Option<string?>("--kafka") { Description = "Kafka bootstrap servers (host:port[,host:port]).", Recursive = true };
        var sqlite = new Option<string?>("--sqlite") { Description = "The serving database: a SQLite file.", Recursive = true };
        var postgres = new Option<string?>("--postgres") { Description = "The serving database: a PostgreSQL connection string.", Recursive = true };
        var schema = new Option<string?>("--schema") { Description = "The PostgreSQL schema of the serving tables (default public).", Recursive = true };
        var json = new Option<bool>("--json") { Description = "Write one JSON document to stdout instead of tables.", Recursive = true };
        var threshold = new Option<long>("--lag-threshold") { Description = "Records a version may still have left to count as caught up (default 0).", Recursive = true, DefaultValueFactory = _ => 0 };
        var processor = new Argument<string>("processor") { Description = "The processor name, as in [StreamProcessor(\"name\")]." };
        var version = new Argument<int>("version") { Description = "The processor version." };

        var root = new RootCommand("kappa: the reprocessing lifecycle of Kappa processor versions (status, promote, rollback, retire).");
        root.Options.Add(log);
        root.Options.Add(kafka);
        root.Options.Add(sqlite);
        root.Options.Add(postgres);
        root.Options.Add(schema);
        root.Options.Add(json);
        root.Options.Add(threshold);

        int Execute(ParseResult p, Func<KappaLifecycle, Connection, object?> body)
        {
            bool asJson = p.GetValue(json);
            try
            {
                using Connection connection = Connection.Open(p.GetValue(log), p.GetValue(kafka), p.GetValue(sqlite), p.GetValue(postgres), p.GetValue(schema));
                var lifecycle = new KappaLifecycle(connection.Transport, connection.Database, new LifecycleOptions { LagThreshold = p.GetValue(threshold), Instance = $"kappa-cli/{Environment.MachineName}/{Environment.ProcessId}" });
                object? result = body(lifecycle, connection);
                if (asJson && result is not null)
                {
                    output.WriteLine(JsonSerializer.Serialize(result, result.GetType(), LifecycleJson.Options));
                }

                return ExitCodes.Done;
            }
            catch (LifecycleRefusedException refused)
            {
                return Fail(asJson, ExitCodes.Refused, "refused", refused.Message);
            }
            catch (Exception failure) when (failure is not OutOfMemoryException)
            {
                return Fail(asJson, ExitCodes.Error, "error", failure.Message);
            }
        }

        int Fail(bool asJson, int code, string kind, string message)
        {
            if (asJson)
            {
                output.WriteLine(JsonSerializer.Serialize(new CliError(kind, message, code), LifecycleJson.Options));
            }
            else
            {
                error.WriteLine($"kappa: {kind}: {message}");
            }

            return code;
        }

        var watch = new Option<bool>("--watch") { Description = "Redraw every --interval until Ctrl+C." };
        var interval = new Option<double>("--interval") { Description = "Seconds between redraws with --watch (default 1).", DefaultValueFactory = _ => 1 };
        var rounds = new Option<int>("--rounds") { Description = "With --watch: stop after this many redraws (0: until Ctrl+C).", DefaultValueFactory = _ => 0 };
        var status = new Command("status", "Every processor version: state, progress per input partition, records/s, ETA, dead letters, live instances; the serving version of each sink.") { watch, interval, rounds };
        status.SetAction(p => Execute(p, (lifecycle, _) =>
        {
            if (!p.GetValue(watch))
            {
                LifecycleStatus once = lifecycle.Status();
                if (!p.GetValue(json))
                {
                    console.Write(StatusView.Render(once));
                }

                return once;
            }

            StatusWatch.Run(lifecycle, console, p.GetValue(json) ? output : null, TimeSpan.FromSeconds(p.GetValue(interval)), p.GetValue(rounds), cancellationToken);
            return null;
        }));
        root.Subcommands.Add(status);

        var force = new Option<bool>("--force") { Description = "Promote even when the version is not caught up or not verified." };
        var promote = new Command("promote", "Switch the serving views of the processor's sinks to this version; the serving version becomes Standby.") { processor, version, force };
        promote.SetAction(p => Execute(p, (lifecycle, _) =>
        {
            PromoteResult result = lifecycle.Promote(p.GetValue(processor)!, p.GetValue(version), p.GetValue(force));
            if (!p.GetValue(json))
            {
                console.MarkupLine($"[green]{Markup.Escape(result.Processor)} v{result.Serving} serves[/]{(result.Standby is { } s ? $"; v{s} is Standby" : string.Empty)}; views switched: {Markup.Escape(string.Join(", ", result.SwitchedViews))}{(result.Forced ? " [yellow](forced)[/]" : string.Empty)}");
            }

            return result;
        }));
        root.Subcommands.Add(promote);

        var rollbackProcessor = new Argument<string>("processor") { Description = "The processor name." };
        var rollback = new Command("rollback", "Switch back to the Standby version; the serving one becomes Standby.") { rollbackProcessor };
        rollback.SetAction(p => Execute(p, (lifecycle, _) =>
        {
            PromoteResult result = lifecycle.Rollback(p.GetValue(rollbackProcessor)!);
            if (!p.GetValue(json))
            {
                console.MarkupLine($"[green]{Markup.Escape(result.Processor)} v{result.Serving} serves again[/]; v{result.Standby} is Standby");
            }

            return result;
        }));
        root.Subcommands.Add(rollback);

        var dryRun = new Option<bool>("--dry-run") { Description = "List what would be deleted; change nothing." };
        var retire = new Command("retire", "Stop a version and delete its consumer group, output topics, changelogs, dead-letter topics and tables (refused for the serving version).") { processor, version, dryRun };
        retire.SetAction(p => Execute(p, (lifecycle, _) =>
        {
            RetirePlan plan = lifecycle.Retire(p.GetValue(processor)!, p.GetValue(version), p.GetValue(dryRun), cancellationToken);
            if (!p.GetValue(json))
            {
                var table = new Table().Border(TableBorder.Rounded).Title(plan.Executed ? $"deleted for {plan.Processor} v{plan.Version}" : $"would delete for {plan.Processor} v{plan.Version} (dry run)");
                table.AddColumns("kind", "name");
                foreach (string g in plan.ConsumerGroups)
                {
                    table.AddRow("group", Markup.Escape(g));
                }

                foreach (string t in plan.Topics)
                {
                    table.AddRow("topic", Markup.Escape(t));
                }

                foreach (string t in plan.Tables)
                {
                    table.AddRow("table", Markup.Escape(t));
                }

                console.Write(table);
            }

            return plan;
        }));
        root.Subcommands.Add(retire);

        var historyProcessor = new Argument<string>("processor") { Description = "The processor name." };
        var history = new Command("history", "Every accepted transition of a processor: time, instance, operation, changes, reason.") { historyProcessor };
        history.SetAction(p => Execute(p, (lifecycle, _) =>
        {
            string name = p.GetValue(historyProcessor)!;
            ProcessorDeployment deployment = lifecycle.Registry.Read().Find(name) ?? throw new LifecycleRefusedException($"Processor '{name}' is not in the registry.");
            if (!p.GetValue(json))
            {
                var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(name));
                table.AddColumns("#", "time (UTC)", "instance", "operation", "changes", "reason");
                foreach (DeploymentTransition t in deployment.History)
                {
                    table.AddRow(
                        t.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        t.Time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
                        Markup.Escape(t.Instance),
                        t.Operation,
                        string.Join(", ", t.Changes.Select(c => $"v{c.Version}->{c.State}")),
                        Markup.Escape(t.Reason));
                }

                console.Write(table);
            }

            return deployment;
        }));
        root.Subcommands.Add(history);

        var verify = new Command("verify", "Verify a version (needs your processor code): run it from your host, `dotnet run -- kappa verify <processor> <version>`.") { processor, version };
        verify.SetAction(p => Fail(p.GetValue(json), ExitCodes.Error, "error", $"verify runs your processor's code: run it from your host project, `dotnet run -- kappa verify {p.GetValue(processor)} {p.GetValue(version)}` (see docs/operations.md)."));
        root.Subcommands.Add(verify);
        root.Subcommands.Add(SchemaCheckCommand.Create(log, json, console, output, error, cancellationToken));

        var replay = new Command("replay", "Replay a version until it is caught up (needs your processor code): run it from your host, `dotnet run -- kappa replay <processor> <version>`.") { processor, version };
        replay.SetAction(p => Fail(p.GetValue(json), ExitCodes.Error, "error", $"replay runs your processor's code: run it from your host project, `dotnet run -- kappa replay {p.GetValue(processor)} {p.GetValue(version)}` (see docs/operations.md); this tool cannot replay a version."));
        root.Subcommands.Add(replay);
        return root;
    }

    private sealed record CliError(string Error, string Message, int ExitCode);
}
