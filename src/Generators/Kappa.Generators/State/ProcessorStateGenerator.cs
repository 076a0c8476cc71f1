using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Kappa.Generators.Common;
using Kappa.Generators.State.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Kappa.Generators.State;

/// <summary>
/// Generates the deterministic, versioned serializer of every [ProcessorState] type (an implementation of
/// Kappa.State.IProcessorState&lt;TSelf&gt;), checking its shape against kappa-state.lock.json. Pipeline only; see
/// the Parser, Resolver and Emitter parts.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class ProcessorStateGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<StateDeclarationResult> declarations = context.SyntaxProvider.ForAttributeWithMetadataName(
            KnownNames.ProcessorStateAttribute,
            static (node, _) => node is TypeDeclarationSyntax,
            Parser.Parse);

        IncrementalValueProvider<StateLockSpec> lockFile = context.AdditionalTextsProvider
            .Where(static text => string.Equals(Path.GetFileName(text.Path), StateLockFile.FileName, StringComparison.OrdinalIgnoreCase))
            .Select(static (text, ct) => StateLockFile.Parse(text.Path, text.GetText(ct)?.ToString()))
            .Collect()
            .Select(static (files, _) => Single(files));

        IncrementalValuesProvider<StateTypeResult> models = declarations
            .Combine(lockFile)
            .Select(static (pair, _) => Resolver.Resolve(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.StateModels);

        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> diagnostics = models
            .Select(static (result, _) => result.Diagnostics)
            .WithTrackingName(TrackingNames.StateDiagnostics);

        context.RegisterSourceOutput(models, static (spc, result) =>
        {
            if (result.Spec is { } spec)
            {
                spc.AddSource(Emitter.HintName(spec), Emitter.Emit(spec));
            }
        });

        context.RegisterSourceOutput(diagnostics, static (spc, items) =>
        {
            foreach (DiagnosticInfo diagnostic in items)
            {
                spc.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
        });

        IncrementalValueProvider<string?> lockContent = models
            .Select(static (result, _) => result.Spec?.LockEntry)
            .Collect()
            .Select(static (entries, _) => entries.Any(e => e is not null)
                ? StateLockFile.WriteFile(entries.Where(e => e is not null).Select(e => e!))
                : null);

        context.RegisterSourceOutput(lockContent, static (spc, json) =>
        {
            if (json is not null)
            {
                spc.AddSource(Emitter.LockHintName, Emitter.EmitLock(json));
            }
        });

        context.RegisterSourceOutput(lockFile, static (spc, file) =>
        {
            if (file.Error is { } error)
            {
                spc.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.StateLockFileInvalid, Location.None, file.Path ?? StateLockFile.FileName, error));
            }
        });
    }

    private static StateLockSpec Single(ImmutableArray<StateLockSpec> files) => files.Length switch
    {
        0 => StateLockSpec.None,
        1 => files[0],
        _ => new StateLockSpec(
            files[0].Path,
            EquatableArray<StateLockTypeSpec>.Empty,
            $"{files.Length} files named {StateLockFile.FileName} are passed as AdditionalFiles ({string.Join(", ", files.Select(f => f.Path).OrderBy(p => p, StringComparer.Ordinal))}); pass exactly one"),
    };
}
