using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using SchemaRegistryConfig = Confluent.SchemaRegistry.SchemaRegistryConfig;
using Kappa.Avro.Registry;
using Kappa.Avro.Schemas;
using Kappa.Kafka.Registry;
using Kappa.Log;
using Kappa.Log.Registry;
using Spectre.Console;

namespace Kappa.Cli;

/// <summary>
/// <c>kappa schema check &lt;subject&gt;</c>: checks a schema (a file, or a version of a registry subject) against every
/// registered version of a subject, on a Confluent Schema Registry (<c>--registry URL</c>) or the embedded registry of a
/// log directory (<c>--log DIR</c>), under a compatibility mode (default <c>BACKWARD_TRANSITIVE</c>). Exit 0: compatible;
/// 2: incompatible (each violation reported with version, direction, field and reason); 1: an error.
/// </summary>
internal static class SchemaCheckCommand
{
    /// <summary>One line, camelCase like the other commands' <c>--json</c>; quotes in reasons stay readable (stdout, not HTML).</summary>
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The <c>schema</c> command with its <c>check</c> subcommand; <paramref name="log"/> and <paramref name="json"/> are the root's recursive options.</summary>
    public static Command Create(Option<string?> log, Option<bool> json, IAnsiConsole console, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var subject = new Argument<string>("subject") { Description = "The subject whose registered versions the schema is checked against, e.g. orders-value." };
        var file = new Option<string?>("--file") { Description = "The schema to check: a file with Avro schema JSON (e.g. a generated AvroSchemaJson)." };
        var fromSubject = new Option<string?>("--from-subject") { Description = "The schema to check: a version of this registry subject (see --from-version)." };
        var fromVersion = new Option<string?>("--from-version") { Description = "With --from-subject: the version number, or latest (the default)." };
        var registryUrl = new Option<string?>("--registry") { Description = "A Confluent Schema Registry URL (or Kappa's SchemaRegistryHttpServer). Alternative: --log DIR, the embedded log's registry." };
        var auth = new Option<string?>("--registry-auth") { Description = "Basic authentication for --registry: user:password." };
        var mode = new Option<string>("--mode")
        {
            Description = "Compatibility mode: BACKWARD, BACKWARD_TRANSITIVE (the default: a replay reads every version ever written), FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE, NONE.",
            DefaultValueFactory = _ => "BACKWARD_TRANSITIVE",
        };

        var check = new Command("check", "Check a schema against every registered version of a subject; exit 2 when it is incompatible.") { subject, file, fromSubject, fromVersion, registryUrl, auth, mode };
        check.SetAction(p =>
        {
            bool asJson = p.GetValue(json);
            try
            {
                AvroCompatibilityMode parsedMode = AvroCompatibility.ParseMode(p.GetValue(mode)!)
                    ?? throw new ArgumentException($"Unknown compatibility mode '{p.GetValue(mode)}'; use BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE or NONE.");
                SchemaCheckReport report = Run(
                    p.GetValue(subject)!,
                    p.GetValue(file),
                    p.GetValue(fromSubject),
                    p.GetValue(fromVersion),
                    p.GetValue(registryUrl),
                    p.GetValue(auth),
                    p.GetValue(log),
                    parsedMode,
                    cancellationToken);
                if (asJson)
                {
                    output.WriteLine(JsonSerializer.Serialize(report, Json));
                }
                else
                {
                    Render(console, report);
                }

                return report.Compatible ? ExitCodes.Done : ExitCodes.Refused;
            }
            catch (Exception failure) when (failure is not OutOfMemoryException)
            {
                if (asJson)
                {
                    output.WriteLine(JsonSerializer.Serialize(new SchemaCheckError("error", failure.Message, ExitCodes.Error), Json));
                }
                else
                {
                    error.WriteLine($"kappa: error: {failure.Message}");
                }

                return ExitCodes.Error;
            }
        });

        return new Command("schema", "Schema Registry checks for Confluent-framed inputs and outputs.") { check };
    }

