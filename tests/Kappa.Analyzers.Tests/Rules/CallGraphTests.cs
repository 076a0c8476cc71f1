using Kappa.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Verifier = Microsoft.CodeAnalysis.Testing.AnalyzerVerifier<
    Kappa.Analyzers.Determinism.DeterminismAnalyzer,
    Kappa.Analyzers.Tests.Infrastructure.KappaAnalyzerTest<Kappa.Analyzers.Determinism.DeterminismAnalyzer>,
    Microsoft.CodeAnalysis.Testing.DefaultVerifier>;

namespace Kappa.Analyzers.Tests.Rules;

/// <summary>What the walk follows from a handler, and how it reports.</summary>
public class CallGraphTests
{
    [Fact]
    public Task HelperChain_ReportsAtOffendingSite() =>
        Verifier.VerifyAnalyzerAsync(Sources.Processor("        return Pricing.Quote(value);", outside: """
            static class Pricing
            {
                public static string Quote(string v) => Format(v);
                private static string Format(string v) => v + {|KAPPA102:Guid.NewGuid()|};
            }
            """));

    [Fact]
    public Task PropertyGetterAndSetter_AreFollowed() =>
        Verifier.VerifyAnalyzerAsync(Sources.Processor("""
                    var b = new Box();
                    b.Stamp = 1;
                    return b.Now;
            """, outside: """
            class Box
            {
                public DateTime Now => {|KAPPA101:DateTime.UtcNow|};
                public long Stamp { get => 0; set => _ = {|KAPPA102:Guid.NewGuid()|}; }
            }
            """));

    [Fact]
    public Task ConstructorFieldInitializersAndStaticInitializers_AreFollowed() =>
        Verifier.VerifyAnalyzerAsync(Sources.Processor("""
                    var s = new Session();
                    return (s, Defaults.Limit);
            """, outside: """
            class Session
            {
                private readonly Guid _id = {|KAPPA102:Guid.NewGuid()|};
                public Session() { Started = {|KAPPA101:DateTime.UtcNow|}; }
                public DateTime Started { get; }
                public Guid Id => _id;
            }
            static class Defaults
            {
                public static readonly int Limit = {|KAPPA110:Environment.ProcessorCount|};
            }
            """));

    [Fact]
    public Task ChainedConstructor_RunsInitializersOnce() =>
        Verifier.VerifyAnalyzerAsync(Sources.Processor("        return new Session(1);", outside: """
            class Session
            {
                private readonly Guid _id = {|KAPPA102:Guid.NewGuid()|};
                public Session() { }
                public Session(int x) : this() { }
            }
            """));

    [Fact]
    public Task OperatorsAndConversions_AreFollowed() =>
        Verifier.VerifyAnalyzerAsync(Sources.Processor("""
                    var a = new Money(1);
                    var b = a + a;
                    long c = b;
                    return c;
            """, outside: """
            readonly struct Money(long cents)
            {
                public long Cents => cents;
                public static Money operator +(Money x, Money y) => new(x.Cents + y.Cents + {|KAPPA101:Environment.TickCount64|});
                public static implicit operator long(Money m) => m.Cents + {|KAPPA102:Random.Shared|}.Next();
            }
            """));

    [Fact]
    public Task LambdasLocalFunctionsAndMethodGroups_AreFollowed() =>
        Verifier.VerifyAnalyzerAsync(Sources.Processor("""
                    Func<DateTime> f = () => {|KAPPA101:DateTime.Now|};
                    int Local() => {|KAPPA110:Environment.ProcessorCount|};
                    Func<Guid> g = Ids.Make;
                    return (f(), Local(), g());
            """, outside: """
            static class Ids
            {
                public static Guid Make() => {|KAPPA102:Guid.NewGuid()|};
            }
            """));

    [Fact]
    public Task Recursion_Terminates() =>
        Verifier.VerifyAnalyzerAsync(Sources.Processor("        return Ping(3);", members: """
                private static int Ping(int n) => n == 0 ? {|KAPPA101:Environment.TickCount|} : Pong(n - 1);
                private static int Pong(int n) => Ping(n);
            """));

    [Fact]
    public Task HelperSharedByTwoHandlers_IsReportedOnce() =>
        Verifier.VerifyAnalyzerAsync("""
            [StreamProcessor("p")]
            public partial class P
            {
                [Consume("a")] public object A(string v, RecordContext ctx) => Shared.Now();
                [Consume("b")] public object B(string v, RecordContext ctx) => Shared.Now();
            }
            static class Shared
            {
                public static DateTime Now() => {|KAPPA101:DateTime.UtcNow|};
            }
            """);

    [Fact]
    public Task HelperSharedByTwoProcessors_IsReportedOncePerProcessor_WithEachChain() =>
        Verifier.VerifyAnalyzerAsync(
            """
            [StreamProcessor("p")]
            public partial class P { [Consume("a")] public object A(string v, RecordContext ctx) => Shared.Now(); }
            [StreamProcessor("q")]
            public partial class Q { [Consume("b")] public object B(string v, RecordContext ctx) => Shared.Now(); }
            static class Shared { public static DateTime Now() => {|#0:DateTime.UtcNow|}; }
            """,
            Verifier.Diagnostic("KAPPA101").WithLocation(0).WithArguments("DateTime.UtcNow", "P.A -> Shared.Now -> DateTime.UtcNow", string.Empty),
            Verifier.Diagnostic("KAPPA101").WithLocation(0).WithArguments("DateTime.UtcNow", "Q.B -> Shared.Now -> DateTime.UtcNow", string.Empty));

