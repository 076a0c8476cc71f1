using System.Collections.Immutable;
using System.Text;
using Kappa.Analyzers.Determinism;
using Kappa.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Kappa.Analyzers.Tests.Catalog;

/// <summary>
/// The KAPPA109 audit of the BCL: every member of the reference assemblies that has an IFormatProvider/CultureInfo
/// overload is classified in <see cref="ImplicitCultureCatalog"/>, and every member classified as using the current
/// culture is actually reported.
/// </summary>
public class ImplicitCultureCatalogTests
{
    [Fact]
    public void EveryMemberWithAFormatProviderOverload_IsCoveredOrAccepted()
    {
        List<string> missing = ReferenceAssemblyScan.MembersWithFormatProviderSibling()
            .Select(ReferenceAssemblyScan.Id)
            .Distinct(StringComparer.Ordinal)
            .Where(id => !ImplicitCultureCatalog.ImplicitProvider.Contains(id) && !ImplicitCultureCatalog.Accepted.ContainsKey(id))
            .OrderBy(id => id, StringComparer.Ordinal)
            .ToList();

        Assert.True(missing.Count == 0, "Classify these members in ImplicitCultureCatalog (ImplicitProvider or Accepted with a reason):\n" + string.Join("\n", missing));
    }

    [Fact]
    public void CatalogEntries_AreMembersWithAFormatProviderOverload_ClassifiedOnce()
    {
        var scanned = ReferenceAssemblyScan.MembersWithFormatProviderSibling().Select(ReferenceAssemblyScan.Id).ToHashSet(StringComparer.Ordinal);
        List<string> stale = ImplicitCultureCatalog.ImplicitProvider.Concat(ImplicitCultureCatalog.Accepted.Keys).Where(id => !scanned.Contains(id)).ToList();
        List<string> both = ImplicitCultureCatalog.ImplicitProvider.Where(ImplicitCultureCatalog.Accepted.ContainsKey).ToList();

        Assert.True(stale.Count == 0, "Not members with an IFormatProvider overload in the reference assemblies:\n" + string.Join("\n", stale));
        Assert.True(both.Count == 0, "Both covered and accepted:\n" + string.Join("\n", both));
        Assert.All(ImplicitCultureCatalog.Accepted, entry => Assert.False(string.IsNullOrWhiteSpace(entry.Value), entry.Key + " needs a reason"));
    }

    /// <summary>
    /// Calls every covered member that source code can call (public, on a non-abstract type for constructors, no ref-like
    /// by-ref parameters) with default arguments of its exact parameter types, on the processing path, and expects one
    /// KAPPA109 at each call.
    /// </summary>
    [Fact]
    public async Task EveryCoveredMember_IsReported()
    {
        var calls = new List<(string Id, string Code)>();
        foreach (IMethodSymbol method in ReferenceAssemblyScan.MembersWithFormatProviderSibling())
        {
            string id = ReferenceAssemblyScan.Id(method);
            if (ImplicitCultureCatalog.ImplicitProvider.Contains(id) && CallFor(method) is { } code && !calls.Any(c => c.Id == id))
            {
                calls.Add((id, code));
            }
        }

        Assert.True(calls.Count > 200, $"only {calls.Count} covered members could be called");
        var body = new StringBuilder();
        foreach ((string _, string code) in calls)
        {
            body.Append("        { ").Append(code).AppendLine(" }");
        }

        string source = "#pragma warning disable CS0618, CS0612, SYSLIB0001, SYSLIB0011, SYSLIB0051, CS8600, CS8625, CS8604, CS8602\n"
            + Sources.Processor(body + "        return null;");
        var compilation = TestCompilation.Create(source);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        ImmutableArray<Diagnostic> diagnostics = await compilation
            .WithAnalyzers([new DeterminismAnalyzer()])
            .GetAnalyzerDiagnosticsAsync();
        var reportedLines = diagnostics.Where(d => d.Id == "KAPPA109").Select(d => d.Location.GetLineSpan().StartLinePosition.Line).ToHashSet();
        int firstLine = source.Split('\n').TakeWhile(l => !l.Contains("        { ", StringComparison.Ordinal)).Count();
        List<string> unreported = calls.Where((c, i) => !reportedLines.Contains(firstLine + i)).Select(c => c.Id + "   " + c.Code).ToList();

        Assert.True(unreported.Count == 0, "Covered but not reported:\n" + string.Join("\n", unreported));
    }

    private static string? CallFor(IMethodSymbol method)
    {
        INamedTypeSymbol type = method.ContainingType;
        if (method.DeclaredAccessibility != Accessibility.Public || method.IsGenericMethod || type.IsGenericType
            || (method.MethodKind == MethodKind.Constructor && (type.IsAbstract || type.IsStatic))
            || method.Parameters.Any(p => p.RefKind is RefKind.Ref or RefKind.RefReadOnlyParameter || p.Type.IsRefLikeType && p.RefKind != RefKind.None))
        {
            return null;
        }

        string Name(ITypeSymbol t) => t.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        IEnumerable<string> arguments = method.Parameters.Select(p => p.RefKind switch
        {
            RefKind.Out => $"out {Name(p.Type)} _",
            RefKind.In => $"in __{p.Ordinal}",
            _ => $"default({Name(p.Type)})",
        });
        string locals = string.Concat(method.Parameters.Where(p => p.RefKind == RefKind.In).Select(p => $"{Name(p.Type)} __{p.Ordinal} = default; "));
        string args = string.Join(", ", arguments);
        string discard = method.ReturnsVoid ? string.Empty : "_ = ";
        return method.MethodKind == MethodKind.Constructor
            ? $"{locals}_ = new {Name(type)}({args});"
            : method.IsStatic
                ? $"{locals}{discard}{Name(type)}.{method.Name}({args});"
                : $"{locals}{discard}default({Name(type)})!.{method.Name}({args});";
    }
}