    private static SchemaCheckReport Run(
        string subject,
        string? file,
        string? fromSubject,
        string? fromVersion,
        string? registryUrl,
        string? auth,
        string? logDirectory,
        AvroCompatibilityMode mode,
        CancellationToken cancellationToken)
    {
        if ((file is null) == (fromSubject is null))
        {
            throw new ArgumentException("Give exactly one of --file <schema.json> or --from-subject <subject> (the schema to check).");
        }

        if (fromVersion is not null && fromSubject is null)
        {
            throw new ArgumentException("--from-version needs --from-subject.");
        }

        if ((registryUrl is null) == (logDirectory is null))
        {
            throw new ArgumentException("Give exactly one of --registry <url> (a Confluent Schema Registry) or --log <directory> (an embedded log's registry).");
        }

        if (logDirectory is not null && !Directory.Exists(logDirectory))
        {
            throw new ArgumentException($"The embedded log directory '{logDirectory}' does not exist.");
        }

        if (file is not null && !File.Exists(file))
        {
            throw new ArgumentException($"The schema file '{file}' does not exist.");
        }

        using EmbeddedLog? log = logDirectory is null ? null : EmbeddedLog.Open(new EmbeddedLogOptions { Directory = logDirectory });
        using ConfluentSchemaRegistry? confluent = registryUrl is null ? null : new ConfluentSchemaRegistry(new SchemaRegistryConfig { Url = registryUrl, BasicAuthUserInfo = auth });
        ISchemaRegistry registry = confluent ?? (ISchemaRegistry)new EmbeddedSchemaRegistry(log!);

        IReadOnlyList<RegisteredSchema> versions = Wait(registry.GetVersionsAsync(subject, cancellationToken));
        if (versions.Count == 0)
        {
            throw new ArgumentException($"The subject '{subject}' has no registered versions on {Where(registryUrl, logDirectory)}; there is nothing to check against (a new subject accepts any schema).");
        }

        string candidate;
        string source;
        if (file is not null)
        {
            candidate = File.ReadAllText(file);
            source = file;
        }
        else
        {
            RegisteredSchema picked = Pick(Wait(registry.GetVersionsAsync(fromSubject!, cancellationToken)), fromSubject!, fromVersion, registryUrl, logDirectory);
            candidate = picked.Schema;
            source = $"{picked.Subject} version {picked.Version} (id {picked.Id})";
        }

        AvroSchema parsed;
        try
        {
            parsed = AvroSchemaParser.Parse(candidate);
        }
        catch (AvroSchemaException e)
        {
            throw new ArgumentException($"The schema of {source} is not a valid Avro schema: {e.Message}", e);
        }

        AvroSchema[] earlier = versions.Select(v => AvroSchemaParser.Parse(v.Schema)).ToArray();
        IReadOnlyList<AvroCompatibilityViolation> violations = AvroCompatibility.Check(parsed, earlier, mode);
        var rows = new List<SchemaViolation>();
        foreach (AvroCompatibilityViolation violation in violations)
        {
            RegisteredSchema version = versions[violation.VersionIndex];
            string reader = violation.NewSchemaIsReader ? candidate : version.Schema;
            foreach (AvroIncompatibility incompatibility in violation.Incompatibilities)
            {
                rows.Add(new SchemaViolation(
                    version.Version,
                    version.Id,
                    violation.NewSchemaIsReader ? "backward" : "forward",
                    violation.NewSchemaIsReader ? $"the new schema cannot read data written with version {version.Version}" : $"version {version.Version} cannot read data written with the new schema",
                    SchemaFieldPath.Of(reader, incompatibility.Path),
                    incompatibility.Path,
                    incompatibility.Reason));
            }
        }

        return new SchemaCheckReport(
            subject,
            source,
            AvroCompatibility.ModeName(mode),
            rows.Count == 0,
            versions.Select(v => v.Version).ToArray(),
            Checked(versions, mode),
            rows);
    }

    private static int[] Checked(IReadOnlyList<RegisteredSchema> versions, AvroCompatibilityMode mode) => mode switch
    {
        AvroCompatibilityMode.None => [],
        AvroCompatibilityMode.Backward or AvroCompatibilityMode.Forward or AvroCompatibilityMode.Full => [versions[^1].Version],
        _ => versions.Select(v => v.Version).ToArray(),
    };

    private static RegisteredSchema Pick(IReadOnlyList<RegisteredSchema> versions, string subject, string? version, string? registryUrl, string? logDirectory)
    {
        if (versions.Count == 0)
        {
            throw new ArgumentException($"The subject '{subject}' (--from-subject) has no registered versions on {Where(registryUrl, logDirectory)}.");
        }

        if (version is null || string.Equals(version, "latest", StringComparison.OrdinalIgnoreCase))
        {
            return versions[^1];
        }

        if (!int.TryParse(version, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int number))
        {
            throw new ArgumentException($"--from-version '{version}' is neither a version number nor latest.");
        }

        return versions.FirstOrDefault(v => v.Version == number)
            ?? throw new ArgumentException($"The subject '{subject}' has no version {number}; it has {string.Join(", ", versions.Select(v => v.Version))}.");
    }

    private static string Where(string? registryUrl, string? logDirectory) =>
        registryUrl is not null ? $"the registry at {registryUrl}" : $"the embedded registry of {logDirectory}";

    private static T Wait<T>(ValueTask<T> pending) => pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();

    private static void Render(IAnsiConsole console, SchemaCheckReport report)
    {
        string versions = string.Join(", ", report.CheckedVersions);
        if (report.Compatible)
        {
            console.MarkupLine($"[green]compatible[/]: {Markup.Escape(report.Schema)} against {Markup.Escape(report.Subject)} versions {Markup.Escape(versions.Length == 0 ? "(none: NONE)" : versions)} under {report.Mode}");
            return;
        }

        console.MarkupLine($"[red]incompatible[/]: {Markup.Escape(report.Schema)} against {Markup.Escape(report.Subject)} under {report.Mode}: {report.Violations.Count} violation(s)");
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumns("version", "direction", "field", "reason");
        foreach (SchemaViolation v in report.Violations)
        {
            table.AddRow(
                v.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Markup.Escape(v.Description),
                Markup.Escape(v.Field.Length == 0 ? "(record)" : v.Field),
                Markup.Escape(v.Reason));
        }

        console.Write(table);
    }
}

/// <summary>The result of <c>kappa schema check</c> (its <c>--json</c> document).</summary>
internal sealed record SchemaCheckReport(
    string Subject,
    string Schema,
    string Mode,
    bool Compatible,
    IReadOnlyList<int> RegisteredVersions,
    IReadOnlyList<int> CheckedVersions,
    IReadOnlyList<SchemaViolation> Violations);

/// <summary>
/// One incompatibility: the registered version, the direction (<c>backward</c>: the new schema cannot read that version's
/// data; <c>forward</c>: that version cannot read the new schema's data), the field (dotted path of field names in the
/// reader schema; empty for the record itself), the reader schema path and the reason.
/// </summary>
internal sealed record SchemaViolation(int Version, int SchemaId, string Direction, string Description, string Field, string Path, string Reason);

internal sealed record SchemaCheckError(string Error, string Message, int ExitCode);
