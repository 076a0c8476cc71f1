using System.Collections.Immutable;
using Kappa.Analyzers.Determinism;
using Kappa.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Verifier = Microsoft.CodeAnalysis.Testing.AnalyzerVerifier<
    Kappa.Analyzers.Determinism.DeterminismAnalyzer,
    Kappa.Analyzers.Tests.Infrastructure.KappaAnalyzerTest<Kappa.Analyzers.Determinism.DeterminismAnalyzer>,
    Microsoft.CodeAnalysis.Testing.DefaultVerifier>;

namespace Kappa.Analyzers.Tests.Rules;

/// <summary>Incomplete and broken code (as the IDE sees it while typing) must never make the analyzer throw.</summary>
public class BrokenCodeTests
{
    /// <summary>
    /// Broken sources with KAPPA190 on. Compiler errors are not listed (the harness would demand each one); instead the
    /// test records whether the compilation the analyzer ran on had errors, so a test meant to be broken can prove it is.
    /// </summary>
    private sealed class BrokenTest : KappaAnalyzerTest<DeterminismAnalyzer>
    {
        public BrokenTest()
        {
            CompilerDiagnostics = CompilerDiagnostics.None;
            WithUnfollowable();
        }

        public bool SawCompilerErrors { get; private set; }

        protected override CompilationWithAnalyzers CreateCompilationWithAnalyzers(Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers, AnalyzerOptions options, CancellationToken cancellationToken)
        {
            SawCompilerErrors |= compilation.GetDiagnostics(cancellationToken).Any(d => d.Severity == DiagnosticSeverity.Error);
            return base.CreateCompilationWithAnalyzers(compilation, analyzers, options, cancellationToken);
        }
    }

    [Fact]
    public Task MissingSemicolon_StillReports() =>
        new BrokenTest { TestCode = Sources.Processor("        return {|KAPPA101:DateTime.UtcNow|}") }.RunAsync();

    [Theory]
    [InlineData("        return DateTime.;")]
    [InlineData("        return new Missing().Run(value);")]
    [InlineData("        return Helper.Undefined(value);")]
    [InlineData("        return Math.Max(1);")]
    [InlineData("        return value.Length.ToString(1, 2, 3);")]
    [InlineData("        var x = (Func<int>)(() => { return UnknownCall(); }); return x();")]
    [InlineData("        Func<int> x = MissingMethod; return {|KAPPA190:x()|};")]
    [InlineData("        foreach (var x in 42) { } return null;")]
    [InlineData("        foreach (var x in missing) { } return null;")]
    [InlineData("        return $\"{missing:F2}\";")]
    [InlineData("        return await Task.CompletedTask.ConfigureAwait();")]
    [InlineData("        return Partial();")]
    [InlineData("        return {|KAPPA190:External()|};")]
    [InlineData("        return new Orders(1, 2);")]
    [InlineData("        return Loop;")]
    [InlineData("        return this.")]
    [InlineData("        return (")]
    [InlineData("        int.Parse(")]
    [InlineData("        }}}}")]
    public async Task BrokenHandlerBodies_DoNotThrow(string body)
    {
        var test = new BrokenTest
        {
            TestCode = Sources.Processor(body, members: """
                    private static partial object Partial();
                    private static extern object External();
                    private object Loop => Loop;
                """),
        };
        await test.RunAsync();
        Assert.True(test.SawCompilerErrors, "the test source was meant to be broken");
    }

    [Theory]
    [InlineData("""
        [StreamProcessor]
        public partial class P { [Consume] public object A() => {|KAPPA101:DateTime.UtcNow|}; }
        """)]
    [InlineData("""
        [StreamProcessor("p")]
        public partial class P { [Consume("a")] public object A( => DateTime.UtcNow; }
        """)]
    [InlineData("""
        [StreamProcessor("p")]
        public partial class P { [Consume("a")] public abstract object A(string v); }
        """)]
    [InlineData("""
        [StreamProcessor("p")]
        public partial class P : MissingBase { [Consume("a")] public object A(string v) => base.Run() + Other.Thing; }
        """)]
    [InlineData("""
        [StreamProcessor("p")]
        public partial class P<T> { [Consume("a")] public T A(T v) => Make<T>(); static T Make<TT>() => default!; }
        """)]
    [InlineData("""
        [StreamProcessor("p")]
        public partial class P { [Consume("a")] public object A(string v) { class X { } } }
        """)]
    public async Task BrokenProcessors_DoNotThrow(string source)
    {
        await new BrokenTest { TestCode = source }.RunAsync();
    }

    [Fact]
    public Task NoKappaReference_MeansNoAnalysis() =>
        Verifier.VerifyAnalyzerAsync("""
            namespace Other { [System.AttributeUsage(System.AttributeTargets.Class)] public sealed class StreamProcessorAttribute(string n) : System.Attribute; }
            [Other.StreamProcessor("x")] public class P { public object A() => System.DateTime.UtcNow; }
            """);
}
