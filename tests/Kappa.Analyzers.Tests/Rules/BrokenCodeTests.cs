using Kappa.Analyzers.Tests.Infrastructure;
using Verifier = Kappa.Analyzers.Tests.Infrastructure.AnalyzerVerifier<Kappa.Analyzers.Determinism.DeterminismAnalyzer>;

namespace Kappa.Analyzers.Tests.Rules;

/// <summary>Incomplete and broken code (as the IDE sees it while typing) must never make the analyzer throw.</summary>
public class BrokenCodeTests
{
    private static readonly VerifyOptions Broken = new() { AllowCompilerErrors = true, Severities = { ["KAPPA190"] = Microsoft.CodeAnalysis.ReportDiagnostic.Info } };

    [Fact]
    public Task MissingSemicolon_StillReports() =>
        Verifier.VerifyAsync(Sources.Processor("        return {|KAPPA101:DateTime.UtcNow|}"), Broken);

    [Theory]
    [InlineData("        return DateTime.;")]
    [InlineData("        return new Missing().Run(value);")]
    [InlineData("        return Helper.Undefined(value);")]
    [InlineData("        return Math.Max(1);")]
    [InlineData("        return value.Length.ToString(1, 2, 3);")]
    [InlineData("        var x = (Func<int>)(() => { return UnknownCall(); }); return x();")]
    [InlineData("        foreach (var x in 42) { } return null;")]
    [InlineData("        foreach (var x in missing) { } return null;")]
    [InlineData("        return $\"{missing:F2}\";")]
    [InlineData("        return await Task.CompletedTask.ConfigureAwait();")]
    [InlineData("        return Partial();")]
    [InlineData("        return External();")]
    [InlineData("        return new Orders(1, 2);")]
    [InlineData("        return Loop;")]
    [InlineData("        return this.")]
    [InlineData("        return (")]
    [InlineData("        int.Parse(")]
    [InlineData("        }}}}")]
    public async Task BrokenHandlerBodies_DoNotThrow(string body)
    {
        var result = await Verifier.RunAsync([Sources.Processor(body, members: """
                private static partial object Partial();
                private static extern object External();
                private object Loop => Loop;
            """)], Broken);
        Assert.True(result.Compilation.GetDiagnostics().Any(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error), "the test source was meant to be broken");
    }

    [Theory]
    [InlineData("""
        [StreamProcessor]
        public partial class P { [Consume] public object A() => DateTime.UtcNow; }
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
        await Verifier.RunAsync([source], Broken);
    }

    [Fact]
    public Task NoKappaReference_MeansNoAnalysis() =>
        Verifier.VerifyAsync("""
            namespace Other { [System.AttributeUsage(System.AttributeTargets.Class)] public sealed class StreamProcessorAttribute(string n) : System.Attribute; }
            [Other.StreamProcessor("x")] public class P { public object A() => System.DateTime.UtcNow; }
            """);
}
