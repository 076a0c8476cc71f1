using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading;
using Kappa.Analyzers.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Kappa.Analyzers.Determinism;

/// <summary>
/// The determinism analyzers (KAPPA101-KAPPA114, KAPPA190). For each <c>[StreamProcessor]</c> type it walks the call graph
/// from the <c>[Consume]</c> handlers breadth-first, using one memoized <see cref="MethodSummary"/> per method (shared by all
/// rules and all processors of the compilation), and reports each offending construct once per processor, at the construct
/// itself, with the shortest call chain from a handler in the message.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DeterminismAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.WallClock,
        DiagnosticDescriptors.RandomValues,
        DiagnosticDescriptors.SeededRandom,
        DiagnosticDescriptors.TimersAndSleeps,
        DiagnosticDescriptors.Concurrency,
        DiagnosticDescriptors.CompletionOrder,
        DiagnosticDescriptors.UnorderedIteration,
        DiagnosticDescriptors.HashCodeUse,
        DiagnosticDescriptors.Culture,
        DiagnosticDescriptors.EnvironmentRead,
        DiagnosticDescriptors.ExternalIo,
        DiagnosticDescriptors.StaticMutableState,
        DiagnosticDescriptors.FloatingPoint,
        DiagnosticDescriptors.ReflectionOrder,
        DiagnosticDescriptors.UnfollowableCall);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();

        // Generated code (the processor dispatchers) is walked when a handler reaches it, but nothing is reported inside it.
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        INamedTypeSymbol? processor = context.Compilation.GetTypeByMetadataName("Kappa.StreamProcessorAttribute");
        INamedTypeSymbol? consume = context.Compilation.GetTypeByMetadataName("Kappa.ConsumeAttribute");
        if (processor is null || consume is null)
        {
            return; // not a Kappa project
        }

        BannedMembers banned = BannedMembers.Read(context.Options.AdditionalFiles, context.CancellationToken);
        var state = new CompilationState(context.Compilation, processor, consume, banned, context.Options.AnalyzerConfigOptionsProvider);
        context.RegisterSymbolAction(c => AnalyzeType(c, state), SymbolKind.NamedType);
    }

    private static void AnalyzeType(SymbolAnalysisContext context, CompilationState state)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (!HasAttribute(type, state.ProcessorAttribute) || state.IsVetted(type))
        {
            return;
        }

        List<IMethodSymbol> handlers = type.GetMembers()
            .OfType<IMethodSymbol>()
            .Where(m => HasAttribute(m, state.ConsumeAttribute) && !state.IsVetted(m))
            .OrderBy(m => m.Locations.FirstOrDefault()?.SourceTree?.FilePath, System.StringComparer.Ordinal)
            .ThenBy(m => m.Locations.FirstOrDefault()?.SourceSpan.Start ?? 0)
            .ToList();
        if (handlers.Count == 0)
        {
            return;
        }

        foreach (Diagnostic diagnostic in Analyze(state, handlers, context.CancellationToken))
        {
            context.ReportDiagnostic(diagnostic);
        }
    }

    /// <summary>Breadth-first from all handlers at once, so each reachable method gets its shortest chain.</summary>
    internal static IEnumerable<Diagnostic> Analyze(CompilationState state, IReadOnlyList<IMethodSymbol> handlers, CancellationToken cancellationToken)
    {
        var parents = new Dictionary<IMethodSymbol, IMethodSymbol?>(SymbolEqualityComparer.Default);
        var queue = new Queue<IMethodSymbol>();
        foreach (IMethodSymbol handler in handlers)
        {
            IMethodSymbol key = handler.OriginalDefinition.PartialDefinitionPart ?? handler.OriginalDefinition;
            if (!parents.ContainsKey(key))
            {
                parents.Add(key, null);
                queue.Enqueue(key);
            }
        }

        var reported = new HashSet<(string Id, Location Location)>();
        var diagnostics = new List<Diagnostic>();
        while (queue.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            IMethodSymbol method = queue.Dequeue();
            MethodSummary summary = state.GetSummary(method, cancellationToken);
            string? chain = null;
            foreach (Finding finding in summary.Findings)
            {
                if (!reported.Add((finding.Descriptor.Id, finding.Location)))
                {
                    continue;
                }

                chain ??= Chain(method, parents);
                diagnostics.Add(Diagnostic.Create(
                    finding.Descriptor,
                    finding.Location,
                    finding.Member,
                    chain + " -> " + finding.Member,
                    finding.Detail));
            }

            foreach (CallEdge call in summary.Calls)
            {
                if (!parents.ContainsKey(call.Target))
                {
                    parents.Add(call.Target, method);
                    queue.Enqueue(call.Target);
                }
            }
        }

        return diagnostics;
    }

    private static string Chain(IMethodSymbol method, Dictionary<IMethodSymbol, IMethodSymbol?> parents)
    {
        var names = new List<string>();
        for (IMethodSymbol? m = method; m is not null; m = parents[m])
        {
            names.Add(ChainName(m));
        }

        names.Reverse();
        var text = new StringBuilder();
        foreach (string name in names)
        {
            if (text.Length > 0)
            {
                text.Append(" -> ");
            }

            text.Append(name);
        }

        return text.ToString();
    }

    private static string ChainName(IMethodSymbol method) => method switch
    {
        { MethodKind: MethodKind.Constructor } => "new " + method.ContainingType.Name,
        { MethodKind: MethodKind.StaticConstructor } => method.ContainingType.Name + " static initializer",
        { AssociatedSymbol: IPropertySymbol property } => method.ContainingType.Name + "." + property.Name,
        { MethodKind: MethodKind.AnonymousFunction } => method.ContainingType.Name + "." + (method.ContainingSymbol is INamedTypeSymbol ? string.Empty : ContainerName(method.ContainingSymbol) + " ") + "lambda",
        _ => method.ContainingType.Name + "." + method.Name,
    };

    private static string ContainerName(ISymbol symbol) => symbol switch
    {
        IMethodSymbol { MethodKind: MethodKind.Constructor } => "new",
        IMethodSymbol { AssociatedSymbol: { } associated } => associated.Name,
        _ => symbol.Name,
    };

    private static bool HasAttribute(ISymbol symbol, INamedTypeSymbol attribute)
    {
        foreach (AttributeData data in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(data.AttributeClass, attribute))
            {
                return true;
            }
        }

        return false;
    }
}
