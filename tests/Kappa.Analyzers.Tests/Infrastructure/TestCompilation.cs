using Kappa.Tests.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Kappa.Analyzers.Tests.Infrastructure;

/// <summary>
/// A plain compilation of test sources, for the one kind of test the standard harness cannot express: inspecting the
/// analyzer's internal model (e.g. how many method summaries <c>CompilationState</c> built), which needs the
/// <see cref="Compilation"/> itself rather than the diagnostics reported on it.
/// </summary>
public static class TestCompilation
{
    public static CSharpCompilation Create(params string[] sources)
    {
        var parseOptions = KappaTestSetup.Parse(CSharpParseOptions.Default);
        var trees = sources.Prepend(KappaTestSetup.GlobalUsings).Select((s, i) => CSharpSyntaxTree.ParseText(s, (CSharpParseOptions)parseOptions, path: $"Test{i}.cs"));
        var options = KappaTestSetup.Options(new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));
        return CSharpCompilation.Create("TestProject", trees, KappaTestReferences.All, (CSharpCompilationOptions)options);
    }
}
