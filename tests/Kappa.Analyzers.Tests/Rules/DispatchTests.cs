using Kappa.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;
using Verifier = Microsoft.CodeAnalysis.Testing.AnalyzerVerifier<
    Kappa.Analyzers.Determinism.DeterminismAnalyzer,
    Kappa.Analyzers.Tests.Infrastructure.KappaAnalyzerTest<Kappa.Analyzers.Determinism.DeterminismAnalyzer>,
    Microsoft.CodeAnalysis.Testing.DefaultVerifier>;

namespace Kappa.Analyzers.Tests.Rules;

/// <summary>Calls through interfaces, virtual and abstract members and delegates reach every target in the compilation.</summary>
public class DispatchTests
{
    private static DiagnosticResult WallClock(int marker, string chain) =>
        Verifier.Diagnostic("KAPPA101").WithLocation(marker).WithArguments("DateTime.UtcNow", chain + " -> DateTime.UtcNow", string.Empty);

    [Fact]
    public Task InterfaceCall_WalksEveryImplementation_AndNamesItInTheChain() =>
        Verifier.VerifyAnalyzerAsync(
            Sources.Processor("        return _pricer.Quote(value);", members: """
                private readonly IPricer _pricer;
                public Orders(IPricer pricer) { _pricer = pricer; }
            """, outside: """
            public interface IPricer { decimal Quote(string sku); }
            public sealed class FixedPricer : IPricer { public decimal Quote(string sku) => 1m; }
            public sealed class ClockPricer : IPricer { public decimal Quote(string sku) => {|#0:DateTime.UtcNow|}.Hour; }
            """),
            WallClock(0, "Orders.Handle -> ClockPricer.Quote"));

    [Fact]
    public Task VirtualAndAbstractCalls_WalkEveryOverride() =>
        Verifier.VerifyAnalyzerAsync(
            Sources.Processor("        return (_shape.Area(), _rule.Apply(1));", members: """
                private readonly Shape _shape = new Square();
                private readonly Rule _rule = new Rule();
            """, outside: """
            public abstract class Shape { public abstract double Area(); }
            public sealed class Square : Shape { public override double Area() => 1; }
            public sealed class Clock : Shape { public override double Area() => {|#0:DateTime.UtcNow|}.Second; }
            public class Rule { public virtual int Apply(int x) => x; }
            public class LateRule : Rule { public override int Apply(int x) => {|#1:DateTime.UtcNow|}.Minute; }
            """),
            WallClock(0, "Orders.Handle -> Clock.Area"),
            WallClock(1, "Orders.Handle -> LateRule.Apply"));

    [Fact]
    public Task InterfacePropertyAndGenericInterface_AreResolved() =>
        Verifier.VerifyAnalyzerAsync(
            Sources.Processor("        return (_source.Current, _cmp.Compare(\"a\", \"b\"));", members: """
                private readonly ISource<int> _source = new Ticks();
                private readonly IComparer<string> _cmp = new ByClock();
            """, outside: """
            public interface ISource<T> { T Current { get; } }
            public sealed class Ticks : ISource<int> { public int Current => {|#0:DateTime.UtcNow|}.Millisecond; }
            public sealed class ByClock : IComparer<string> { public int Compare(string? a, string? b) => {|#1:DateTime.UtcNow|}.Second; }
            """),
            WallClock(0, "Orders.Handle -> Ticks.Current"),
            WallClock(1, "Orders.Handle -> ByClock.Compare"));

    [Fact]
    public Task DelegateTargets_AssignedInTheCompilation_AreWalked() =>
        Verifier.VerifyAnalyzerAsync(
            Sources.Processor("""
                    Func<int> local = Clock.Read;
                    return (_now(), _later(), local());
            """, members: """
                private readonly Func<DateTime> _now = () => {|#0:DateTime.UtcNow|};
                private readonly Func<int> _later;
                public Orders() { _later = Clock.Minute; }
            """, outside: """
            public static class Clock
            {
                public static int Read() => {|#1:DateTime.UtcNow|}.Second;
                public static int Minute() => {|#2:DateTime.UtcNow|}.Minute;
            }
            """),
            WallClock(0, "Orders.Handle -> Orders._now lambda"),
            WallClock(1, "Orders.Handle -> Clock.Read"),
            WallClock(2, "Orders.Handle -> Clock.Minute"));

    [Fact]
    public Task DeterministicImplementation_IsTrusted_AndDeterministicImplementationsAreSilent() =>
        Verifier.VerifyAnalyzerAsync(Sources.Processor("        return (_pricer.Quote(value), _shape.Area());", members: """
                private readonly IPricer _pricer = new CachedPricer();
                private readonly Shape _shape = new Square();
            """, outside: """
            public interface IPricer { decimal Quote(string sku); }
            public sealed class CachedPricer : IPricer
            {
                [Deterministic("prices are frozen per deployment")]
                public decimal Quote(string sku) => DateTime.UtcNow.Hour;
            }
            public abstract class Shape { public abstract double Area(); }
            public sealed class Square : Shape { public override double Area() => 1; }
            """));

    [Fact]
    public Task ClassReceiver_OnlyReachesOverridesInItsOwnHierarchy() =>
        Verifier.VerifyAnalyzerAsync(
            Sources.Processor("        return new Leaf().Value() + _mid.Value();", members: """
                private readonly Mid _mid = new Leaf();
            """, outside: """
            public class Base { public virtual int Value() => 1; }
            public class Mid : Base { public override int Value() => {|#0:DateTime.UtcNow|}.Second; }
            public sealed class Leaf : Mid { }
            public sealed class Sibling : Base { public override int Value() => DateTime.UtcNow.Minute; }
            """),
            WallClock(0, "Orders.Handle -> Mid.Value"));

    [Fact]
    public Task LambdaInADeterministicMember_IsTrusted() =>
        Verifier.VerifyAnalyzerAsync(Sources.Processor("        return _now();", members: """
                private readonly Func<DateTime> _now;
                [Deterministic("the clock is replaced by the log's timestamp in the host")]
                public Orders() { _now = () => DateTime.UtcNow; }
            """));
}
