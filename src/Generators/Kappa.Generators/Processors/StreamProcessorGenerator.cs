using Kappa.Generators.Common;
using Kappa.Generators.Processors.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Kappa.Generators.Processors;

/// <summary>
/// Generates, for every <c>[StreamProcessor]</c> class, its descriptor and record dispatcher (decode, call the handler,
/// encode and produce outputs) and an <c>Add{Processor}()</c> registration for Kappa hosting.
/// Pipeline only; see the Parser and Emitter parts.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class StreamProcessorGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of this generator's own steps (the shared ones are in <see cref="TrackingNames"/>).</summary>
    public const string StrayConsumeDiagnostics = nameof(StrayConsumeDiagnostics);

    public const string StrayOutputDiagnostics = nameof(StrayOutputDiagnostics);

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<ProcessorParseResult> results = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownNames.StreamProcessorAttribute,
                static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                static (ctx, ct) => Parser.Parse(ctx, ct));

        IncrementalValuesProvider<ProcessorSpec> models = results
            .Select(static (r, _) => r.Spec)
            .Where(static s => s is not null)
            .Select(static (s, _) => s!)
            .WithTrackingName(TrackingNames.ProcessorModels);

        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> diagnostics = results
            .Select(static (r, _) => r.Diagnostics)
            .WithTrackingName(TrackingNames.ProcessorDiagnostics);

        IncrementalValueProvider<EquatableArray<DiagnosticInfo>> duplicates = results
            .Select(static (r, _) => r.Identity)
            .Where(static i => i is not null)
            .Select(static (i, _) => i!)
            .Collect()
            .Select(static (ids, _) => Parser.FindDuplicates(ids));

        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> strayConsume = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownNames.ConsumeAttribute,
                static (node, _) => node is MethodDeclarationSyntax,
                static (ctx, ct) => Parser.ParseStrayHandler(ctx, "Consume", ct))
            .WithTrackingName(StrayConsumeDiagnostics);

        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> strayOutput = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownNames.OutputAttribute,
                static (node, _) => node is MethodDeclarationSyntax,
                static (ctx, ct) => Parser.ParseStrayHandler(ctx, "Output", ct))
            .WithTrackingName(StrayOutputDiagnostics);

        context.RegisterSourceOutput(strayConsume, static (spc, items) => Report(spc, items));
        context.RegisterSourceOutput(strayOutput, static (spc, items) => Report(spc, items));
        context.RegisterSourceOutput(models, static (spc, spec) => Emitter.Emit(spc, spec));
        context.RegisterSourceOutput(diagnostics, static (spc, items) => Report(spc, items));
        context.RegisterSourceOutput(duplicates, static (spc, items) => Report(spc, items));
    }

    private static void Report(SourceProductionContext context, EquatableArray<DiagnosticInfo> diagnostics)
    {
        foreach (DiagnosticInfo diagnostic in diagnostics)
        {
            context.ReportDiagnostic(diagnostic.ToDiagnostic());
        }
    }

}
