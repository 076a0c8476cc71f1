using System.Collections.Immutable;
using System.IO;
using Kappa.Avro.Schemas;
using Kappa.Generators.Avro.History;
using Kappa.Generators.Avro.History.Model;
using Kappa.Generators.Avro.Model;
using Kappa.Generators.Common;
using Kappa.Generators.Common.Templates;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Kappa.Generators.Avro;

public sealed partial class AvroRecordGenerator
{
    /// <summary>The generated constant that holds the updated history file (see docs/avro.md, "Schema history").</summary>
    internal const string HistoryHintName = "KappaAvroSchemaHistory.g.cs";

    /// <summary>
    /// The schema history part of the pipeline: reads kappa-avro-history.json (an AdditionalFile), checks each type's
    /// current schema against its recorded schemas (KAPPA012), reports schemas not yet recorded (KAPPA014) and emits the
    /// updated file content as <c>Kappa.Generated.KappaAvroSchemaHistory.Json</c>. Without the file it does nothing.
    /// </summary>
    private static void InitializeHistory(IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<AvroRecordSpec> specs)
    {
        IncrementalValueProvider<AvroHistorySpec> historyFile = context.AdditionalTextsProvider
            .Where(static text => string.Equals(Path.GetFileName(text.Path), AvroHistoryFile.FileName, StringComparison.OrdinalIgnoreCase))
            .Select(static (text, ct) => AvroHistoryFile.Parse(text.Path, text.GetText(ct)?.ToString()))
            .Collect()
            .Select(static (files, _) => SingleHistory(files))
            .WithTrackingName(TrackingNames.AvroHistoryFile);

        IncrementalValueProvider<ImmutableArray<AvroHistoryTarget>> targets = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownNames.AvroRecordAttribute,
                static (node, _) => node is TypeDeclarationSyntax,
                static (ctx, _) => Target(ctx))
            .Collect();

        IncrementalValuesProvider<AvroHistoryResult> results = specs
            .Combine(targets)
            .Combine(historyFile)
            .Select(static (pair, _) => AvroHistoryChecker.Check(pair.Left.Left, Find(pair.Left.Right, pair.Left.Left), pair.Right))
            .WithTrackingName(TrackingNames.AvroHistoryResults);

        context.RegisterSourceOutput(results.Select(static (r, _) => r.Diagnostics), static (spc, items) =>
        {
            foreach (DiagnosticInfo diagnostic in items)
            {
                spc.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
        });

        IncrementalValueProvider<string?> content = results
            .Select(static (r, _) => r.Entry)
            .Collect()
            .Combine(historyFile)
            .Select(static (pair, _) => UpdatedFile(pair.Left, pair.Right));

        context.RegisterSourceOutput(content, static (spc, json) =>
        {
            if (json is not null)
            {
                spc.AddSource(HistoryHintName, CodeTemplate.AvroSchemaHistory.Render(json));
            }
        });

        IncrementalValuesProvider<AvroResolvingSpec?> decoders = specs
            .Combine(specs.Collect())
            .Combine(historyFile)
            .Select(static (pair, _) => AvroResolvingPlanner.Plan(pair.Left.Left, pair.Left.Right, pair.Right))
            .WithTrackingName(TrackingNames.AvroResolvingDecoders);

        context.RegisterSourceOutput(decoders, static (spc, spec) =>
        {
            if (spec is not null)
            {
                spc.AddSource(spec.HintName, CodeTemplate.AvroResolvingDecoders.Render(spec));
            }
        });

        context.RegisterSourceOutput(historyFile, static (spc, file) =>
        {
            if (file.Error is { } error)
            {
                spc.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.AvroSchemaHistoryInvalid, Location.None, file.Path ?? AvroHistoryFile.FileName, error));
            }
        });
    }

    private static AvroHistoryTarget Target(GeneratorAttributeSyntaxContext context)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        AvroCompatibilityMode mode = AvroCompatibilityMode.BackwardTransitive;
        foreach (AttributeData attribute in context.Attributes)
        {
            foreach (var argument in attribute.NamedArguments)
            {
                if (argument.Key == "Compatibility" && argument.Value.Value is int value && Enum.IsDefined(typeof(AvroCompatibilityMode), value))
                {
                    mode = (AvroCompatibilityMode)value;
                }
            }
        }

        Location location = ((TypeDeclarationSyntax)context.TargetNode).Identifier.GetLocation();
        return new AvroHistoryTarget(
            AvroHistoryChecker.TypeKey(type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)),
            mode,
            LocationInfo.From(location));
    }

    private static AvroHistoryTarget? Find(ImmutableArray<AvroHistoryTarget> targets, AvroRecordSpec spec)
    {
        string key = AvroHistoryChecker.TypeKey(spec.FullyQualifiedName);
        foreach (AvroHistoryTarget target in targets)
        {
            if (target.Type == key)
            {
                return target;
            }
        }

        return null;
    }

    /// <summary>The history file with every type's entry brought up to date; entries of types no longer compiled are kept.</summary>
    private static string? UpdatedFile(ImmutableArray<AvroHistoryTypeSpec?> entries, AvroHistorySpec history)
    {
        if (!history.Present || history.Error is not null)
        {
            return null;
        }

        var byType = new Dictionary<string, AvroHistoryTypeSpec>(StringComparer.Ordinal);
        foreach (AvroHistoryTypeSpec recorded in history.Types)
        {
            byType[recorded.Type] = recorded;
        }

        foreach (AvroHistoryTypeSpec? entry in entries)
        {
            if (entry is not null)
            {
                byType[entry.Type] = entry;
            }
        }

        return AvroHistoryFile.WriteFile(byType.Values);
    }

    private static AvroHistorySpec SingleHistory(ImmutableArray<AvroHistorySpec> files) => files.Length switch
    {
        0 => AvroHistorySpec.None,
        1 => files[0],
        _ => new AvroHistorySpec(
            files[0].Path,
            EquatableArray<AvroHistoryTypeSpec>.Empty,
            $"{files.Length} files named {AvroHistoryFile.FileName} are passed as AdditionalFiles ({string.Join(", ", files.Select(f => f.Path).OrderBy(p => p, StringComparer.Ordinal))}); pass exactly one"),
    };
}
