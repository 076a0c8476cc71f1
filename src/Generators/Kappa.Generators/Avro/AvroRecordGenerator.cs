using Kappa.Generators.Avro.Model;
using Kappa.Generators.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Kappa.Generators.Avro;

/// <summary>
/// Generates Avro codecs for [AvroRecord] types: schema JSON, Parsing Canonical Form, CRC-64-AVRO fingerprint and
/// span-based ReadAvro/WriteAvro implementing <c>Kappa.Avro.IAvroRecord&lt;T&gt;</c>. Pipeline only; see the Parser and
/// Emitter parts.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class AvroRecordGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<AvroRecordResult> results = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownNames.AvroRecordAttribute,
                static (node, _) => node is TypeDeclarationSyntax,
                Parser.Parse)
            .WithTrackingName(TrackingNames.AvroRecordModels);

        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> diagnostics = results
            .Select(static (result, _) => result.Diagnostics)
            .WithTrackingName(TrackingNames.AvroRecordDiagnostics);

        IncrementalValuesProvider<AvroRecordSpec> specs = results
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
        InitializeHistory(context, specs);
    }
}
