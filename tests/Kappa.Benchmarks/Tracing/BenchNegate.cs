using Kappa.Benchmarks.State;

namespace Kappa.Benchmarks.Tracing;

/// <summary>Struct in, struct out (the dispatcher allocates nothing): what is left to measure is the runner and tracing.</summary>
[StreamProcessor("bench-negate")]
public sealed partial class BenchNegate
{
    [Consume(TracingBenchmarks.Topic)]
    [Output("bench-negated")]
    public BenchUnit Negate(BenchUnit unit) => new() { Sequence = unit.Sequence, Amount = -unit.Amount };
}
