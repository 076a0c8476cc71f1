using Kappa.Generators.Common;
using Kappa.Generators.Sinks.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Kappa.Generators.Sinks;

/// <summary>
/// Generates the versioned sink writer's half that depends on the type: for every [ServingTable] type, the
/// <c>Kappa.Sinks.ITableRecord&lt;T&gt;</c> implementation (its TableSchema: columns, key, indexes; and WriteRow, which
/// binds one decoded record to a database row through constrained calls, with nested values written as JSON).
/// Pipeline only; see the Parser and Emitter parts.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class ServingTableGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<ServingTableResult> results = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownNames.ServingTableAttribute,
                static (node, _) => node is TypeDeclarationSyntax,
                Parser.Parse)
            .WithTrackingName(TrackingNames.ServingTableModels);

        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> diagnostics = results
            .Select(static (result, _) => result.Diagnostics)
            .WithTrackingName(TrackingNames.ServingTableDiagnostics);

        IncrementalValuesProvider<ServingTableSpec> specs = results
            .Where(static result => result.Spec is not null)
            .Select(static (result, _) => result.Spec!);

        context.RegisterSourceOutput(diagnostics, static (spc, items) =>
        {
            foreach (DiagnosticInfo diagnostic in items)
            {
                spc.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
        });
        context.RegisterSourceOutput(specs, static (spc, spec) => spc.AddSource(spec.HintName, Emitter.Emit(spec)));
    }
}