    [Fact]
    public Task Chain_IsTheShortestPathFromAHandler() =>
        Verifier.VerifyAnalyzerAsync(
            Sources.Processor("        return (Long1(), Short());", members: """
                private static object Long1() => Long2();
                private static object Long2() => Short();
                private static object Short() => {|#0:DateTime.UtcNow|};
            """),
            Verifier.Diagnostic("KAPPA101").WithLocation(0).WithArguments("DateTime.UtcNow", "Orders.Handle -> Orders.Short -> DateTime.UtcNow", string.Empty));

    [Fact]
    public Task UnreachableCodeAndNonProcessors_AreSilent() =>
        Verifier.VerifyAnalyzerAsync(Sources.Processor("        return value;", members: """
                private static DateTime NotCalled() => DateTime.UtcNow;
            """, outside: """
            class Startup
            {
                public DateTime When = DateTime.Now;
                [Consume("x")] public Guid NotAProcessor() => Guid.NewGuid();
            }
            """));

    [Fact]
    public Task DeterministicAttribute_VetsMethodsPropertiesAndTypes() =>
        Verifier.VerifyAnalyzerAsync(Sources.Processor("        return (Vetted.Now(), new Clock().Now, Audit.Mark());", outside: """
            [Deterministic("cached once per deployment, part of the processor version")]
            static class Vetted { public static DateTime Now() => DateTime.UtcNow; }
            class Clock { [Deterministic] public DateTime Now => DateTime.UtcNow; }
            static class Audit { [Deterministic] public static Guid Mark() => Guid.NewGuid(); }
            """));

    [Fact]
    public Task DeterministicHandler_IsNotAnalysed() =>
        Verifier.VerifyAnalyzerAsync("""
            [StreamProcessor("p")]
            public partial class P
            {
                [Consume("a"), Deterministic] public object A(string v, RecordContext ctx) => DateTime.UtcNow;
                [Consume("b")] public object B(string v, RecordContext ctx) => {|KAPPA101:DateTime.UtcNow|};
            }
            """);

    [Fact]
    public Task UnfollowableCalls_AreSilentByDefault() =>
        Verifier.VerifyAnalyzerAsync(Sources.Processor("""
                    Func<int> f = () => 1;
                    IRates r = new Rates();
                    return (f(), r.Rate());
            """, outside: """
            interface IRates { int Rate(); }
            class Rates : IRates { public int Rate() => 1; }
            """));

    /// <summary>
    /// Interface, virtual and delegate calls are resolved to what the compilation holds (see DispatchTests); KAPPA190 is left
    /// for what cannot be: an interface without an implementation here, a delegate parameter.
    /// </summary>
    [Fact]
    public Task UnfollowableCalls_AreReportedWhenEnabled() =>
        new KappaAnalyzerTest<Kappa.Analyzers.Determinism.DeterminismAnalyzer> { TestCode = Sources.Processor("""
                    Func<int> f = () => 1;
                    IRates r = new Rates();
                    Base b = new Derived();
                    return (f(), r.Rate(), b.Value(), b.Fixed(), new Derived().Value(), {|KAPPA190:_clock.Now()|}, Apply(() => 2));
            """, members: """
                private readonly IClock _clock = null!;
                private static int Apply(Func<int> g) => {|KAPPA190:g()|};
            """, outside: """
            interface IRates { int Rate(); }
            class Rates : IRates { public int Rate() => 1; }
            class Base { public virtual int Value() => 1; public int Fixed() => 2; }
            sealed class Derived : Base { public override int Value() => 2; }
            public interface IClock { DateTime Now(); }
            """) }.WithUnfollowable().RunAsync();

    [Fact]
    public async Task Summaries_AreMemoized_AcrossRulesHandlersAndProcessors()
    {
        string Processor(string name) => $$"""
            [StreamProcessor("{{name}}")]
            public partial class {{name}}
            {
                [Consume("a")] public object A(string v, RecordContext ctx) => Shared.One();
                [Consume("b")] public object B(string v, RecordContext ctx) => Shared.Two();
            }
            """;
        var compilation = TestCompilation.Create(Processor("P1"), Processor("P2"), Processor("P3"), """
            static class Shared
            {
                public static object One() => (DateTime.UtcNow, Guid.NewGuid(), Three());
                public static object Two() => (Three(), Environment.MachineName);
                public static object Three() => DateTime.Now.ToString();
            }
            """);
        var state = new Kappa.Analyzers.Determinism.CompilationState(
            compilation,
            compilation.GetTypeByMetadataName("Kappa.StreamProcessorAttribute")!,
            compilation.GetTypeByMetadataName("Kappa.ConsumeAttribute")!,
            Kappa.Analyzers.Determinism.BannedMembers.None);
        int total = 0;
        foreach (string name in new[] { "P1", "P2", "P3" })
        {
            var type = compilation.GetTypeByMetadataName(name)!;
            var handlers = type.GetMembers().OfType<IMethodSymbol>().Where(m => m.Name is "A" or "B").ToList();
            total += Kappa.Analyzers.Determinism.DeterminismAnalyzer.Analyze(state, handlers, CancellationToken.None).Count();
        }

        // 6 handlers + One + Two + Three, each summarized exactly once although three processors and several rules reach them.
        Assert.Equal(9, state.SummariesBuilt);
        Assert.Equal(3 * 5, total);
    }
}
