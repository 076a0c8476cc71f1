using Kappa;

namespace Kappa.Benchmarks.State;

/// <summary>A typical struct state: an aggregate per key.</summary>
[ProcessorState]
public partial struct BenchTotals
{
    public decimal Revenue;
    public long Orders;
    public double Average;
    public DateTimeOffset LastSeen;
}
