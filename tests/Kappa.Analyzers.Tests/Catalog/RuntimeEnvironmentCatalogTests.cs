using System.Collections.Immutable;
using System.Text;
using Kappa.Analyzers.Determinism;
using Kappa.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Kappa.Analyzers.Tests.Catalog;

/// <summary>
/// The catalog of runtime and environment reads: every public member of its types in the reference assemblies is
/// classified, and the analyzer reports each one with exactly the classified rule (or not at all when accepted).
/// </summary>
public class RuntimeEnvironmentCatalogTests
{
    [Fact]
    public void EveryPublicMemberOfTheCatalogTypes_IsClassified()
    {
        List<string> missing = RuntimeEnvironmentCatalog.Types
            .SelectMany(ReferenceAssemblyScan.PublicMembers)
            .Select(ReferenceAssemblyScan.Id)
            .Where(id => !RuntimeEnvironmentCatalog.Members.ContainsKey(id))
            .Distinct(StringComparer.Ordinal)
            .ToList();

        Assert.True(missing.Count == 0, "Classify these members in RuntimeEnvironmentCatalog:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void CatalogEntries_ExistInTheReferenceAssemblies_WithAReasonAndAKnownRule()
    {
        Assert.All(RuntimeEnvironmentCatalog.Types, type => Assert.NotEmpty(ReferenceAssemblyScan.PublicMembers(type)));
        var scanned = RuntimeEnvironmentCatalog.Types.SelectMany(ReferenceAssemblyScan.PublicMembers).Select(ReferenceAssemblyScan.Id).ToHashSet(StringComparer.Ordinal);
        List<string> stale = RuntimeEnvironmentCatalog.Members.Keys.Where(id => !scanned.Contains(id)).ToList();
        Assert.True(stale.Count == 0, "Not public members of the catalog types:\n" + string.Join("\n", stale));
        Assert.All(RuntimeEnvironmentCatalog.Members, entry =>
        {
            Assert.False(string.IsNullOrWhiteSpace(entry.Value.Reason), entry.Key);
            if (entry.Value.Rule is { } rule)
            {
                Assert.Equal(rule, Kappa.Analyzers.Common.DiagnosticDescriptors.ById(rule).Id);
            }
        });
    }

    /// <summary>
    /// Uses every member that source can use directly (properties and fields read, methods and constructors called with
    /// default arguments; generic methods, pointer and by-ref parameters and events are left out and counted) on the
    /// processing path, one per line, and checks the rule reported on each line against the catalog.
    /// </summary>
    [Fact]
    public async Task EveryUsableMember_IsReportedWithItsClassifiedRule()
    {
        var uses = new List<(string Id, string? Rule, string Code)>();
        foreach (string typeName in RuntimeEnvironmentCatalog.Types.OrderBy(t => t, StringComparer.Ordinal))
        {
            foreach (ISymbol member in ReferenceAssemblyScan.PublicMembers(typeName))
            {
                string id = ReferenceAssemblyScan.Id(member);
                if (Use(member) is { } code && !uses.Any(u => u.Id == id))
                {
                    uses.Add((id, RuntimeEnvironmentCatalog.Members[id].Rule, code));
                }
            }
        }

        Assert.True(uses.Count > 350, $"only {uses.Count} members could be used");
        var body = new StringBuilder();
        foreach ((string _, string? _, string code) in uses)
        {
            body.Append("        { ").Append(code).AppendLine(" }");
        }

        string source = "#pragma warning disable CS0618, CS0612, CS0672, SYSLIB0003, SYSLIB0004, SYSLIB0006, SYSLIB0012, SYSLIB0019, SYSLIB0044, SYSLIB0046, CS8600, CS8625, CS8604, CS8602, CA1416, CA2252\n"
            + Sources.Processor(body + "        return null;");
        var compilation = TestCompilation.Create(source);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        ImmutableArray<Diagnostic> diagnostics = await compilation.WithAnalyzers([new DeterminismAnalyzer()]).GetAnalyzerDiagnosticsAsync();
        ILookup<int, string> byLine = diagnostics.ToLookup(d => d.Location.GetLineSpan().StartLinePosition.Line, d => d.Id);
        int firstLine = source.Split('\n').TakeWhile(l => !l.StartsWith("        { ", StringComparison.Ordinal)).Count();
        var wrong = new List<string>();
        for (int i = 0; i < uses.Count; i++)
        {
            string[] reported = byLine[firstLine + i].Distinct().ToArray();
            bool ok = uses[i].Rule is { } rule ? reported.Contains(rule) : reported.Length == 0;
            if (!ok)
            {
                wrong.Add($"{uses[i].Id}: expected {uses[i].Rule ?? "nothing"}, reported [{string.Join(", ", reported)}]   {uses[i].Code}");
            }
        }

        Assert.True(wrong.Count == 0, "Reported differently from the catalog:\n" + string.Join("\n", wrong));
    }

    private static string? Use(ISymbol member)
    {
        INamedTypeSymbol type = member.ContainingType;
        string Name(ITypeSymbol t) => t.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        string receiver = member.IsStatic ? Name(type) : $"default({Name(type)})!";
        switch (member)
        {
            case IPropertySymbol { GetMethod: not null, IsIndexer: false } property:
                return $"_ = {receiver}.{property.Name};";
            case IFieldSymbol field:
                return $"_ = {receiver}.{field.Name};";
            case IMethodSymbol method when !method.IsGenericMethod && !(method.MethodKind == MethodKind.Constructor && (type.IsAbstract || type.IsStatic))
                && !method.Parameters.Any(p => p.RefKind is RefKind.Ref or RefKind.In or RefKind.RefReadOnlyParameter || p.Type.TypeKind == TypeKind.Pointer):
                string args = string.Join(", ", method.Parameters.Select(p => p.RefKind == RefKind.Out ? $"out {Name(p.Type)} _" : $"default({Name(p.Type)})"));
                string discard = method.ReturnsVoid ? string.Empty : "_ = ";
                return method.MethodKind == MethodKind.Constructor ? $"_ = new {Name(type)}({args});" : $"{discard}{receiver}.{method.Name}({args});";
            default:
                return null;
        }
    }
}
